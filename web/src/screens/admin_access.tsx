// 관리 · 접속기록: search the hash-chained access records (who did what to
// which record, when, from where) and the monthly review (접속기록 점검) with
// its flags explained. Looking at the records is itself recorded.
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { fill, formatDateTime, label, strings, todayKst, tr, vocab, type Pair } from '../i18n';
import { Badge, ErrorSummary, Loading, SelectField, TextField, fieldError, useAsync, useDraft, usePages, type CursorPage } from '../ui';
import { explain, type UserRow } from './admin_common';

const S = () =>
  strings({
    search: { ko: '접속기록 검색', en: 'Search the access records' },
    searchIntro: {
      ko: '개인정보를 보거나 바꾼 일, 로그인과 계정 변경이 모두 기록됩니다. 기록은 지울 수 없고 고치면 드러나도록 이어져 있습니다.',
      en: 'Every look at or change of personal data, every sign-in and account change is recorded. Records cannot be removed and are chained so changes show.',
    },
    user: { ko: '사용자', en: 'User' },
    anyUser: { ko: '모든 사용자', en: 'All users' },
    action: { ko: '작업', en: 'Action' },
    anyAction: { ko: '모든 작업', en: 'All actions' },
    targetType: { ko: '대상 종류', en: 'Target type' },
    anyTarget: { ko: '모든 대상', en: 'All targets' },
    targetId: { ko: '대상 번호', en: 'Target id' },
    targetIdHint: { ko: '예: 상담 건 번호(내부 id) 12', en: 'E.g. the internal case id 12' },
    submit: { ko: '검색', en: 'Search' },
    more: { ko: '더 보기', en: 'Show more' },
    found: { ko: '{n}건을 보여 줍니다.', en: 'Showing {n} records.' },
    foundMore: { ko: '{n}건을 보여 줍니다. 더 있습니다.', en: 'Showing {n} records. There are more.' },
    nothing: { ko: '조건에 맞는 기록이 없습니다.', en: 'No record matches.' },
    caption: { ko: '접속기록 (최근 것부터)', en: 'Access records (newest first)' },
    at: { ko: '시각', en: 'Time' },
    role: { ko: '역할', en: 'Role' },
    target: { ko: '대상', en: 'Target' },
    purpose: { ko: '사유', en: 'Purpose' },
    outcome: { ko: '결과', en: 'Outcome' },
    ip: { ko: 'IP 주소', en: 'IP address' },
    allowed: { ko: '허용', en: 'Allowed' },
    denied: { ko: '거부', en: 'Denied' },
    unknownUser: { ko: '(알 수 없음)', en: '(unknown)' },
    review: { ko: '월간 접속기록 점검', en: 'Monthly access review' },
    reviewIntro: {
      ko: '한 달 동안 사용자마다 개인정보를 얼마나, 언제, 어디서 보았는지 모아 봅니다. 주의 표시가 있는 사용자는 업무상 필요했는지 확인하고 결과를 남기세요.',
      en: 'Per user, how much personal data they looked at in a month, when and where. Check with flagged users whether their work needed it, and keep a note of the result.',
    },
    month: { ko: '점검할 달', en: 'Month' },
    monthHint: { ko: '예: 2026-11', en: 'E.g. 2026-11' },
    runReview: { ko: '점검하기', en: 'Review' },
    reviewSummary: { ko: '{month}: 기록 {records}건, 사용자 {users}명, 주의 표시 {flagged}명.', en: '{month}: {records} records, {users} users, {flagged} flagged.' },
    reviewCaption: { ko: '{month} 사용자별 접속 (주의 표시가 있는 사용자부터)', en: '{month} per user (flagged users first)' },
    reads: { ko: '열람', en: 'Reads' },
    targets: { ko: '열람한 대상', en: 'Distinct records' },
    unmasks: { ko: '개인정보 보기', en: 'Unmasks' },
    bulk: { ko: '목록·검색', en: 'Lists, searches' },
    outside: { ko: '관할 밖', en: 'Outside own dong' },
    afterHours: { ko: '업무시간 외', en: 'After hours' },
    deniedCount: { ko: '거부됨', en: 'Denied' },
    flags: { ko: '주의 표시', en: 'Flags' },
    noFlags: { ko: '없음', en: 'None' },
    noUsers: { ko: '이 달에는 개인정보를 본 기록이 없습니다.', en: 'No one looked at personal data in this month.' },
    flagsHeading: { ko: '주의 표시의 뜻', en: 'What the flags mean' },
  });

