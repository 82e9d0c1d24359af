// What the Intake and Case screens share: the case's JSON shapes, the
// next-step and referral-with-consent fields, the crisis protocol card and an
// error box that speaks plainly about conflicts and rules. The directory
// (categories, dongs, agencies, holidays) is in ../directory.ts.
import type { ComponentChildren } from 'preact';
import { signal } from '@preact/signals';
import { ApiError } from '../api';
import { locale, strings, vocab, label, todayKst, addDays, type Pair } from '../i18n';
import { Checkbox, DetailList, ErrorSummary, SelectField, TextArea, TextField, type Option } from '../ui';
import { agenciesFor, type DirectoryParts } from '../directory';
import './case_shared.css';

// --- Shapes (src/app/routes_cases.cpp) ------------------------------------------------

export interface Household {
  living_alone: boolean;
  members: number;
  disability: boolean;
  housing_type: string;
}

export interface Resident {
  id: number;
  dong_id: number | null;
  name: string;
  birth_date: string;
  phone: string;
  address: string;
  household: Household;
  tags: string[];
  rrn: string;
  safety_note: string;
  flagged_malicious: boolean;
  contact_by?: 'sms' | 'alimtalk' | 'none';
  erased: boolean;
  masked: boolean;
  version: number;
}

export interface Consultation {
  id: number;
  counselor_id: number;
  at: string;
  kind: string;
  notes: string;
  outcome: string;
  answer?: string; // for the asker: shown in the resident portal's lookup
}

export interface Referral {
  id: number;
  case_id: number;
  agency_id: number;
  status: string;
  referred_by: number;
  consent: { given_by: string; recorded_by?: number; at: string; scope: string[]; until: string };
  request_note: string;
  sent_at: string;
  accept_due_at: string;
  overdue: boolean;
  responded_at: string | null;
  decline_reason: string | null;
  decline_note: string;
  completed_at: string | null;
  outcome: string;
}

export interface FollowUp {
  id: number;
  kind: string;
  due_at: string;
  overdue: boolean;
  owner_id: number;
  recurrence_days: number;
  status: string;
  result: string | null;
  note: string;
  done_at: string | null;
  done_by: number | null;
}

export interface Clock {
  kind: string;
  due: string;
  state: string;
  working_days_left: number;
}

export interface CaseView {
  id: number;
  number: string;
  dong_id: number;
  desk_id: number | null;
  channel: string;
  resident_id: number | null;
  primary_category: string;
  secondary_categories: string[];
  urgency: string;
  status: string;
  status_label_ko: string;
  counselor_id: number;
  case_manager_id: number | null;
  opened_at: string;
  resolved_at: string | null;
  closed_at: string | null;
  erased: boolean;
  version: number;
  reporter: { kind: string; name: string; relation: string; contact: string };
  resident: Resident | null;
  summary: string;
  resolution_note: string;
  close_note: string;
  waiting_on_resident: boolean;
  deadline_extended: boolean;
  progress_notice_on: string | null;
  received_on: string;
  next_due_at: string | null;
  overdue: boolean;
  consultations: Consultation[];
  referrals: Referral[];
  follow_ups: FollowUp[];
  clocks: Clock[];
  next_transitions: string[];
}

// Set by the intake screen just before it opens the new case, which shows the number.
export const justCreated = signal<{ id: number; number: string } | null>(null);

// The next working day after `from` (weekends and the district's holidays skipped).
export function nextWorkingDay(holidays: Set<string> | undefined, from = todayKst(), days = 1): string {
  let d = from;
  let left = days;
  while (left > 0) {
    d = addDays(d, 1);
    const wd = new Date(d + 'T00:00:00Z').getUTCDay();
    if (wd !== 0 && wd !== 6 && !holidays?.has(d)) left--;
  }
  return d;
}

// "01030000101" → "010-3000-0101", as people read and dial it; masked or
// odd values as they are.
export function formatPhone(raw: string): string {
  const d = raw.replace(/\D/g, '');
  if (/^01\d{8,9}$/.test(d)) return d.replace(/^(\d{3})(\d{3,4})(\d{4})$/, '$1-$2-$3');
  if (/^02\d{7,8}$/.test(d)) return d.replace(/^(02)(\d{3,4})(\d{4})$/, '$1-$2-$3');
  if (/^0\d{9,10}$/.test(d)) return d.replace(/^(\d{3})(\d{3,4})(\d{4})$/, '$1-$2-$3');
  return raw;
}

