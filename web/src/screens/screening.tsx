// 복지 사각지대 발굴 — the blind-spot screening. Agencies' risk signals
// (arrears, job loss, hospital bills …) are imported with `caredesk screen
// import`; a district-wide supervisor runs the screening, which lists each
// dong's households most likely in crisis and opens one outreach case per
// household with a home visit within 7 days. Dong staff work through their
// dong's list: why each household was listed, what the contact found
// (contacted, unreachable, support linked, no support needed), and how far the
// list has come (the funnel). The lists hold no names: households are known by
// the agencies' household number until the outreach case finds the resident.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, query, ApiError, type FieldViolation } from '../api';
import { strings, fill, label, vocab, locale, formatDate, formatDateTime, todayKst } from '../i18n';
import { me } from '../session';
import { loadDongs, staffName, useStaff, type Dong } from '../directory';
import { districtWide } from '../components/work_common';
import {
  Page,
  ErrorSummary,
  Loading,
  Notice,
  Badge,
  TextField,
  SelectField,
  RadioGroup,
  useAsync,
  useDraft,
  fieldError,
} from '../ui';
import './work.css';
import './screening.css';

const S = () =>
  strings({
    title: { ko: '복지 사각지대 발굴', en: 'Blind-spot screening' },
    lead: {
      ko: '여러 기관의 위기 정보(공과금·보험료 체납, 실직, 의료비 등)를 모아, 도움이 필요할 수 있는 가구를 동마다 찾아냅니다. 목록에 오른 가구마다 찾아가는 상담 건이 열리고 7일 안에 가정 방문이 잡힙니다.',
      en: 'Risk signals from many agencies (utility and insurance arrears, job loss, medical bills …) point each dong to the households that may need help. Every listed household gets an outreach case with a home visit within 7 days.',
    },
    // The run form
    runH: { ko: '선별 실행', en: 'Run the screening' },
    runLead: {
      ko: '실행하면 목록에 오른 가구마다 찾아가는 상담 건이 열리고, 해당 동에 7일 안 가정 방문이 잡힙니다. 먼저 ‘미리 보기’로 몇 가구가 오르는지 확인할 수 있습니다.',
      en: 'Running opens an outreach case for every listed household, with a home visit within 7 days in its dong. “Preview” shows how many households would be listed, without opening cases.',
    },
    capacity: { ko: '동마다 발굴할 가구 수', en: 'Households per dong' },
    capacityHint: {
      ko: '동 주민센터가 이번에 찾아갈 수 있는 가구 수입니다 (1~1000).',
      en: 'How many households each dong center can visit this time (1–1000).',
    },
    asOf: { ko: '기준일 (선택)', en: 'As of (optional)' },
    asOfHint: { ko: '비워 두면 오늘을 기준으로 합니다.', en: 'Leave empty for today.' },
    preview: { ko: '미리 보기', en: 'Preview' },
    run: { ko: '선별 실행', en: 'Run the screening' },
    running: { ko: '선별하는 중…', en: 'Screening…' },
    previewed: {
      ko: '미리 보기: 가구 {scored}곳을 살펴 동 {dongs}곳에서 {listed}가구가 발굴 대상에 오릅니다 (재발굴 {again}가구 포함). 이미 관리 중인 가구 {managed}곳은 따로 표시됩니다. 아직 상담 건은 열지 않았습니다.',
      en: 'Preview: of {scored} households, {listed} in {dongs} dongs would be listed ({again} raised again); {managed} under management are shown apart. No case was opened.',
    },
    done: {
      ko: '선별을 마쳤습니다. 가구 {scored}곳을 살펴 {listed}가구를 발굴 대상으로 올리고 찾아가는 상담 건 {cases}건을 열었습니다.',
      en: 'Done. Of {scored} households, {listed} were listed and {cases} outreach cases were opened.',
    },
    openRun: { ko: '이번 선별 결과 보기', en: 'See this run' },
    // The runs
    runsH: { ko: '선별 실행 기록', en: 'Screening runs' },
    runsCaption: { ko: '선별 실행 기록 (최근 순, 구 전체 숫자)', en: 'Screening runs, newest first (whole district)' },
    noRuns: {
      ko: '아직 선별을 실행하지 않았습니다. 구 전체 팀장이 선별을 실행하면 여기에 나타납니다.',
      en: 'No screening has been run yet. It appears here once a district-wide supervisor runs it.',
    },
    colDate: { ko: '기준일', en: 'As of' },
    colModel: { ko: '모델 버전', en: 'Model' },
    colCapacity: { ko: '동마다', en: 'Per dong' },
    colScored: { ko: '살펴본 가구', en: 'Households scored' },
    colListed: { ko: '발굴 대상', en: 'Listed' },
    colAgain: { ko: '재발굴', en: 'Raised again' },
    colManaged: { ko: '이미 관리 중', en: 'Under management' },
    colCases: { ko: '연 상담 건', en: 'Cases opened' },
    runNo: { ko: '#{id}', en: '#{id}' },
    ranAt: { ko: '{at} 실행', en: 'run {at}' },
    version: { ko: '{v}판', en: 'v{v}' },
    // The model
    modelH: { ko: '선별 기준 보기 (모델 {v}판)', en: 'How households are scored (model v{v})' },
    modelLead1: {
      ko: '위기 정보마다 기본 점수를 주고, 오래 이어진 체납은 조금 더 줍니다. 최근 {recent}일보다 오래된 정보는 {half}일마다 절반으로 셉니다.',
      en: 'Each risk signal adds its points, a long-running one a little more. Signals older than {recent} days count half for every {half} days.',
    },
    modelLead2: {
      ko: '한 가지 위기보다 여러 위기가 겹칠 때가 더 위험합니다. 최근 {recent}일에 서로 다른 위기 영역이 겹치면 점수를 더합니다: {breadth}.',
      en: 'Several crises at once weigh more than one. Different risk domains in the last {recent} days add: {breadth}.',
    },
    modelLead3: {
      ko: '노인({age}세 이상)·1인 가구·장애·반지하 같은 취약 주거는 점수를 키웁니다.',
      en: 'Old age ({age}+), living alone, disability and fragile housing (such as a semi-basement) raise the score.',
    },
    breadthItem: { ko: '{n}개 +{p}점', en: '{n} domains +{p}' },
    indicator: { ko: '위기 정보', en: 'Risk signal' },
    domain: { ko: '영역', en: 'Domain' },
    weight: { ko: '기본 점수', en: 'Points' },
    perMonth: { ko: '1개월마다', en: 'Per month' },
    maxMonths: { ko: '최대 개월', en: 'Up to (months)' },
    modelCaption: { ko: '위기 정보별 점수', en: 'Points per risk signal' },
    // One run
    runTitle: { ko: '발굴 결과 #{id}', en: 'Screening run #{id}' },
    back: { ko: '발굴 실행 목록으로 돌아가기', en: 'Back to the screening runs' },
    factsH: { ko: '이번 선별', en: 'This run' },
    ranBy: { ko: '실행한 사람', en: 'Run by' },
    ranWhen: { ko: '실행 시각', en: 'Run at' },
    perDong: { ko: '동마다 {n}가구', en: '{n} per dong' },
    households: { ko: '{n}가구', en: '{n}' },
    cases: { ko: '{n}건', en: '{n}' },
    funnelH: { ko: '진행 상황', en: 'Progress' },
    wholeDistrict: { ko: '구 전체', en: 'whole district' },
    funnelCaption: {
      ko: '발굴한 가구가 연락, 상담, 지원 연계를 거쳐 결과까지 어디쯤 왔는지입니다. 이미 관리 중인 가구는 세지 않습니다.',
      en: 'How far the listed households have come, from contact to an outcome. Households under management are not counted.',
    },
    stepFlagged: { ko: '발굴', en: 'Listed' },
    stepContacted: { ko: '연락', en: 'Contacted' },
    stepAssessed: { ko: '상담', en: 'Consulted' },
    stepLinked: { ko: '연계', en: 'Linked' },
    stepOutcome: { ko: '결과', en: 'Outcome' },
    descFlagged: { ko: '목록에 오른 가구', en: 'households on the lists' },
    descContacted: { ko: '연락이 닿은 가구', en: 'reached' },
    descAssessed: { ko: '상담 기록이 있는 가구', en: 'with a consultation on the case' },
    descLinked: { ko: '지원을 연계한 가구', en: 'linked to support' },
    descOutcome: { ko: '결과를 기록한 가구 (연계·지원 불필요·연락 안 됨)', en: 'with an outcome (linked, no need, unreachable)' },
    stepOf: { ko: '{n}가구 중 {k}가구', en: '{k} of {n}' },
    aside: {
      ko: '연락 안 됨 {unreachable}가구 · 지원 불필요 {noNeed}가구 · 재발굴 {again}가구',
      en: 'Unreachable {unreachable} · no support needed {noNeed} · raised again {again}',
    },
    listH: { ko: '발굴 대상 목록', en: 'Outreach list' },
    dong: { ko: '동', en: 'Dong' },
    dongHint: { ko: '동을 고르면 그 동의 목록을 봅니다.', en: 'Choose a dong to see its list.' },
    listCounts: {
      ko: '발굴 대상 {listed}가구 · 결과 기록 {done}가구 · 이미 관리 중 {managed}가구',
      en: '{listed} listed · {done} with an outcome · {managed} under management',
    },
    emptyList: {
      ko: '이번 선별에서 이 동에 발굴된 가구가 없습니다.',
      en: 'This run listed no household in this dong.',
    },
    more: { ko: '더 보기 (남은 {n}가구)', en: 'Show more ({n} left)' },
    noDongList: {
      ko: '발굴 대상 목록은 동별로 봅니다. 동 주민센터 직원과 구 전체 팀장이 볼 수 있습니다.',
      en: 'Outreach lists belong to dongs: dong staff and district-wide supervisors see them.',
    },
    // One household
    rank: { ko: '{n}순위', en: 'No. {n}' },
    household: { ko: '가구 {id}', en: 'Household {id}' },
    score: { ko: '위기 점수 {n}점', en: 'Risk score {n}' },
    againNote: {
      ko: '이전에 ‘지원 불필요’ 또는 ‘연락 안 됨’으로 기록된 가구입니다.',
      en: 'Earlier recorded as “no support needed” or “unreachable”.',
    },
    reasons: { ko: '점수 근거 보기 ({n}가지)', en: 'Why it was listed ({n} reasons)' },
    reasonsCaption: { ko: '가구 {id}의 점수 근거', en: 'Reasons for household {id}' },
    reason: { ko: '근거', en: 'Reason' },
    points: { ko: '점수', en: 'Points' },
    total: { ko: '합계', en: 'Total' },
    caseLink: { ko: '찾아가는 상담 건 보기', en: 'Open the outreach case' },
    noCase: { ko: '상담 건이 아직 열리지 않았습니다.', en: 'No outreach case has been opened yet.' },
    managedNote: {
      ko: '이미 진행 중인 상담 건이 있는 가구입니다. 결과는 그 상담 건에 기록해 주세요.',
      en: 'This household already has an open case: record what happens there.',
    },
    outcomeH: { ko: '연락 결과', en: 'Contact outcome' },
    outcome: { ko: '결과', en: 'Outcome' },
    which: { ko: '어떤 지원을 연계했나요?', en: 'Which support was linked?' },
    whichHint: { ko: '예: 긴급지원 생계비, 푸드뱅크, 주거급여 신청 (500자까지)', en: 'E.g. emergency living support, food bank (up to 500 characters)' },
    noNeedReason: { ko: '지원이 필요 없는 사유', en: 'Why no support is needed' },
    chooseReason: { ko: '사유를 고르세요', en: 'Choose a reason' },
    note: { ko: '설명 (선택)', en: 'Note (optional)' },
    noteShown: { ko: '설명', en: 'Note' },
    noteHint: { ko: '‘기타’를 골랐다면 적어 주세요. 주민의 이름이나 연락처는 적지 마세요.', en: 'Please explain “Other”. No names or phone numbers.' },
    save: { ko: '결과 저장', en: 'Save the outcome' },
    saving: { ko: '저장하는 중…', en: 'Saving…' },
    cancel: { ko: '취소', en: 'Cancel' },
    change: { ko: '결과 바꾸기', en: 'Change the outcome' },
    saved: { ko: '저장했습니다.', en: 'Saved.' },
    recorded: { ko: '기록한 결과', en: 'Recorded outcome' },
    linkedSupport: { ko: '연계한 지원', en: 'Support linked' },
    recordedBy: { ko: '기록', en: 'Recorded' },
    plainOutcome: { ko: '연락 결과를 고르세요.', en: 'Choose the outcome of the contact.' },
    plainReason: { ko: '지원이 필요 없는 사유를 고르세요.', en: 'Choose why no support is needed.' },
    conflict: {
      ko: '이미 관리 중인 가구입니다. 해당 상담 건에 기록하세요.',
      en: 'This household is under management already: record it on its case.',
    },
  });