const p = (ko: string, en: string): Pair => ({ ko, en });

const ACTIONS: Record<string, Pair> = {
  login: p('로그인', 'Sign-in'),
  login_failed: p('로그인 실패', 'Failed sign-in'),
  logout: p('로그아웃', 'Sign-out'),
  account_locked: p('계정 잠김', 'Account locked'),
  password_changed: p('비밀번호 변경', 'Password changed'),
  second_factor_passed: p('2단계 인증 통과', 'Second factor passed'),
  second_factor_failed: p('2단계 인증 실패', 'Second factor failed'),
  totp_setup_started: p('2단계 인증 설정 시작', 'Second factor setup'),
  totp_enabled: p('2단계 인증 켬', 'Second factor on'),
  totp_disabled: p('2단계 인증 끔', 'Second factor off'),
  session_revoked: p('다른 기기 로그아웃', 'Session revoked'),
  user_created: p('계정 생성', 'Account created'),
  user_updated: p('계정 변경', 'Account changed'),
  user_unlocked: p('계정 잠금 해제', 'Account unlocked'),
  read: p('열람', 'Read'),
  unmask: p('개인정보 보기', 'Unmask'),
  list: p('목록 보기', 'List'),
  search: p('검색', 'Search'),
  lookup: p('대상자 찾기', 'Resident look-up'),
  export: p('내보내기', 'Export'),
  create: p('등록', 'Create'),
  update: p('변경', 'Update'),
  erase: p('삭제(파기)', 'Erase'),
  anonymise: p('익명 처리', 'Anonymise'),
};

const TARGETS: Record<string, Pair> = {
  case: p('상담 건', 'Case'),
  resident: p('대상자', 'Resident'),
  referral: p('연계', 'Referral'),
  follow_up: p('사후관리', 'Follow-up'),
  today: p('오늘의 업무', 'Today'),
  session: p('로그인 세션', 'Session'),
  user: p('사용자 계정', 'User account'),
  access_records: p('접속기록', 'Access records'),
  access_review: p('월간 점검', 'Monthly review'),
};

// Why a record was made or refused (the purpose column), comma-separated codes.
const PURPOSES: Record<string, Pair> = {
  outside_own_dong: p('관할 밖 열람', 'Outside own dong'),
  inactive: p('사용 중지된 계정', 'Deactivated account'),
  locked: p('잠긴 계정', 'Locked account'),
  deactivated: p('사용 중지', 'Deactivated'),
  reactivated: p('다시 사용', 'Reactivated'),
  display_name: p('이름', 'Name'),
  role: p('역할', 'Role'),
  dong_id: p('소속 동', 'Dong'),
  agency_id: p('소속 기관', 'Agency'),
};

function purposeText(purpose: string): string {
  if (!purpose) return '';
  return purpose
    .split(',')
    .map((code) => label(PURPOSES, code.trim()))
    .join(', ');
}

const FLAGS: Record<string, { name: Pair; explain: Pair }> = {
  many_targets: {
    name: p('많은 대상 열람', 'Many records read'),
    explain: p('한 달에 300곳이 넘는 대상자·상담 기록을 열었습니다. 맡은 일의 양에 맞는지 확인하세요.', 'Opened more than 300 distinct residents or cases in the month. Check it matches their workload.'),
  },
  after_hours: {
    name: p('업무시간 외 열람', 'After-hours reads'),
    explain: p('평일 오전 8시 전이나 오후 8시 이후, 또는 주말·공휴일에 개인정보를 6번 이상 보았습니다.', 'Looked at personal data 6 or more times before 8:00, after 20:00, or on weekends and holidays.'),
  },
  many_unmasks: {
    name: p('개인정보 보기 많음', 'Many unmasks'),
    explain: p('가려진 개인정보(이름·연락처·주소 전체)를 20번 넘게 펼쳐 보았습니다.', 'Revealed masked personal data (full name, phone, address) more than 20 times.'),
  },
  outside_dong: {
    name: p('관할 밖 열람', 'Outside own dong'),
    explain: p('소속 동이 아닌 곳의 상담이나 대상자를 열었습니다. 한 번이라도 업무상 이유가 있었는지 확인하세요.', 'Opened cases or residents outside their own dong. Even once is worth a check.'),
  },
  bulk_access: {
    name: p('목록·검색 많음', 'Bulk access'),
    explain: p('목록 보기·검색·내보내기를 한 달에 50번 넘게 했습니다.', 'Listed, searched or exported more than 50 times in the month.'),
  },
  repeated_denials: {
    name: p('거부 반복', 'Repeated denials'),
    explain: p('권한이 없는 요청이 5번 넘게 거부되었습니다. 권한이 잘못 주어졌거나 다른 사람의 기록을 찾으려 했을 수 있습니다.', 'More than 5 requests were denied. The role may be wrong, or they looked for records not theirs.'),
  },
};

