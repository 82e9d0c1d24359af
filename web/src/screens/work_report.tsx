// 주간 업무 보고 — one week's work in numbers (Monday to Sunday, counted by the
// server from the records) and a comment on it. Staff see their own week;
// supervisors can switch to their dong's report (district-wide supervisors
// pick the dong). The comment is saved with If-Match; a stale save (412) asks
// to load the latest comment first and keeps what was typed.
import { useEffect, useState } from 'preact/hooks';
import { request, query, ApiError } from '../api';
import { strings, tr, fill, locale, formatDate, formatDateTime, todayKst, addDays } from '../i18n';
import { me } from '../session';
import { Page, ErrorSummary, Loading, Notice, SelectField, TextField, TextArea, RadioGroup, useAsync, fieldError } from '../ui';
import { loadDongs, staffName, useStaff } from '../directory';
import { explain } from './admin_common';
import './work.css';
import './reports.css';

const S = () =>
  strings({
    title: { ko: '주간 업무 보고', en: 'Weekly work report' },
    intro: {
      ko: '한 주(월요일~일요일) 동안 한 일을 기록에서 세어 보여 줍니다. 숫자 아래에 이번 주 의견을 남깁니다.',
      en: 'What was done in one week (Monday to Sunday), counted from the records. Add a comment on the week below the numbers.',
    },
    week: { ko: '주 (고른 날짜가 속한 주)', en: 'Week (the week of the chosen day)' },
    pickH: { ko: '주와 대상 고르기', en: 'Choose the week and the report' },
    prev: { ko: '이전 주', en: 'Previous week' },
    next: { ko: '다음 주', en: 'Next week' },
    thisWeek: { ko: '이번 주', en: 'This week' },
    subject: { ko: '보고 대상', en: 'Report on' },
    mine: { ko: '내 업무', en: 'My work' },
    dongWork: { ko: '동 전체', en: 'The whole dong' },
    dong: { ko: '동', en: 'Dong' },
    chooseDong: { ko: '동을 고르세요', en: 'Choose a dong' },
    pickDong: { ko: '동 전체 보고를 보려면 동을 고르세요.', en: 'Choose a dong to see its report.' },
    heading: { ko: '{name} · {from} ~ {to}', en: '{name} · {from} – {to}' },
    linesCaption: { ko: '이번 주 실적', en: 'This week in numbers' },
    item: { ko: '항목', en: 'Item' },
    count: { ko: '건수', en: 'Count' },
    asOf: { ko: '자료 기준 시각', en: 'Data as of' },
    commentH: { ko: '이번 주 의견', en: 'Comment on the week' },
    comment: { ko: '의견', en: 'Comment' },
    commentHint: {
      ko: '한 주의 특이 사항, 다음 주 계획, 도움이 필요한 일을 적습니다. 개인을 알아볼 수 있는 내용은 적지 마세요. 4,000자까지.',
      en: 'Notable things this week, next week’s plan, where help is needed. Do not write anything that identifies a person. Up to 4,000 characters.',
    },
    lastSaved: { ko: '마지막 저장: {who}, {when}', en: 'Last saved by {who}, {when}' },
    neverSaved: { ko: '아직 저장한 의견이 없습니다.', en: 'No comment saved yet.' },
    save: { ko: '의견 저장', en: 'Save comment' },
    saving: { ko: '저장하는 중…', en: 'Saving…' },
    saved: { ko: '의견을 저장했습니다.', en: 'The comment was saved.' },
    stale: {
      ko: '이 화면을 연 뒤 다른 사람이 의견을 먼저 저장했습니다. ‘최신 의견 불러오기’를 눌러 저장된 내용을 확인한 뒤 다시 저장해 주세요. 입력한 내용은 그대로 남아 있습니다.',
      en: 'Someone else saved a comment after this screen was opened. Use “Load the latest comment”, check what was saved, then save again. What you typed is kept.',
    },
    loadLatest: { ko: '최신 의견 불러오기', en: 'Load the latest comment' },
    theirs: { ko: '지금 저장되어 있는 의견', en: 'The comment saved now' },
  });

interface WorkReport {
  subject: { kind: 'user' | 'dong'; id: number };
  subject_name: string;
  week: string;
  week_end: string;
  lines: { code: string; label_ko: string; label_en: string; value: number }[];
  comment: { text: string; version: number; updated_by: number | null; updated_at: string | null };
  data_as_of: string;
}

// The Monday of the week of a day (YYYY-MM-DD).
export function mondayOf(day: string): string {
  const d = new Date(day + 'T00:00:00Z');
  if (isNaN(d.getTime())) return day;
  return addDays(day, -((d.getUTCDay() + 6) % 7));
}

