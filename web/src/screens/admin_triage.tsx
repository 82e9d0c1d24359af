// 관리 · 분류 모델: the triage model in use, the counselors' corrections waiting
// to be learnt, and retraining with them. The server trains in the background
// and keeps the model in use unless the new one is at least as good on the
// held-out files; this screen shows both sets of figures side by side.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { fill, formatDateTime, locale, strings } from '../i18n';
import { Badge, ErrorSummary, Loading, Notice, useAsync } from '../ui';
import { explain } from './admin_common';

const S = () =>
  strings({
    heading: { ko: '분류 모델', en: 'Triage model' },
    intro: {
      ko: '상담 내용을 보고 분야·연계 기관을 추천하고 위기 표현을 찾는 모델입니다. 상담사가 추천과 다른 분야를 고른 접수는 "수정 사례"로 쌓이고, 재학습하면 모델이 그 사례로 배웁니다.',
      en: 'The model suggests categories and agencies and finds crisis words. When a counselor picks another category than suggested, the intake is kept as a correction; retraining learns from them.',
    },
    inUse: { ko: '사용 중인 모델', en: 'Model in use' },
    rules: { ko: '키워드 규칙 (학습된 모델 없음)', en: 'Keyword rules (no trained model)' },
    threshold: { ko: '위기 판단 기준값', en: 'Crisis threshold' },
    corrections: { ko: '쌓인 수정 사례', en: 'Corrections kept' },
    correctionsUnit: { ko: '{n}건', en: '{n}' },
    retrain: { ko: '수정 사례로 재학습', en: 'Retrain with the corrections' },
    retrainHint: {
      ko: '학습은 보통 수십 초 걸립니다. 새 모델이 검증 자료에서 위기 문장을 하나라도 더 놓치거나 상위 3개 정확도가 2%p 넘게 떨어지면 바꾸지 않고 지금 모델을 그대로 씁니다. 수정 사례(주민의 말)를 읽은 기록은 접속기록에 남습니다.',
      en: 'Training usually takes some seconds. If the new model misses any more held-out crisis lines, or its top-3 accuracy drops by more than 2 points, the model in use stays. Reading the corrections (residents’ words) is recorded in the access records.',
    },
    running: { ko: '재학습 중입니다… 이 화면을 떠나도 계속됩니다.', en: 'Retraining… it goes on if you leave this screen.' },
    last: { ko: '최근 재학습', en: 'Last retraining' },
    none: { ko: '아직 재학습한 적이 없습니다.', en: 'Not retrained yet.' },
    state_running: { ko: '진행 중', en: 'Running' },
    state_installed: { ko: '새 모델 적용', en: 'New model in use' },
    state_rejected: { ko: '적용 안 함 (지금 모델 유지)', en: 'Not used (model kept)' },
    state_failed: { ko: '실패', en: 'Failed' },
    started: { ko: '시작', en: 'Started' },
    took: { ko: '{s}초', en: '{s} s' },
    examples: { ko: '학습 문장 {n}개 (수정 사례 {c}건 포함)', en: '{n} training texts ({c} corrections)' },
    heldOutCounts: {
      ko: '검증 자료: 분야 {a}문장, 위기 판단 {b}문장 — 학습에 쓰지 않은 문장입니다.',
      en: 'Held out: {a} category lines, {b} crisis lines, never trained on.',
    },
    figuresCaption: { ko: '새 모델과 이전 모델의 검증 결과', en: 'The new and the previous model on the held-out files' },
    measure: { ko: '항목', en: 'Measure' },
    newModel: { ko: '새 모델', en: 'New model' },
    oldModel: { ko: '이전 모델', en: 'Previous model' },
    top1: { ko: '분야 정확도 (1순위)', en: 'Category accuracy (top 1)' },
    top3: { ko: '분야 정확도 (3순위 안)', en: 'Category accuracy (top 3)' },
    recall: { ko: '위기 문장 찾아냄', en: 'Crisis lines caught' },
    hyperbole: { ko: '과장 표현 오경보', en: 'False alarms on exaggerations' },
    alarms: { ko: '위기 아닌 문장 오경보', en: 'False alarms, all non-crisis' },
    noHeldOut: { ko: '검증 자료가 없어 비교하지 않았습니다.', en: 'No held-out files: nothing compared.' },
    version: { ko: '버전', en: 'Version' },
  });

interface HeldOut {
  lines: number;
  top1: number;
  top3: number;
  crisis_lines: number;
  crisis_caught: number;
  none_lines: number;
  false_alarms: number;
  hyperbole_lines: number;
  hyperbole_false_alarms: number;
}