// --- Shapes (src/app/routes_screening.cpp) ----------------------------------------------------

export interface ScreeningRun {
  id: number;
  model_version: number;
  as_of: string;
  capacity_per_dong: number;
  created_by: number;
  created_at: string;
  households_scored: number;
  listed: number; // raised again included, under management not
  raised_again: number;
  under_management: number;
  cases_created: number;
}

export interface OutreachFunnel {
  flagged: number;
  contacted: number;
  assessed: number;
  linked: number;
  outcome: number;
  unreachable: number;
  no_need: number;
  raised_again: number;
}

export interface OutreachFlag {
  id: number;
  run_id: number;
  household_id: string;
  dong_id: number;
  household: { head_birth_year: number; members: number; living_alone: boolean; disability: boolean; housing_type: string };
  rank: number;
  score: number;
  state: 'listed' | 'raised_again' | 'under_management';
  summary_ko: string;
  reasons: { code: string; text_ko: string; points: number }[];
  case_id: number | null;
  outcome: null | 'contacted' | 'unreachable' | 'support_linked' | 'no_need';
  outcome_detail: string;
  no_need_reason: string;
  outcome_at: string | null;
  outcome_by: number | null;
}

interface ScreeningModel {
  version: number;
  indicators: { code: string; name_ko: string; domain: string; arrears: boolean; weight: number; per_month: number; max_months: number }[];
  recent_days: number;
  half_life_days?: number;
  breadth_points?: number[];
  elderly_age?: number;
}