// --- Shared vocabulary of these screens --------------------------------------------------

const p = (ko: string, en: string): Pair => ({ ko, en });

export const consentFieldLabels: Record<string, Pair> = {
  name: p('이름', 'Name'),
  phone: p('전화번호', 'Phone'),
  address: p('주소', 'Address'),
  birth_date: p('생년월일', 'Birth date'),
  summary: p('상담 내용', 'Concern'),
};

export const tagLabels: Record<string, Pair> = {
  elderly_alone: p('홀로 사는 어르신', 'Older person living alone'),
  single_middle_aged_man: p('중장년 1인 가구', 'Middle-aged man living alone'),
  disability: p('장애', 'Disability'),
  single_parent: p('한부모 가정', 'Single parent'),
  child_headed: p('아동·청소년 가장', 'Child-headed household'),
  multicultural: p('다문화 가정', 'Multicultural family'),
  low_income: p('저소득', 'Low income'),
};

export const progressHowLabels: Record<string, Pair> = {
  call: p('전화', 'Call'),
  message: p('문자·메시지', 'Message'),
  letter: p('우편', 'Letter'),
  visit: p('방문', 'Visit'),
};

export function options(table: Record<string, Pair>, only?: string[]): Option[] {
  return Object.keys(table)
    .filter((k) => !only || only.includes(k))
    .map((k) => ({ value: k, label: label(table, k) }));
}

// --- Next-step fields --------------------------------------------------------------------

export interface FollowUpDraft {
  kind: string;
  due: string;
  weekly: boolean;
  note: string;
}

export function emptyFollowUp(kind = 'counseling', due = ''): FollowUpDraft {
  return { kind, due, weekly: false, note: '' };
}

export function followUpBody(f: FollowUpDraft) {
  return {
    kind: f.kind,
    ...(f.due ? { due: f.due } : {}),
    ...(f.weekly ? { recurrence_days: 7 } : {}),
    ...(f.note.trim() ? { note: f.note.trim() } : {}),
  };
}

const FS = () =>
  strings({
    kind: { ko: '무엇을', en: 'What' },
    due: { ko: '언제까지', en: 'Due by' },
    dueHint: { ko: '기본값은 다음 근무일입니다.', en: 'The next working day by default.' },
    weekly: { ko: '매주 반복 (안부 확인 등)', en: 'Repeat weekly (welfare checks)' },
    weeklyHint: {
      ko: '결과를 기록할 때마다 한 주 뒤 같은 일정이 다시 잡힙니다.',
      en: 'Each recorded result schedules the next one a week later.',
    },
    note: { ko: '일정 메모 (선택)', en: 'Note on the follow-up (optional)' },
    agency: { ko: '연계 기관', en: 'Agency' },
    agencyHint: { ko: '선택한 상담 분야를 담당하는 기관만 보입니다.', en: 'Only agencies handling the chosen category.' },
    agencyNone: {
      ko: '이 분야를 담당하는 기관이 없습니다. "모든 기관 보기"를 선택해 주세요.',
      en: 'No agency handles this category. Choose "Show all agencies".',
    },
    allAgencies: { ko: '모든 기관 보기', en: 'Show all agencies' },
    choose: { ko: '선택해 주세요', en: 'Choose' },
    consent: { ko: '개인정보 제공 동의', en: 'Consent to share personal data' },
    consentHint: {
      ko: '주민(또는 법정대리인)이 동의한 항목만 기관에 전달됩니다.',
      en: 'Only the fields the resident (or their representative) agreed to are shared.',
    },
    givenBy: { ko: '동의한 사람', en: 'Consent given by' },
    givenByHint: { ko: '예: 본인, 배우자(법정대리인)', en: 'e.g. the resident, a legal representative' },
    scope: { ko: '제공할 항목', en: 'Fields to share' },
    until: { ko: '동의 기한', en: 'Consent until' },
    untilHint: { ko: '기본값은 90일 뒤입니다.', en: '90 days by default.' },
    request: { ko: '기관에 요청할 내용 (선택)', en: 'Request to the agency (optional)' },
    response: { ko: '회신 기한', en: 'answers within' },
    hours: { ko: '시간', en: 'h' },
  });