export function WorkReportScreen() {
  const s = S();
  const user = me.value!;
  const supervisor = user.role === 'supervisor';
  const districtWide = supervisor && user.dong_id == null;
  useStaff();
  const [week, setWeek] = useState(() => mondayOf(todayKst()));
  const [subject, setSubject] = useState<'mine' | 'dong'>('mine');
  const [dong, setDong] = useState(user.dong_id ? String(user.dong_id) : '');
  const dongs = useAsync(() => (districtWide ? loadDongs() : Promise.resolve([])), []);
  const dongId = subject === 'dong' ? dong : '';
  const waitingForDong = subject === 'dong' && !dongId;
  const path = '/work-reports' + query({ week, dong_id: dongId });
  const report = useAsync(
    (signal) => (waitingForDong ? Promise.resolve(null) : request<WorkReport>('GET', path, undefined, { signal })),
    [path, waitingForDong],
  );
  const data = report.data?.data ?? null;

  return (
    <Page title={s.title} wide>
      <p class="muted">{s.intro}</p>
      <section class="card" aria-label={s.pickH}>
        <div class="week-bar">
          <TextField
            label={s.week}
            name="week"
            type="date"
            value={week}
            onValue={(v) => {
              if (/^\d{4}-\d{2}-\d{2}$/.test(v)) setWeek(mondayOf(v));
            }}
          />
          <div class="week-buttons">
            <button type="button" onClick={() => setWeek((w) => addDays(w, -7))}>
              {s.prev}
            </button>
            <button type="button" onClick={() => setWeek(mondayOf(todayKst()))} aria-pressed={week === mondayOf(todayKst())}>
              {s.thisWeek}
            </button>
            <button type="button" onClick={() => setWeek((w) => addDays(w, 7))}>
              {s.next}
            </button>
          </div>
        </div>
        {supervisor && (
          <div class="row">
            <RadioGroup
              legend={s.subject}
              name="subject"
              value={subject}
              onValue={(v) => setSubject(v as 'mine' | 'dong')}
              options={[
                { value: 'mine', label: `${s.mine} (${user.display_name})` },
                { value: 'dong', label: s.dongWork },
              ]}
            />
            {districtWide && subject === 'dong' && (
              <SelectField
                label={s.dong}
                name="dong_id"
                value={dong}
                onValue={setDong}
                placeholder={s.chooseDong}
                options={(dongs.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
              />
            )}
          </div>
        )}
      </section>

      {waitingForDong && <p class="empty">{s.pickDong}</p>}
      {report.loading && <Loading />}
      <ErrorSummary error={report.error ? explain(report.error) : undefined} />
      {data && !report.error && (
        <>
          <section class="card" aria-labelledby="work-week-h">
            <h2 id="work-week-h">{fill(s.heading, { name: data.subject_name, from: formatDate(data.week), to: formatDate(data.week_end) })}</h2>
            <p class="muted">
              {s.asOf}: <time dateTime={data.data_as_of}>{formatDateTime(data.data_as_of)}</time>
            </p>
            <div class="table-wrap work-lines">
              <table id="work-lines">
                <caption class="visually-hidden">{s.linesCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s.item}</th>
                    <th scope="col" class="num">
                      {s.count}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.lines.map((l) => (
                    <tr data-code={l.code}>
                      <th scope="row">{tr({ ko: l.label_ko, en: l.label_en || l.label_ko })}</th>
                      <td class="num">{new Intl.NumberFormat(locale.value === 'en' ? 'en-GB' : 'ko-KR').format(l.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <Comment key={`${data.subject.kind}-${data.subject.id}-${data.week}`} report={data} dongId={dongId} onSaved={() => report.reload()} />
        </>
      )}
    </Page>
  );
}

function Comment(props: { report: WorkReport; dongId: string; onSaved: () => void }) {
  const s = S();
  const r = props.report;
  const [text, setText] = useState(r.comment.text);
  const [base, setBase] = useState(r.comment.version);
  const [theirs, setTheirs] = useState<WorkReport['comment'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  // A newer comment from the server (after a save): adopt it unless a stale save is pending.
  useEffect(() => {
    if (theirs) return;
    setText(r.comment.text);
    setBase(r.comment.version);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r.comment.version, r.comment.text]);

  const stale = error instanceof ApiError && error.status === 412;
  const saved = theirs ?? r.comment;

  async function save() {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      await request<WorkReport>(
        'PUT',
        '/work-reports/comment',
        { week: r.week, comment: text, ...(props.dongId ? { dong_id: Number(props.dongId) } : {}) },
        { ifMatch: base > 0 ? `"${base}"` : undefined },
      );
      setTheirs(null);
      setNotice(s.saved);
      props.onSaved();
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  async function loadLatest() {
    setBusy(true);
    try {
      const latest = await request<WorkReport>('GET', '/work-reports' + query({ week: r.week, dong_id: props.dongId }));
      setTheirs(latest.data.comment);
      setBase(latest.data.comment.version);
      setError(null);
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="work-comment-h">
      <h2 id="work-comment-h">{s.commentH}</h2>
      <p class="muted small" id="work-comment-saved">
        {saved.version > 0 && saved.updated_at
          ? fill(s.lastSaved, { who: staffName(saved.updated_by), when: formatDateTime(saved.updated_at) })
          : s.neverSaved}
      </p>
      {theirs && (
        <div>
          <p>
            <strong>{s.theirs}</strong>
          </p>
          <p class="comment-theirs">{theirs.text}</p>
        </div>
      )}
      <ErrorSummary error={error} message={stale ? s.stale : undefined}>
        {stale && (
          <button type="button" onClick={loadLatest} disabled={busy}>
            {s.loadLatest}
          </button>
        )}
      </ErrorSummary>
      {notice && <Notice>{notice}</Notice>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <TextArea label={s.comment} name="comment" hint={s.commentHint} rows={6} maxLength={4000} value={text} onValue={setText} error={fieldError(error, 'comment')} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? s.saving : s.save}
          </button>
        </div>
      </form>
    </section>
  );
}