// --- Words and numbers --------------------------------------------------------------------------

const num = (v: number) => v.toLocaleString(locale.value === 'en' ? 'en-GB' : 'ko-KR');
const points = (v: number) => (Math.round(v * 10) / 10).toLocaleString(locale.value === 'en' ? 'en-GB' : 'ko-KR');

// "1인 가구 · 가구주 81세 · 반지하 · 장애인 가구": the household in plain words.
export function householdFacts(h: OutreachFlag['household'], asOf: string): string {
  const en = locale.value === 'en';
  const parts: string[] = [];
  if (h.living_alone) parts.push(en ? 'Living alone' : '1인 가구');
  else if (h.members > 0) parts.push(en ? `${h.members} members` : `${h.members}인 가구`);
  const year = Number(asOf.slice(0, 4));
  if (h.head_birth_year > 0 && year >= h.head_birth_year) {
    const age = year - h.head_birth_year;
    parts.push(en ? `head of household ${age}` : `가구주 ${age}세`);
  }
  if (h.housing_type && h.housing_type !== 'unknown') {
    parts.push(h.housing_type === 'other' ? (en ? 'Other housing' : '기타 주거') : label(vocab.housing, h.housing_type));
  }
  if (h.disability) parts.push(en ? 'Disability' : '장애인 가구');
  return parts.join(' · ');
}