export function FollowUpFields(props: {
  value: FollowUpDraft;
  onChange: (v: FollowUpDraft) => void;
  error?: unknown;
  prefix?: string; // server field prefix: "follow_up", "next" or ""
  kinds?: string[];
  allowWeekly?: boolean;
}) {
  const s = FS();
  const v = props.value;
  const f = (name: string) => (props.prefix ? props.prefix + '.' + name : name);
  const err = (name: string) => fieldErrorText(props.error, f(name));
  return (
    <div>
      <div class="row">
        <SelectField
          label={s.kind}
          value={v.kind}
          onValue={(kind) => props.onChange({ ...v, kind })}
          options={options(vocab.followUpKind, props.kinds ?? ['counseling', 'welfare_check', 'home_visit', 'resolution_check', 'relink'])}
          error={err('kind')}
          required
        />
        <TextField
          label={s.due}
          type="date"
          value={v.due}
          onValue={(due) => props.onChange({ ...v, due })}
          min={todayKst()}
          hint={s.dueHint}
          error={err('due')}
          required
        />
      </div>
      {props.allowWeekly !== false && (
        <Checkbox label={s.weekly} checked={v.weekly} onChecked={(weekly) => props.onChange({ ...v, weekly })} hint={s.weeklyHint} />
      )}
      <TextField label={s.note} value={v.note} onValue={(note) => props.onChange({ ...v, note })} error={err('note')} maxLength={4000} />
    </div>
  );
}

export interface ReferralDraft {
  agency_id: string;
  all: boolean;
  given_by: string;
  scope: string[];
  until: string;
  request_note: string;
}

export function emptyReferral(): ReferralDraft {
  return { agency_id: '', all: false, given_by: '본인', scope: ['name', 'phone', 'summary'], until: addDays(todayKst(), 90), request_note: '' };
}

export function referralBody(r: ReferralDraft) {
  return {
    agency_id: Number(r.agency_id) || 0,
    consent: { given_by: r.given_by.trim(), scope: r.scope, ...(r.until ? { until: r.until } : {}) },
    ...(r.request_note.trim() ? { request_note: r.request_note.trim() } : {}),
  };
}

export function ReferralFields(props: {
  value: ReferralDraft;
  onChange: (v: ReferralDraft) => void;
  dir: DirectoryParts;
  categories: string[];
  error?: unknown;
  clientErrors?: Record<string, string>;
  prefix?: string; // "referral" at intake, "" on the case
}) {
  const s = FS();
  const v = props.value;
  const f = (name: string) => (props.prefix ? props.prefix + '.' + name : name);
  const err = (name: string) => props.clientErrors?.[f(name)] ?? fieldErrorText(props.error, f(name));
  const matching = agenciesFor(props.dir, props.categories);
  const list = v.all || matching.length === 0 ? props.dir?.agencies ?? [] : matching;
  const agencyOptions = list.map((a) => ({
    value: String(a.id),
    label: `${a.name} (${s.response} ${a.response_hours}${s.hours})`,
  }));
  return (
    <div>
      <SelectField
        label={s.agency}
        value={v.agency_id}
        onValue={(agency_id) => props.onChange({ ...v, agency_id })}
        options={agencyOptions}
        placeholder={s.choose}
        hint={matching.length === 0 && !v.all ? s.agencyNone : s.agencyHint}
        error={err('agency_id')}
        required
      />
      <Checkbox label={s.allAgencies} checked={v.all} onChecked={(all) => props.onChange({ ...v, all })} />
      <fieldset>
        <legend>{s.consent}</legend>
        <p class="hint">{s.consentHint}</p>
        <TextField
          label={s.givenBy}
          value={v.given_by}
          onValue={(given_by) => props.onChange({ ...v, given_by })}
          hint={s.givenByHint}
          error={err('consent.given_by')}
          required
          maxLength={100}
        />
        <fieldset class="case-checks">
          <legend>{s.scope}</legend>
          {Object.keys(consentFieldLabels).map((k) => (
            <Checkbox
              label={label(consentFieldLabels, k)}
              checked={v.scope.includes(k)}
              onChecked={(on) =>
                props.onChange({ ...v, scope: on ? [...v.scope.filter((x) => x !== k), k] : v.scope.filter((x) => x !== k) })
              }
            />
          ))}
        </fieldset>
        <TextField
          label={s.until}
          type="date"
          value={v.until}
          onValue={(until) => props.onChange({ ...v, until })}
          min={todayKst()}
          hint={s.untilHint}
          error={err('consent.until')}
        />
      </fieldset>
      <TextArea
        label={s.request}
        value={v.request_note}
        onValue={(request_note) => props.onChange({ ...v, request_note })}
        rows={2}
        error={err('request_note')}
        maxLength={4000}
      />
    </div>
  );
}