interface Training {
  state: 'running' | 'installed' | 'rejected' | 'failed';
  started_at: string;
  finished_at: string | null;
  seconds: number;
  corrections: number;
  version: string;
  replaced_version: string;
  training: { category_examples: number };
  held_out: HeldOut | null;
  held_out_current: HeldOut | null;
  message: string;
  message_ko: string;
}

interface ModelInfo {
  model: { version: string; has_model: boolean; crisis_threshold?: number };
  corrections: number;
  training: Training | null;
}

const kPollMs = 2000;

function percent(share: number): string {
  return (share * 100).toFixed(1) + '%';
}

function ratio(part: number, whole: number): string {
  return whole === 0 ? '-' : `${percent(part / whole)} (${part}/${whole})`;
}

export function AdminTriage() {
  const s = S();
  const info = useAsync((signal) => api.get<ModelInfo>('/triage/model', { signal }), []);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const data = info.data;
  const running = data?.training?.state === 'running';

  // While the server trains, look again every few seconds.
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(info.reload, kPollMs);
    return () => clearTimeout(timer);
  }, [running, info.data]);

  async function retrain() {
    setError(null);
    setBusy(true);
    try {
      await api.post('/triage/retrain');
      info.reload();
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  const t = data?.training;
  const stateLabel = t ? (s as Record<string, string>)['state_' + t.state] : '';
  const rows: { name: string; value: (h: HeldOut) => string }[] = [
    { name: s.top1, value: (h) => percent(h.top1) },
    { name: s.top3, value: (h) => percent(h.top3) },
    { name: s.recall, value: (h) => ratio(h.crisis_caught, h.crisis_lines) },
    { name: s.hyperbole, value: (h) => ratio(h.hyperbole_false_alarms, h.hyperbole_lines) },
    { name: s.alarms, value: (h) => ratio(h.false_alarms, h.none_lines) },
  ];

  return (
    <section aria-labelledby="triage-h" class="card">
      <h2 id="triage-h">{s.heading}</h2>
      <p class="muted">{s.intro}</p>
      <ErrorSummary error={explain(info.error)} />
      {info.loading && !data && <Loading />}
      {data && (
        <>
          <dl class="admin-facts">
            <dt>{s.inUse}</dt>
            <dd>{data.model.has_model ? <code>{data.model.version}</code> : s.rules}</dd>
            {data.model.crisis_threshold !== undefined && (
              <>
                <dt>{s.threshold}</dt>
                <dd>{data.model.crisis_threshold.toFixed(3)}</dd>
              </>
            )}
            <dt>{s.corrections}</dt>
            <dd id="triage-corrections">{fill(s.correctionsUnit, { n: data.corrections })}</dd>
          </dl>
          <p class="hint">{s.retrainHint}</p>
          <ErrorSummary error={error} />
          <div class="actions">
            <button type="button" class="primary" onClick={retrain} disabled={busy || running} aria-describedby="triage-running">
              {s.retrain}
            </button>
          </div>
          <p id="triage-running" role="status" aria-live="polite">
            {running ? s.running : ''}
          </p>

          <h3>{s.last}</h3>
          {!t && <p class="muted">{s.none}</p>}
          {t && (
            <div id="triage-last">
              <p>
                <Badge kind={t.state === 'installed' ? 'ok' : t.state === 'running' ? 'status' : 'overdue'}>{stateLabel}</Badge>{' '}
                {s.started} {formatDateTime(t.started_at)}
                {t.finished_at && <> · {fill(s.took, { s: t.seconds.toFixed(1) })}</>}
                {t.version && (
                  <>
                    {' '}
                    · {s.version} <code>{t.version}</code>
                  </>
                )}
              </p>
              {t.state !== 'running' && t.training.category_examples > 0 && (
                <p class="muted">{fill(s.examples, { n: t.training.category_examples, c: t.corrections })}</p>
              )}
              {(t.state === 'rejected' || t.state === 'failed') && (
                <Notice kind="warn">{locale.value === 'en' ? t.message : t.message_ko || t.message}</Notice>
              )}
              {t.state !== 'running' && t.state !== 'failed' && !t.held_out && <p class="muted">{s.noHeldOut}</p>}
              {t.held_out && (
                <div class="table-wrap">
                  <table class="admin-table" id="triage-figures">
                    <caption>{s.figuresCaption}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{s.measure}</th>
                        <th scope="col">{s.newModel}</th>
                        <th scope="col">{s.oldModel}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((r) => (
                        <tr>
                          <th scope="row">{r.name}</th>
                          <td>{r.value(t.held_out!)}</td>
                          <td>{t.held_out_current ? r.value(t.held_out_current) : '-'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <p class="small muted">{fill(s.heldOutCounts, { a: t.held_out.lines, b: t.held_out.crisis_lines + t.held_out.none_lines })}</p>
                </div>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