function stateKind(state: string) {
  return state === 'raised_again' ? 'urgent' : state === 'under_management' ? 'status' : 'new';
}

// The page keeps the focus on what just happened when the button used is gone.
function useFocusOn(flag: unknown) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!flag) return;
    const frame = requestAnimationFrame(() => ref.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [flag]);
  return ref;
}

// --- The runs ------------------------------------------------------------------------------------

export function Screening() {
  const s = S();
  const canRun = districtWide();
  const runs = useAsync((signal) => api.get<{ items: ScreeningRun[] }>('/screening/runs', { signal }), []);
  const [latest, setLatest] = useState<number | null>(null);
  const items = runs.data?.items ?? [];
  return (
    <Page title={s.title}>
      <p class="muted sc-lead">{s.lead}</p>
      {canRun && (
        <RunForm
          onDone={(run) => {
            setLatest(run.id);
            runs.reload();
          }}
        />
      )}
      <section class="card" aria-labelledby="sc-runs-h">
        <h2 id="sc-runs-h">{s.runsH}</h2>
        <ErrorSummary error={runs.error} />
        {runs.loading && !runs.data && <Loading />}
        {runs.data && items.length === 0 && <p class="empty">{s.noRuns}</p>}
        {items.length > 0 && (
          <div class="table-wrap">
            <table class="work-table sc-runs" id="screening-runs">
              <caption class="visually-hidden">{s.runsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.colDate}</th>
                  <th scope="col">{s.colModel}</th>
                  <th scope="col" class="num">
                    {s.colCapacity}
                  </th>
                  <th scope="col" class="num">
                    {s.colScored}
                  </th>
                  <th scope="col" class="num">
                    {s.colListed}
                  </th>
                  <th scope="col" class="num">
                    {s.colAgain}
                  </th>
                  <th scope="col" class="num">
                    {s.colManaged}
                  </th>
                  <th scope="col" class="num">
                    {s.colCases}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr class={r.id === latest ? 'sc-row-new' : undefined} data-run={r.id}>
                    <th scope="row">
                      <a href={`/screening/${r.id}`}>
                        {fill(s.runNo, { id: r.id })} · {formatDate(r.as_of)}
                      </a>
                      <div class="muted small">{fill(s.ranAt, { at: formatDateTime(r.created_at) })}</div>
                    </th>
                    <td>{fill(s.version, { v: r.model_version })}</td>
                    <td class="num">{num(r.capacity_per_dong)}</td>
                    <td class="num">{num(r.households_scored)}</td>
                    <td class="num" data-col="listed">
                      {num(r.listed)}
                    </td>
                    <td class="num" data-col="raised_again">
                      {num(r.raised_again)}
                    </td>
                    <td class="num" data-col="under_management">
                      {num(r.under_management)}
                    </td>
                    <td class="num" data-col="cases_created">
                      {num(r.cases_created)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ModelCard />
    </Page>
  );
}

function RunForm(props: { onDone: (run: ScreeningRun) => void }) {
  const s = S();
  const [capacity, setCapacity] = useState('10');
  const [asOf, setAsOf] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<{ text: string; run?: ScreeningRun } | null>(null);
  const noticeRef = useFocusOn(message);

  const body = (dryRun: boolean) => {
    const n = Number(capacity);
    return {
      capacity_per_dong: capacity.trim() === '' ? undefined : Number.isFinite(n) ? n : capacity,
      as_of: asOf || undefined,
      dry_run: dryRun || undefined,
    };
  };
  const send = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      if (dryRun) {
        const r = await api.post<{ run: ScreeningRun; flags: OutreachFlag[] }>('/screening/runs', body(true));
        // A dry run's counts are in its flags (the run itself is stored nowhere).
        const listed = r.flags.filter((f) => f.state !== 'under_management');
        setMessage({
          text: fill(s.previewed, {
            scored: num(r.run.households_scored),
            dongs: new Set(listed.map((f) => f.dong_id)).size,
            listed: num(listed.length),
            again: num(listed.filter((f) => f.state === 'raised_again').length),
            managed: num(r.flags.length - listed.length),
          }),
        });
      } else {
        const r = await api.post<{ run: ScreeningRun }>('/screening/runs', body(false));
        setMessage({
          text: fill(s.done, { scored: num(r.run.households_scored), listed: num(r.run.listed), cases: num(r.run.cases_created) }),
          run: r.run,
        });
        props.onDone(r.run);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="sc-run-h">
      <h2 id="sc-run-h">{s.runH}</h2>
      <p class="hint sc-run-lead">{s.runLead}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void send(false);
        }}
      >
        <ErrorSummary error={error} />
        <div class="row sc-run-fields">
          <TextField
            label={s.capacity}
            name="capacity_per_dong"
            type="number"
            inputMode="numeric"
            min="1"
            max="1000"
            value={capacity}
            onValue={setCapacity}
            hint={s.capacityHint}
            required
            error={fieldError(error, 'capacity_per_dong')}
          />
          <TextField
            label={s.asOf}
            name="as_of"
            type="date"
            max={todayKst()}
            value={asOf}
            onValue={setAsOf}
            hint={s.asOfHint}
            error={fieldError(error, 'as_of')}
          />
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? s.running : s.run}
          </button>
          <button type="button" disabled={busy} onClick={() => void send(true)}>
            {s.preview}
          </button>
        </div>
      </form>
      {message && (
        <div ref={noticeRef} tabIndex={-1} class="notice-anchor sc-run-result">
          <Notice>
            <p>{message.text}</p>
            {message.run && (
              <p>
                <a href={`/screening/${message.run.id}`}>{s.openRun} →</a>
              </p>
            )}
          </Notice>
        </div>
      )}
    </section>
  );
}