interface RecordRow {
  id: number;
  at: string;
  user_id: number;
  role: string;
  ip: string;
  action: string;
  target_type: string;
  target_id: string;
  purpose: string;
  outcome: string;
}

interface ReviewUser {
  user_id: number;
  role: string;
  reads: number;
  distinct_targets: number;
  unmasks: number;
  bulk: number;
  outside_dong: number;
  after_hours: number;
  denied: number;
  flags: string[];
}

interface Review {
  month: string;
  records: number;
  users: ReviewUser[];
}

const PAGE = 50;

export function AdminAccessRecords() {
  const users = useAsync((signal) => api.get<{ items: UserRow[] }>('/users', { signal }), []);
  const who = (id: number) => {
    if (!id) return S().unknownUser;
    const u = users.data?.items.find((x) => x.id === id);
    return u ? `${u.display_name} (${u.login})` : `#${id}`;
  };
  return (
    <>
      <Search users={users.data?.items ?? []} who={who} />
      <MonthlyReview who={who} />
    </>
  );
}

function Search(props: { users: UserRow[]; who: (id: number) => string }) {
  const s = S();
  const [form, setForm] = useDraft('admin.access-search', { user_id: '', action: '', target_type: '', target_id: '' });
  // The criteria of the last search, with a count so that searching again reloads.
  const [search, setSearch] = useState<{ criteria: typeof form; n: number } | null>(null);
  const pages = usePages<RecordRow>(search && JSON.stringify(search), (before, signal) => {
    const c = search!.criteria;
    return api.get<CursorPage<RecordRow>>(
      '/access-records' +
        query({ user_id: c.user_id, action: c.action, target_type: c.target_type, target_id: c.target_id.trim(), before_id: before ?? undefined, limit: PAGE }),
      { signal },
    );
  });
  const { items, next } = pages;
  const busy = pages.loading || pages.moreBusy;
  const error = explain(pages.error ?? pages.moreError);

  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const options = (table: Record<string, Pair>) => Object.keys(table).map((k) => ({ value: k, label: `${label(table, k)} (${k})` }));
  return (
    <section aria-labelledby="search-h" class="card">
      <h2 id="search-h">{s.search}</h2>
      <p class="muted">{s.searchIntro}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSearch((old) => ({ criteria: form, n: (old?.n ?? 0) + 1 }));
        }}
      >
        <div class="row admin-row-top">
          <SelectField
            label={s.user}
            name="user_id"
            value={form.user_id}
            onValue={set('user_id')}
            placeholder={s.anyUser}
            options={props.users.map((u) => ({ value: String(u.id), label: `${u.display_name} (${u.login})` }))}
            error={fieldError(error, 'user_id')}
          />
          <SelectField label={s.action} name="action" value={form.action} onValue={set('action')} placeholder={s.anyAction} options={options(ACTIONS)} />
          <SelectField label={s.targetType} name="target_type" value={form.target_type} onValue={set('target_type')} placeholder={s.anyTarget} options={options(TARGETS)} />
          <TextField label={s.targetId} name="target_id" value={form.target_id} onValue={set('target_id')} hint={s.targetIdHint} maxLength={100} />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {s.submit}
        </button>
      </form>
      <ErrorSummary error={error} />
      {busy && !items && <Loading />}
      {items && (
        <>
          <p role="status" class="result-count">
            {items.length === 0 ? s.nothing : fill(next ? s.foundMore : s.found, { n: items.length })}
          </p>
          {items.length > 0 && (
            <div class="table-wrap">
              <table class="admin-table" id="access-records">
                <caption>{s.caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s.at}</th>
                    <th scope="col">{s.user}</th>
                    <th scope="col">{s.role}</th>
                    <th scope="col">{s.action}</th>
                    <th scope="col">{s.target}</th>
                    <th scope="col">{s.purpose}</th>
                    <th scope="col">{s.outcome}</th>
                    <th scope="col">{s.ip}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr data-action={r.action}>
                      <th scope="row">
                        <time dateTime={r.at}>{formatDateTime(r.at)}</time>
                      </th>
                      <td>{props.who(r.user_id)}</td>
                      <td>{label(vocab.role, r.role)}</td>
                      <td>{label(ACTIONS, r.action)}</td>
                      <td>
                        {label(TARGETS, r.target_type)} {r.target_id && <code class="small">{r.target_id.length > 16 ? r.target_id.slice(0, 12) + '…' : r.target_id}</code>}
                      </td>
                      <td>{purposeText(r.purpose)}</td>
                      <td>{r.outcome === 'denied' ? <Badge kind="overdue">{s.denied}</Badge> : s.allowed}</td>
                      <td>{r.ip}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {next && (
            <div class="actions">
              <button type="button" disabled={busy} onClick={() => void pages.more()}>
                {s.more}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function MonthlyReview(props: { who: (id: number) => string }) {
  const s = S();
  const [month, setMonth] = useState(todayKst().slice(0, 7));
  const [review, setReview] = useState<Review | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const flagName = (code: string) => (FLAGS[code] ? tr(FLAGS[code].name) : code);
  return (
    <section aria-labelledby="review-h" class="card">
      <h2 id="review-h">{s.review}</h2>
      <p class="muted">{s.reviewIntro}</p>
      <form
        class="row admin-review-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          setBusy(true);
          try {
            setReview(await api.get<Review>('/access-records/review' + query({ month })));
          } catch (err) {
            setError(explain(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <TextField label={s.month} name="month" type="month" value={month} onValue={setMonth} required hint={s.monthHint} error={fieldError(error, 'month')} />
        <div class="field">
          <button type="submit" class="primary" disabled={busy}>
            {s.runReview}
          </button>
        </div>
      </form>
      <ErrorSummary error={error} />
      {busy && <Loading />}
      {review && (
        <>
          <p role="status">
            {fill(s.reviewSummary, {
              month: review.month,
              records: review.records,
              users: review.users.length,
              flagged: review.users.filter((u) => u.flags.length > 0).length,
            })}
          </p>
          {review.users.length === 0 ? (
            <p class="empty">{s.noUsers}</p>
          ) : (
            <div class="table-wrap">
              <table class="admin-table admin-nums" id="access-review">
                <caption>{fill(s.reviewCaption, { month: review.month })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s.user}</th>
                    <th scope="col">{s.role}</th>
                    <th scope="col" class="num">
                      {s.reads}
                    </th>
                    <th scope="col" class="num">
                      {s.targets}
                    </th>
                    <th scope="col" class="num">
                      {s.unmasks}
                    </th>
                    <th scope="col" class="num">
                      {s.bulk}
                    </th>
                    <th scope="col" class="num">
                      {s.outside}
                    </th>
                    <th scope="col" class="num">
                      {s.afterHours}
                    </th>
                    <th scope="col" class="num">
                      {s.deniedCount}
                    </th>
                    <th scope="col">{s.flags}</th>
                  </tr>
                </thead>
                <tbody>
                  {review.users.map((u) => (
                    <tr>
                      <th scope="row">{props.who(u.user_id)}</th>
                      <td>{label(vocab.role, u.role)}</td>
                      <td class="num">{u.reads}</td>
                      <td class="num">{u.distinct_targets}</td>
                      <td class="num">{u.unmasks}</td>
                      <td class="num">{u.bulk}</td>
                      <td class="num">{u.outside_dong}</td>
                      <td class="num">{u.after_hours}</td>
                      <td class="num">{u.denied}</td>
                      <td>
                        {u.flags.length === 0 ? (
                          <span class="muted">{s.noFlags}</span>
                        ) : (
                          u.flags.map((f) => (
                            <>
                              <Badge kind="overdue">⚠ {flagName(f)}</Badge>{' '}
                            </>
                          ))
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>{s.flagsHeading}</h3>
          <dl class="admin-flag-list">
            {Object.entries(FLAGS).map(([code, f]) => (
              <>
                <dt id={'flag-' + code}>{tr(f.name)}</dt>
                <dd>{tr(f.explain)}</dd>
              </>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