// The server's message for a field, or for any of its sub-fields ("consent.scope[0]").
export function fieldErrorText(error: unknown, name: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const d =
    error.details.find((x) => x.field === name) ??
    error.details.find((x) => x.field.startsWith(name + '.') || x.field.startsWith(name + '['));
  if (!d) return undefined;
  return locale.value === 'en' ? d.message : d.message_ko || d.message;
}

// The rule a 422 names (details[0].code), e.g. next_step_required.
export function ruleOf(error: unknown): string {
  if (!(error instanceof ApiError) || error.status !== 422) return '';
  return error.details.find((d) => d.field === '')?.code ?? '';
}

// --- The crisis protocol ------------------------------------------------------------------

const CS = () =>
  strings({
    title: { ko: '위기 대응 절차', en: 'Crisis protocol' },
    lead: {
      ko: '주민을 혼자 두지 말고, 아래 기관에 바로 연결한 뒤 팀장에게 알려 주세요.',
      en: 'Do not leave the resident alone: connect them now, then tell your supervisor.',
    },
    suicide: { ko: '자살예방상담전화 (24시간)', en: 'Suicide prevention line (24h)' },
    welfare: { ko: '보건복지상담센터 (긴급 복지 지원)', en: 'Health and welfare call centre (emergency aid)' },
    police: { ko: '경찰 (생명·신체 위험이 급박할 때)', en: 'Police (immediate danger)' },
    ambulance: { ko: '구급·소방 (응급 환자, 화재)', en: 'Ambulance and fire' },
  });

export function CrisisProtocol(props: { children?: ComponentChildren; headingLevel?: 2 | 3 }) {
  const s = CS();
  const H = props.headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div class="case-crisis" role="region" aria-label={s.title}>
      <H>{s.title}</H>
      <p>{s.lead}</p>
      <ul>
        <li>
          <strong>1393</strong> {s.suicide}
        </li>
        <li>
          <strong>129</strong> {s.welfare}
        </li>
        <li>
          <strong>112</strong> {s.police}
        </li>
        <li>
          <strong>119</strong> {s.ambulance}
        </li>
      </ul>
      {props.children}
    </div>
  );
}

// --- Problems, in plain words ---------------------------------------------------------------

const PS = () =>
  strings({
    conflict: {
      ko: '다른 직원이 먼저 이 상담을 수정했습니다. 입력하신 내용은 그대로 남아 있습니다. 최신 내용을 불러와 다시 적용해 주세요.',
      en: 'Someone else changed this case first. What you typed is kept. Reload the latest version and apply it again.',
    },
    reapply: { ko: '새로 불러와 다시 적용', en: 'Reload and re-apply' },
    allowed: { ko: '지금 바꿀 수 있는 상태', en: 'Statuses allowed now' },
  });

// An error next to the action that caused it (ErrorSummary, in this
// screen's words). 412: the stale-edit explanation with "reload and
// re-apply"; 409 transitions: the allowed statuses; the rule itself
// (field "") and duplicate hints are said elsewhere, not listed.
export function CaseProblem(props: { error: unknown; onReapply?: () => void; children?: ComponentChildren }) {
  const s = PS();
  const e = props.error;
  if (e instanceof ApiError && e.status === 412) {
    return (
      <ErrorSummary error={e} message={s.conflict} details={() => null}>
        {props.children}
        {props.onReapply && (
          <div class="actions">
            <button type="button" class="primary" onClick={props.onReapply}>
              {s.reapply}
            </button>
          </div>
        )}
      </ErrorSummary>
    );
  }
  return (
    <ErrorSummary
      error={e}
      details={(details) => {
        const allowed = details.filter((d) => d.code === 'allowed_transition');
        const others = details.filter((d) => d.code !== 'allowed_transition' && d.code !== 'possible_duplicate' && d.field !== '');
        return (
          <>
            {allowed.length > 0 && (
              <p>
                {s.allowed}: {allowed.map((d) => label(vocab.status, d.message)).join(', ')}
              </p>
            )}
            <DetailList details={others} />
          </>
        );
      }}
    >
      {props.children}
    </ErrorSummary>
  );
}

// A read-only value with its term, for summaries.
export function Fact(props: { term: string; children: ComponentChildren }) {
  return (
    <div class="case-fact">
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