function ModelCard() {
  const s = S();
  const model = useAsync(async (signal) => {
    try {
      return (await api.get<{ model: ScreeningModel }>('/screening/model', { signal })).model;
    } catch (e) {
      // The weights are a help, not the screen: without them the runs still show.
      if ((e as Error).name === 'AbortError') throw e;
      return null;
    }
  }, []);
  const m = model.data;
  if (!m) return null;
  const breadth = (m.breadth_points ?? [])
    .map((p, n) => ({ n, p }))
    .filter((x) => x.n >= 2 && x.p > 0)
    .map((x) => fill(s.breadthItem, { n: x.n, p: points(x.p) }))
    .join(', ');
  return (
    <details class="card sc-model">
      <summary>
        <span class="sc-model-title">{fill(s.modelH, { v: m.version })}</span>
      </summary>
      <p>{fill(s.modelLead1, { recent: m.recent_days, half: m.half_life_days ?? m.recent_days })}</p>
      {breadth && <p>{fill(s.modelLead2, { recent: m.recent_days, breadth })}</p>}
      <p>{fill(s.modelLead3, { age: m.elderly_age ?? 65 })}</p>
      <div class="table-wrap">
        <table class="work-table">
          <caption class="visually-hidden">{s.modelCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{s.indicator}</th>
              <th scope="col">{s.domain}</th>
              <th scope="col" class="num">
                {s.weight}
              </th>
              <th scope="col" class="num">
                {s.perMonth}
              </th>
              <th scope="col" class="num">
                {s.maxMonths}
              </th>
            </tr>
          </thead>
          <tbody>
            {m.indicators.map((d) => (
              <tr>
                <th scope="row">{d.name_ko}</th>
                <td>{label(vocab.riskDomain, d.domain)}</td>
                <td class="num">{points(d.weight)}</td>
                <td class="num">{d.per_month > 0 ? `+${points(d.per_month * 100)}%` : '–'}</td>
                <td class="num">{d.per_month > 0 ? d.max_months : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

// --- One run ------------------------------------------------------------------------------------

export function ScreeningRunPage(props: { id: string }) {
  const s = S();
  const id = props.id;
  const loc = useLocation();
  const user = me.value!;
  const wide = districtWide();
  // A case worker without a dong (the district desk) has no dong list.
  const hasList = wide || !!user.dong_id;
  useStaff();
  const run = useAsync(
    (signal) => api.get<{ run: ScreeningRun; funnel: OutreachFunnel }>(`/screening/runs/${encodeURIComponent(id)}`, { signal }),
    [id],
  );
  const dongs = useAsync(() => loadDongs(), []);
  const chosen = (loc.query as Record<string, string>).dong ?? '';
  const dongId = wide ? Number(chosen) || dongs.data?.[0]?.id || 0 : (user.dong_id ?? 0);
  const flags = useAsync(
    (signal) =>
      !hasList || (wide && !dongId)
        ? Promise.resolve(null)
        : api.get<{ items: OutreachFlag[] }>(
            `/screening/runs/${encodeURIComponent(id)}/flags` + query({ dong_id: wide ? dongId : '' }),
            { signal },
          ),
    [id, dongId, hasList],
  );
  // Outcomes saved here, over what the list said.
  const [saved, setSaved] = useState<Record<number, OutreachFlag>>({});
  const [shown, setShown] = useState(50);
  useEffect(() => setShown(50), [dongId]);

  const dongLabel = (d: number) => dongs.data?.find((x: Dong) => x.id === d)?.name ?? '';
  const r = run.data?.run;
  const list = (flags.data?.items ?? []).map((f) => saved[f.id] ?? f);
  const listed = list.filter((f) => f.state !== 'under_management');
  const title = fill(s.runTitle, { id });

  return (
    <Page title={title}>
      <p>
        <a href="/screening">← {s.back}</a>
      </p>
      {hasList && <ErrorSummary error={run.error} />}
      {run.loading && !run.data && <Loading />}
      {r && (
        <section class="card" aria-labelledby="sc-facts-h">
          <h2 id="sc-facts-h">{s.factsH}</h2>
          <dl class="facts">
            <div>
              <dt>{s.colDate}</dt>
              <dd>{formatDate(r.as_of)}</dd>
            </div>
            <div>
              <dt>{s.ranWhen}</dt>
              <dd>{formatDateTime(r.created_at)}</dd>
            </div>
            <div>
              <dt>{s.ranBy}</dt>
              <dd>{staffName(r.created_by)}</dd>
            </div>
            <div>
              <dt>{s.colModel}</dt>
              <dd>{fill(s.version, { v: r.model_version })}</dd>
            </div>
            <div>
              <dt>{s.colScored}</dt>
              <dd>{fill(s.households, { n: num(r.households_scored) })}</dd>
            </div>
            <div>
              <dt>
                {s.colListed} ({s.wholeDistrict})
              </dt>
              <dd>
                {fill(s.households, { n: num(r.listed) })} · {fill(s.perDong, { n: r.capacity_per_dong })}
              </dd>
            </div>
            <div>
              <dt>{s.colCases}</dt>
              <dd>{fill(s.cases, { n: num(r.cases_created) })}</dd>
            </div>
          </dl>
        </section>
      )}
      {run.data && <FunnelCard funnel={run.data.funnel} scope={wide ? s.wholeDistrict : dongLabel(user.dong_id ?? 0)} />}

      {!hasList ? (
        <Notice kind="warn">{s.noDongList}</Notice>
      ) : (
        <section class="card" aria-labelledby="sc-list-h">
          <h2 id="sc-list-h">
            {s.listH}
            {dongId ? ` · ${dongLabel(dongId)}` : ''}
          </h2>
          {wide && dongs.data && (
            <div class="sc-dong-pick">
              <SelectField
                label={s.dong}
                name="dong"
                value={String(dongId)}
                onValue={(v) => loc.route(`/screening/${encodeURIComponent(id)}?dong=${encodeURIComponent(v)}`, true)}
                options={dongs.data.map((d) => ({ value: String(d.id), label: d.name }))}
                hint={s.dongHint}
              />
            </div>
          )}
          <ErrorSummary error={flags.error} />
          {flags.loading && <Loading />}
          {flags.data && !flags.loading && list.length === 0 && <p class="empty">{s.emptyList}</p>}
          {flags.data && !flags.loading && list.length > 0 && (
            <>
              <p class="sc-list-counts" id="sc-list-counts">
                {fill(s.listCounts, {
                  listed: num(listed.length),
                  done: num(listed.filter((f) => f.outcome).length),
                  managed: num(list.length - listed.length),
                })}
              </p>
              <ol class="sc-flags">
                {list.slice(0, shown).map((f) => (
                  <FlagItem
                    key={f.id}
                    flag={f}
                    asOf={r?.as_of ?? todayKst()}
                    onSaved={(next) => {
                      setSaved((old) => ({ ...old, [next.id]: next }));
                      run.reload();
                    }}
                  />
                ))}
              </ol>
              {list.length > shown && (
                <div class="actions">
                  <button type="button" onClick={() => setShown((n) => n + 50)}>
                    {fill(s.more, { n: num(list.length - shown) })}
                  </button>
                </div>
              )}
            </>
          )}
        </section>
      )}
    </Page>
  );
}

function FunnelCard(props: { funnel: OutreachFunnel; scope: string }) {
  const s = S();
  const f = props.funnel;
  const steps = [
    { key: 'flagged', name: s.stepFlagged, desc: s.descFlagged, n: f.flagged },
    { key: 'contacted', name: s.stepContacted, desc: s.descContacted, n: f.contacted },
    { key: 'assessed', name: s.stepAssessed, desc: s.descAssessed, n: f.assessed },
    { key: 'linked', name: s.stepLinked, desc: s.descLinked, n: f.linked },
    { key: 'outcome', name: s.stepOutcome, desc: s.descOutcome, n: f.outcome },
  ];
  const top = Math.max(f.flagged, 1);
  return (
    <section class="card" aria-labelledby="sc-funnel-h">
      <h2 id="sc-funnel-h">
        {s.funnelH}
        {props.scope ? ` · ${props.scope}` : ''}
      </h2>
      <p class="hint sc-funnel-lead">{s.funnelCaption}</p>
      <ol class="sc-funnel" id="screening-funnel">
        {steps.map((st) => (
          <li data-step={st.key}>
            <span class="sc-step-name">{st.name}</span>
            <span class="sc-step-bar" aria-hidden="true">
              <span class={'sc-step-fill sc-fill-' + st.key} style={{ width: `${Math.min(100, (st.n / top) * 100)}%` }} />
            </span>
            <span class="sc-step-count">
              <strong class="sc-step-n">{num(st.n)}</strong>
              <span class="visually-hidden">
                {' '}
                ({fill(s.stepOf, { n: num(f.flagged), k: num(st.n) })})
              </span>
            </span>
            <span class="sc-step-desc">{st.desc}</span>
          </li>
        ))}
      </ol>
      <p class="muted small">
        {fill(s.aside, { unreachable: num(f.unreachable), noNeed: num(f.no_need), again: num(f.raised_again) })}
      </p>
    </section>
  );
}

// --- One household ---------------------------------------------------------------------------------

const OUTCOMES = ['contacted', 'unreachable', 'support_linked', 'no_need'] as const;

function FlagItem(props: { flag: OutreachFlag; asOf: string; onSaved: (f: OutreachFlag) => void }) {
  const s = S();
  const f = props.flag;
  const headingId = `flag-${f.id}-h`;
  const managed = f.state === 'under_management';
  const total = f.reasons.reduce((a, r) => a + r.points, 0);
  return (
    <li class={'sc-flag sc-state-' + f.state} id={`flag-${f.id}`} aria-labelledby={headingId} data-household={f.household_id}>
      <div class="sc-flag-head">
        {f.rank > 0 && (
          <span class="sc-rank" aria-hidden="true">
            {f.rank}
          </span>
        )}
        <h3 id={headingId}>
          {f.rank > 0 && <span class="visually-hidden">{fill(s.rank, { n: f.rank })} </span>}
          {fill(s.household, { id: f.household_id })}
        </h3>
        <Badge kind={stateKind(f.state)}>{label(vocab.flagState, f.state)}</Badge>
        <span class="sc-score">{fill(s.score, { n: points(f.score) })}</span>
      </div>
      <p class="sc-facts">{householdFacts(f.household, props.asOf)}</p>
      {f.state === 'raised_again' && <p class="small sc-again">{s.againNote}</p>}
      <p class="sc-summary" lang="ko">
        {f.summary_ko}
      </p>
      {f.reasons.length > 0 && (
        <details class="sc-reasons">
          <summary>{fill(s.reasons, { n: f.reasons.length })}</summary>
          <table>
            <caption class="visually-hidden">{fill(s.reasonsCaption, { id: f.household_id })}</caption>
            <thead>
              <tr>
                <th scope="col">{s.reason}</th>
                <th scope="col" class="num">
                  {s.points}
                </th>
              </tr>
            </thead>
            <tbody>
              {f.reasons.map((r) => (
                <tr>
                  <td lang="ko">{r.text_ko}</td>
                  <td class="num">+{points(r.points)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{s.total}</th>
                <td class="num">{points(total)}</td>
              </tr>
            </tfoot>
          </table>
        </details>
      )}
      <p class="sc-case">
        {f.case_id ? (
          <a href={`/cases/${f.case_id}`}>
            {s.caseLink}
            <span class="visually-hidden"> ({fill(s.household, { id: f.household_id })})</span>
          </a>
        ) : (
          !managed && <span class="muted">{s.noCase}</span>
        )}
      </p>
      {managed ? <p class="muted sc-managed">{s.managedNote}</p> : <OutcomeBox flag={f} onSaved={props.onSaved} />}
    </li>
  );
}

// The server's per-field problems in plain words: its texts for codes list the codes.
function plainDetail(d: FieldViolation): string {
  const s = S();
  if (d.field === 'outcome' && (d.code === 'invalid_value' || d.code === 'required')) return s.plainOutcome;
  if (d.field === 'no_need_reason' && d.code === 'invalid_value') return s.plainReason;
  return locale.value === 'en' ? d.message : d.message_ko || d.message;
}

function plainField(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const d = error.field(field);
  return d ? plainDetail(d) : undefined;
}

function OutcomeBox(props: { flag: OutreachFlag; onSaved: (f: OutreachFlag) => void }) {
  const s = S();
  const f = props.flag;
  const [editing, setEditing] = useState(!f.outcome);
  const initial = { outcome: f.outcome ?? '', detail: f.outcome_detail ?? '', reason: f.no_need_reason ?? '' };
  const [draft, setDraft, clearDraft] = useDraft(`screening.flag.${f.id}`, initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(0);
  const noticeRef = useFocusOn(done);
  const name = `outcome-${f.id}`;

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = {};
      if (draft.outcome) body.outcome = draft.outcome;
      if (draft.outcome === 'support_linked' || draft.outcome === 'no_need') body.detail = draft.detail;
      if (draft.outcome === 'no_need') body.no_need_reason = draft.reason;
      const answer = await api.post<{ flag: OutreachFlag }>(`/screening/flags/${f.id}/outcome`, body);
      clearDraft();
      setEditing(false);
      setDone((n) => n + 1);
      props.onSaved(answer.flag);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!editing && f.outcome) {
    return (
      <div class="sc-outcome sc-outcome-done">
        {done > 0 && (
          <div ref={noticeRef} tabIndex={-1} class="notice-anchor">
            <Notice>{s.saved}</Notice>
          </div>
        )}
        <dl class="facts">
          <div>
            <dt>{s.recorded}</dt>
            <dd>
              <Badge kind={f.outcome === 'support_linked' ? 'ok' : f.outcome === 'unreachable' ? 'urgent' : 'status'}>
                {label(vocab.outreachOutcome, f.outcome)}
              </Badge>
            </dd>
          </div>
          {f.outcome === 'no_need' && f.no_need_reason && (
            <div>
              <dt>{s.noNeedReason}</dt>
              <dd>{label(vocab.noNeedReason, f.no_need_reason)}</dd>
            </div>
          )}
          {f.outcome_at && (
            <div>
              <dt>{s.recordedBy}</dt>
              <dd>
                {formatDateTime(f.outcome_at)}
                {f.outcome_by ? ` · ${staffName(f.outcome_by)}` : ''}
              </dd>
            </div>
          )}
          {f.outcome_detail && (
            <div class="wide">
              <dt>{f.outcome === 'support_linked' ? s.linkedSupport : s.noteShown}</dt>
              <dd class="prewrap">{f.outcome_detail}</dd>
            </div>
          )}
        </dl>
        <div class="actions">
          <button
            type="button"
            onClick={() => {
              setDone(0);
              setDraft({ outcome: f.outcome ?? '', detail: f.outcome_detail ?? '', reason: f.no_need_reason ?? '' });
              setEditing(true);
            }}
          >
            {s.change}
            <span class="visually-hidden"> ({fill(s.household, { id: f.household_id })})</span>
          </button>
        </div>
      </div>
    );
  }

  return (
    <form
      class="sc-outcome"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <ErrorSummary
        error={error}
        message={error instanceof ApiError && error.status === 409 ? s.conflict : undefined}
        details={(details) =>
          details.length > 0 && (
            <ul>
              {details.map((d) => (
                <li>{plainDetail(d)}</li>
              ))}
            </ul>
          )
        }
      />
      <RadioGroup
        legend={s.outcomeH}
        name={name}
        value={draft.outcome}
        onValue={(v) => setDraft((d) => ({ ...d, outcome: v }))}
        options={OUTCOMES.map((o) => ({ value: o, label: label(vocab.outreachOutcome, o) }))}
        error={plainField(error, 'outcome')}
      />
      {draft.outcome === 'support_linked' && (
        <TextField
          label={s.which}
          name="detail"
          value={draft.detail}
          onValue={(v) => setDraft((d) => ({ ...d, detail: v }))}
          hint={s.whichHint}
          required
          maxLength={500}
          error={plainField(error, 'detail')}
        />
      )}
      {draft.outcome === 'no_need' && (
        <div class="row">
          <SelectField
            label={s.noNeedReason}
            name="no_need_reason"
            value={draft.reason}
            onValue={(v) => setDraft((d) => ({ ...d, reason: v }))}
            placeholder={s.chooseReason}
            options={Object.keys(vocab.noNeedReason).map((c) => ({ value: c, label: label(vocab.noNeedReason, c) }))}
            required
            error={plainField(error, 'no_need_reason')}
          />
          <TextField
            label={s.note}
            name="detail"
            value={draft.detail}
            onValue={(v) => setDraft((d) => ({ ...d, detail: v }))}
            hint={s.noteHint}
            maxLength={500}
            error={plainField(error, 'detail')}
          />
        </div>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? s.saving : s.save}
          <span class="visually-hidden"> ({fill(s.household, { id: f.household_id })})</span>
        </button>
        {f.outcome && (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              setError(null);
              clearDraft();
              setEditing(false);
            }}
          >
            {s.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
