// 상담 상세: one case, from its summary and statutory clocks to its next step
// (prominent), the resident (masked until "show" with a recorded reason), the
// timeline and every action. Stale edits are explained (412) with the other
// person's values, keeping what this user typed, with "reload and re-apply".
// Another dong's case (404) or a forbidden one shows a calm page.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, request, ApiError, type Answer } from '../api';
import { strings, vocab, label, formatDate, formatDateTime, locale, fill } from '../i18n';
import { Page, Loading, Notice, Badge, Dialog, FormButtons, TextArea, SelectField, RadioGroup, Checkbox, useAsync, useDraft } from '../ui';
import { useDirectory, categoryLabel, categoryOptions, dongName, agencyName, staffName, useStaff, type Directory } from '../directory';
import {
  tagLabels,
  consentFieldLabels,
  progressHowLabels,
  options,
  CrisisProtocol,
  CaseProblem,
  Fact,
  fieldErrorText,
  formatPhone,
  justCreated,
  type CaseView,
  type FollowUp,
  type Resident,
} from '../components/case_shared';
import {
  ConsultationDialog,
  ReferDialog,
  FollowUpDialog,
  ResultDialog,
  StatusDialog,
  EscalateDialog,
  ResolveDialog,
  CloseDialog,
  ReopenDialog,
  ExtendDialog,
  ProgressNoticeDialog,
  resolutionConfirmed,
  type CaseContext,
} from '../components/case_actions';
import { UrgencyBadge } from '../components/work_common';
import { CheckinDevices } from '../components/checkin_devices';
import { ContactPreference } from '../components/contact_preference';
import './case_detail.css';

const S = () =>
  strings({
    loadingTitle: { ko: '상담 상세', en: 'Case' },
    title: { ko: '상담 {n}', en: 'Case {n}' },
    deniedTitle: { ko: '상담을 열 수 없습니다', en: 'This case cannot be opened' },
    denied: {
      ko: '이 상담을 볼 권한이 없거나 없는 상담입니다.',
      en: 'You may not see this case, or it does not exist.',
    },
    deniedHint: {
      ko: '다른 동의 상담이라면 그 동 주민센터의 담당자에게 문의해 주세요. 주소를 직접 입력했다면 상담 번호를 다시 확인해 주세요.',
      en: 'If it belongs to another dong, ask that centre. If you typed the address, check the case number.',
    },
    toList: { ko: '상담 목록으로', en: 'To the case list' },
    toToday: { ko: '오늘의 업무로', en: 'To today' },
    retry: { ko: '다시 시도', en: 'Try again' },
    created: { ko: '상담을 접수했습니다. 상담 번호: {n}', en: 'Case received. Case number: {n}' },
    overview: { ko: '개요', en: 'Overview' },
    status: { ko: '상태', en: 'Status' },
    urgency: { ko: '긴급도', en: 'Urgency' },
    category: { ko: '분야', en: 'Category' },
    dong: { ko: '동', en: 'Dong' },
    counselor: { ko: '담당 상담사', en: 'Counselor' },
    caseManager: { ko: '사례관리사', en: 'Case manager' },
    channel: { ko: '접수 경로', en: 'Channel' },
    received: { ko: '접수일', en: 'Received' },
    overdue: { ko: '기한 지남', en: 'Overdue' },
    clocks: { ko: '법정 처리 기한', en: 'Statutory deadlines' },
    clock_answer: { ko: '처리 기한', en: 'Answer due' },
    clock_progress_notice: { ko: '진행 상황 안내', en: 'Progress notice due' },
    state_running: { ko: '진행 중 · {n}근무일 남음', en: 'Running · {n} working days left' },
    state_paused: { ko: '일시 정지 (주민 회신 대기)', en: 'Paused (waiting on the resident)' },
    state_met: { ko: '기한 내 처리', en: 'Met' },
    state_overdue: { ko: '기한 지남 · {n}근무일 초과', en: 'Overdue by {n} working days' },
    state_breached: { ko: '기한 넘겨 처리', en: 'Answered late' },
    extended: { ko: '1회 연장됨', en: 'extended once' },
    concern: { ko: '상담 내용', en: 'The concern' },
    resolution: { ko: '해결 내용', en: 'Resolution' },
    closeNote: { ko: '해결 미확인 사유', en: 'Why unconfirmed' },
    edit: { ko: '내용 수정', en: 'Edit' },
    nextStep: { ko: '다음 조치', en: 'Next step' },
    what: { ko: '무엇을', en: 'What' },
    when: { ko: '언제까지', en: 'When' },
    who: { ko: '누가', en: 'Who' },
    agencyAnswer: { ko: '{a}의 회신 (연계 수락 여부)', en: 'Answer from {a}' },
    agencyWork: { ko: '{a}에서 처리 중', en: '{a} is working on it' },
    noDue: { ko: '기관 처리 후 결과 통보', en: 'When the agency reports' },
    noNextOpen: {
      ko: '다음 조치가 없습니다. 사후관리 일정을 잡거나 기관에 연계해 주세요.',
      en: 'No next step: schedule a follow-up or refer the case.',
    },
    noNextClosed: { ko: '종결된 상담입니다. 다시 열면 다음 조치를 정합니다.', en: 'Closed. Reopening sets a next step.' },
    noNextResolved: {
      ko: '해결된 상담입니다. 주민에게 해결 여부를 확인한 뒤 종결해 주세요.',
      en: 'Resolved: confirm with the resident, then close.',
    },
    moreSteps: { ko: '다른 예정 조치', en: 'Other open steps' },
    resident: { ko: '대상자', en: 'Resident' },
    noResident: { ko: '대상자 미상 (확인되면 기록해 주세요).', en: 'Resident unknown.' },
    masked: { ko: '개인정보는 가려져 있습니다.', en: 'Personal data is masked.' },
    show: { ko: '개인정보 보기', en: 'Show personal data' },
    hide: { ko: '다시 가리기', en: 'Mask again' },
    shownBecause: { ko: '열람 사유가 접속기록에 남았습니다: {r}', en: 'Recorded in the access log with the reason: {r}' },
    name: { ko: '이름', en: 'Name' },
    birth: { ko: '생년월일', en: 'Birth date' },
    phone: { ko: '전화번호', en: 'Phone' },
    address: { ko: '주소', en: 'Address' },
    household: { ko: '가구', en: 'Household' },
    alone: { ko: '1인 가구', en: 'Lives alone' },
    members: { ko: '{n}명', en: '{n} members' },
    disability: { ko: '장애 가구원', en: 'Disability' },
    tags: { ko: '취약 요인', en: 'Vulnerabilities' },
    safety: { ko: '안전 유의 사항', en: 'Safety note' },
    flagged: { ko: '반복 악성 민원 표시', en: 'Flagged for repeated malicious requests' },
    erased: { ko: '개인정보가 파기된 주민입니다.', en: 'This resident’s data was erased.' },
    unmaskTitle: { ko: '개인정보 보기', en: 'Show personal data' },
    unmaskLead: {
      ko: '개인정보 열람은 사유와 함께 접속기록에 남습니다. 업무에 필요한 경우에만 열람해 주세요.',
      en: 'Every look at personal data is recorded with its reason. Look only when your work needs it.',
    },
    reason: { ko: '열람 사유', en: 'Reason' },
    reasonOther: { ko: '사유 (직접 입력)', en: 'Reason (in your words)' },
    reason_call: { ko: '주민에게 연락하기 위해', en: 'To contact the resident' },
    reason_visit: { ko: '가정 방문 주소 확인', en: 'To check the address for a home visit' },
    reason_identity: { ko: '본인 확인', en: 'To confirm identity' },
    reason_referral: { ko: '기관 연계 정보 확인', en: 'For a referral' },
    reason_other: { ko: '기타 (직접 입력)', en: 'Other (type it)' },
    choose: { ko: '선택해 주세요', en: 'Choose' },
    reasonRequired: { ko: '열람 사유를 적어 주세요.', en: 'Give a reason.' },
    unmaskSave: { ko: '사유 기록하고 보기', en: 'Record the reason and show' },
    cancel: { ko: '닫기', en: 'Close' },
    reporter: { ko: '신고자', en: 'Reporter' },
    reporterSelf: { ko: '본인이 직접 알려 왔습니다.', en: 'The resident came themselves.' },
    reporterName: { ko: '이름', en: 'Name' },
    relation: { ko: '관계', en: 'Relation' },
    contact: { ko: '연락처', en: 'Contact' },
    unnamed: { ko: '(이름 밝히지 않음)', en: '(not given)' },
    actions: { ko: '처리하기', en: 'Actions' },
    aConsult: { ko: '상담 기록 추가', en: 'Add consultation' },
    aRefer: { ko: '기관 연계', en: 'Refer' },
    aFollow: { ko: '사후관리 일정', en: 'Schedule follow-up' },
    aStatus: { ko: '상태 변경', en: 'Change status' },
    aEscalate: { ko: '사례관리 의뢰', en: 'Escalate' },
    aResolve: { ko: '해결 처리', en: 'Resolve' },
    aClose: { ko: '종결', en: 'Close' },
    aReopen: { ko: '다시 열기', en: 'Reopen' },
    aExtend: { ko: '처리 기한 연장', en: 'Extend deadline' },
    aNotice: { ko: '진행 상황 안내 기록', en: 'Progress notice' },
    followUps: { ko: '사후관리 일정', en: 'Follow-ups' },
    due: { ko: '기한', en: 'Due' },
    owner: { ko: '담당', en: 'Owner' },
    state: { ko: '상태·결과', en: 'Status / result' },
    weekly: { ko: '매주 반복', en: 'weekly' },
    everyN: { ko: '{n}일마다 반복', en: 'every {n} days' },
    record: { ko: '결과 기록', en: 'Record result' },
    recordFor: { ko: '결과 기록: {k} ({d})', en: 'Record result: {k} ({d})' },
    none: { ko: '없음', en: 'None' },
    referrals: { ko: '기관 연계', en: 'Referrals' },
    agency: { ko: '기관', en: 'Agency' },
    sent: { ko: '요청일', en: 'Sent' },
    consent: { ko: '동의 (제공 항목 · 기한)', en: 'Consent (fields · until)' },
    outcome: { ko: '결과', en: 'Outcome' },
    answerSent: { ko: '주민에게 보낸 답변', en: 'Answer to the resident' },
    answerBy: { ko: '회신 기한 {d}', en: 'answer by {d}' },
    consultations: { ko: '상담 기록', en: 'Consultations' },
    timeline: { ko: '처리 이력', en: 'Timeline' },
    timelineError: { ko: '처리 이력을 불러오지 못했습니다.', en: 'The timeline could not be loaded.' },
    editTitle: { ko: '상담 내용 수정', en: 'Edit the case' },
    summary: { ko: '상담 내용', en: 'The concern' },
    primary: { ko: '주 분야', en: 'Main category' },
    waiting: { ko: '주민 회신 대기 (법정 기한 일시 정지)', en: 'Waiting on the resident (pauses the deadline)' },
    save: { ko: '저장', en: 'Save' },
    saving: { ko: '저장하는 중…', en: 'Saving…' },
    saved: { ko: '저장했습니다.', en: 'Saved.' },
    nothingChanged: { ko: '바뀐 내용이 없습니다.', en: 'Nothing changed.' },
    theirValues: { ko: '지금 저장되어 있는 내용 (다른 직원이 바꾼 값)', en: 'What is stored now (the other person’s values)' },
    yours: { ko: '내가 입력한 내용은 아래 입력란에 그대로 있습니다.', en: 'What you typed is still in the fields below.' },
    reapplied: {
      ko: '최신 내용을 불러와 내가 바꾼 항목만 다시 적용해 저장했습니다.',
      en: 'Reloaded the latest version and saved your changes on top of it.',
    },
  });

// --- Timeline labels ---------------------------------------------------------------------

interface TimelineEvent {
  id: number;
  at: string;
  actor_id: number;
  kind: string;
  data: Record<string, string> | null;
}

const EV = () =>
  strings({
    received: { ko: '접수 ({c}, {cat}, 긴급도 {u})', en: 'Received ({c}, {cat}, urgency {u})' },
    receivedThird: { ko: '제3자 신고로 접수 ({cat}, 긴급도 {u})', en: 'Third-party report received ({cat}, urgency {u})' },
    consultation_added: { ko: '상담 기록 추가 ({k})', en: 'Consultation added ({k})' },
    status_changed: { ko: '상태 변경: {f} → {t}', en: 'Status: {f} → {t}' },
    follow_up_scheduled: { ko: '사후관리 예정: {k}', en: 'Follow-up scheduled: {k}' },
    follow_up_recurring: { ko: '사후관리 예정: {k} ({n}일마다 반복)', en: 'Follow-up scheduled: {k} (every {n} days)' },
    follow_up_done: { ko: '사후관리 결과: {k} — {r}', en: 'Follow-up result: {k} — {r}' },
    referral_sent: { ko: '기관 연계 요청: {a}', en: 'Referred to {a}' },
    referral_accepted: { ko: '연계 기관이 수락했습니다', en: 'The agency accepted' },
    referral_declined: { ko: '연계 기관이 거절했습니다 ({r})', en: 'The agency declined ({r})' },
    referral_completed: { ko: '연계 기관이 처리를 마쳤습니다', en: 'The agency completed its part' },
    urgency_changed: { ko: '긴급도 변경: {f} → {t}', en: 'Urgency: {f} → {t}' },
    crisis_flagged: { ko: '위기 표현 감지로 긴급도 "위기" ({w})', en: 'Crisis words found: urgency crisis ({w})' },
    crisis_flag_dismissed: {
      ko: '위기 표현이 감지되었으나 상담사가 위기가 아니라고 판단 ({r}; {w})',
      en: 'Crisis words found, judged not a crisis by the counselor ({r}; {w})',
    },
    crisisByModel: { ko: '분류 모델 판단', en: 'the classifier' },
    crisisRulesAndModel: { ko: '{t} · 분류 모델도 위기로 판단', en: '{t} · the classifier agreed' },
    reassigned: { ko: '담당 상담사 변경: {f} → {t}', en: 'Counselor changed: {f} → {t}' },
    clock_paused: { ko: '처리 기한 일시 정지 (주민 회신 대기)', en: 'Deadline paused (waiting on the resident)' },
    clock_resumed: { ko: '처리 기한 다시 진행', en: 'Deadline running again' },
    updated: { ko: '내용 수정 ({f})', en: 'Edited ({f})' },
    missed_checks_escalated: {
      ko: '안부 확인이 2번 연속 닿지 않아 가정 방문을 잡았습니다',
      en: 'Two welfare checks missed in a row: a home visit was scheduled',
    },
    resolution_confirmed: { ko: '주민이 해결을 확인했습니다', en: 'The resident confirmed the resolution' },
    escalated: { ko: '사례관리로 의뢰 (담당: {m})', en: 'Escalated to case management ({m})' },
    resolved: { ko: '해결 처리', en: 'Resolved' },
    closedConfirmed: { ko: '종결 (해결 확인됨)', en: 'Closed (resolution confirmed)' },
    closedUnconfirmed: { ko: '종결 (해결 미확인, 사유 기록)', en: 'Closed (unconfirmed, reason recorded)' },
    reopened: { ko: '다시 열림', en: 'Reopened' },
    deadline_extended: { ko: '처리 기한 1회 연장', en: 'Deadline extended once' },
    progress_notice_sent: { ko: '진행 상황 안내 ({h})', en: 'Progress notice ({h})' },
    f_summary: { ko: '상담 내용', en: 'concern' },
    f_categories: { ko: '분야', en: 'categories' },
    f_shared_with: { ko: '공유 대상', en: 'sharing' },
  });

function describe(e: TimelineEvent, dir: Directory | undefined): string {
  const s = EV();
  const d = e.data ?? {};
  switch (e.kind) {
    case 'received':
      return fill(d.reporter === 'third_party' ? s.receivedThird : s.received, {
        c: label(vocab.channel, d.channel),
        cat: categoryLabel(dir, d.category),
        u: label(vocab.urgency, d.urgency),
      });
    case 'consultation_added':
      return fill(s.consultation_added, { k: label(vocab.consultationKind, d.kind) });
    case 'status_changed':
      return fill(s.status_changed, { f: label(vocab.status, d.from), t: label(vocab.status, d.to) });
    case 'follow_up_scheduled':
      return d.recurring
        ? fill(s.follow_up_recurring, { k: label(vocab.followUpKind, d.kind), n: d.recurring })
        : fill(s.follow_up_scheduled, { k: label(vocab.followUpKind, d.kind) });
    case 'follow_up_done':
      return fill(s.follow_up_done, { k: label(vocab.followUpKind, d.kind), r: label(vocab.followUpResult, d.result) });
    case 'referral_sent':
      return fill(s.referral_sent, { a: agencyName(dir, Number(d.agency_id)) });
    case 'referral_declined':
      return fill(s.referral_declined, { r: label(vocab.declineReason, d.reason) });
    case 'urgency_changed':
      return fill(s.urgency_changed, { f: label(vocab.urgency, d.from), t: label(vocab.urgency, d.to) });
    case 'crisis_flagged':
    case 'crisis_flag_dismissed': {
      const words = !d.terms ? s.crisisByModel : d.by_model === 'true' ? fill(s.crisisRulesAndModel, { t: d.terms }) : d.terms;
      return e.kind === 'crisis_flagged'
        ? fill(s.crisis_flagged, { w: words })
        : fill(s.crisis_flag_dismissed, { r: label(vocab.crisisDismissal, d.reason), w: words });
    }
    case 'reassigned':
      return fill(s.reassigned, { f: staffName(Number(d.from)), t: staffName(Number(d.to)) });
    case 'updated':
      return fill(s.updated, {
        f: (d.fields ?? '')
          .split(',')
          .filter(Boolean)
          .map((x) => (s as Record<string, string>)['f_' + x] ?? x)
          .join(', '),
      });
    case 'escalated':
      return fill(s.escalated, { m: staffName(Number(d.case_manager_id)) });
    case 'closed':
      return d.confirmed === 'true' ? s.closedConfirmed : s.closedUnconfirmed;
    case 'progress_notice_sent':
      return fill(s.progress_notice_sent, { h: label(progressHowLabels, d.how) });
    default:
      return (s as Record<string, string>)[e.kind] ?? e.kind;
  }
}

// --- The screen ---------------------------------------------------------------------------

interface Loaded {
  c: CaseView;
  etag: string;
}

export function CaseDetail(props: { id: string }) {
  const s = S();
  const id = props.id;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const etagRef = useRef('');
  const [timelineTick, setTimelineTick] = useState(0);
  const [notice, setNotice] = useState('');
  const [created] = useState(() => {
    const j = justCreated.peek();
    if (j && String(j.id) === id) {
      justCreated.value = null;
      return j.number;
    }
    return '';
  });
  const dir = useDirectory();
  useStaff(); // the names of the counselor, owners and timeline actors
  const timeline = useAsync(
    (signal) => api.get<{ items: TimelineEvent[] }>(`/cases/${id}/timeline`, { signal }),
    [id, timelineTick],
  );

  const adopt = useCallback((answer: Answer<CaseView>) => {
    etagRef.current = answer.etag || `"${answer.data.version}"`;
    setLoaded({ c: answer.data, etag: etagRef.current });
    setTimelineTick((t) => t + 1);
  }, []);

  const reload = useCallback(async () => {
    const answer = await request<CaseView>('GET', `/cases/${id}`);
    adopt(answer);
    return answer;
  }, [id, adopt]);

  useEffect(() => {
    setLoaded(null);
    setLoadError(null);
    setNotice('');
    reload().catch((e) => setLoadError(e));
  }, [id]);

  if (loadError && !loaded) {
    const denied = loadError instanceof ApiError && (loadError.status === 404 || loadError.status === 403);
    if (denied) {
      return (
        <Page title={s.deniedTitle}>
          <div class="card case-denied">
            <p class="case-denied-lead">{s.denied}</p>
            <p class="muted">{s.deniedHint}</p>
            <p class="actions">
              <a href="/cases">{s.toList}</a>
              <a href="/today">{s.toToday}</a>
            </p>
          </div>
        </Page>
      );
    }
    return (
      <Page title={s.loadingTitle}>
        <CaseProblem error={loadError}>
          <button type="button" onClick={() => reload().then(() => setLoadError(null), setLoadError)}>
            {s.retry}
          </button>
        </CaseProblem>
      </Page>
    );
  }
  if (!loaded) {
    return (
      <Page title={s.loadingTitle}>
        <Loading />
      </Page>
    );
  }
  const c = loaded.c;
  const ctx: CaseContext = {
    c,
    etag: () => etagRef.current,
    adopt,
    reload,
    dir: dir.data,
    notify: (m) => setNotice(m),
  };
  return (
    <Page title={fill(s.title, { n: c.number })} wide>
      {created && <Notice>{fill(s.created, { n: created })}</Notice>}
      {notice && <Notice>{notice}</Notice>}
      <CaseBody ctx={ctx} timeline={timeline} />
    </Page>
  );
}

function CaseBody(props: { ctx: CaseContext; timeline: ReturnType<typeof useAsync<{ items: TimelineEvent[] }>> }) {
  const s = S();
  const { ctx, timeline } = props;
  const c = ctx.c;
  const dir = ctx.dir;
  const [dialog, setDialog] = useState<string>('');
  const [resultFor, setResultFor] = useState<FollowUp | null>(null);
  const [editing, setEditing] = useState(false);
  const isOpen = c.status !== 'resolved' && c.status !== 'closed';
  const close = () => setDialog('');
  const plainTransitions = c.next_transitions.filter((x) => x === 'in_consultation' || x === 'ongoing');

  const openFollowUps = c.follow_ups.filter((f) => f.status === 'open').sort((a, b) => a.due_at.localeCompare(b.due_at));
  const openReferrals = c.referrals.filter((r) => r.status === 'sent' || r.status === 'accepted');

  const action = (key: string, text: string, cls = '') => (
    <button type="button" class={cls} onClick={() => setDialog(key)}>
      {text}
    </button>
  );

  return (
    <>
      {/* Overview */}
      <section class="card case-overview" aria-labelledby="case-overview">
        <h2 id="case-overview" class="visually-hidden">
          {s.overview}
        </h2>
        <div class="case-badges">
          <Badge kind="status">{label(vocab.status, c.status)}</Badge>
          <UrgencyBadge urgency={c.urgency} />
          {c.overdue && <Badge kind="overdue">{s.overdue}</Badge>}
        </div>
        <dl class="case-facts">
          <Fact term={s.category}>
            {categoryLabel(dir, c.primary_category)}
            {c.secondary_categories.length > 0 && (
              <span class="muted"> (+ {c.secondary_categories.map((x) => categoryLabel(dir, x)).join(', ')})</span>
            )}
          </Fact>
          <Fact term={s.dong}>{dongName(dir, c.dong_id)}</Fact>
          <Fact term={s.counselor}>{staffName(c.counselor_id)}</Fact>
          {c.case_manager_id && <Fact term={s.caseManager}>{staffName(c.case_manager_id)}</Fact>}
          <Fact term={s.channel}>{label(vocab.channel, c.channel)}</Fact>
          <Fact term={s.received}>{formatDate(c.received_on)}</Fact>
        </dl>
        {c.clocks.length > 0 && (
          <div class="case-clocks">
            <h3>{s.clocks}</h3>
            <ul>
              {c.clocks.map((k) => {
                const late = k.state === 'overdue' || k.state === 'breached';
                return (
                  <li>
                    <span class="case-clock-kind">{(s as Record<string, string>)['clock_' + k.kind] ?? k.kind}</span>{' '}
                    <strong>{formatDate(k.due)}</strong>{' '}
                    {late ? (
                      <Badge kind="overdue">{fill((s as Record<string, string>)['state_' + k.state], { n: Math.abs(k.working_days_left) })}</Badge>
                    ) : (
                      <span class="muted">{fill((s as Record<string, string>)['state_' + k.state] ?? k.state, { n: Math.abs(k.working_days_left) })}</span>
                    )}
                    {k.kind === 'answer' && c.deadline_extended && <span class="muted"> · {s.extended}</span>}
                  </li>
                );
              })}
            </ul>
          </div>
        )}
      </section>

      {c.urgency === 'crisis' && isOpen && <CrisisProtocol headingLevel={2} />}

      {/* The next step, prominent */}
      <section class={'card case-next' + (c.overdue ? ' case-next-overdue' : '')} aria-labelledby="case-next">
        <h2 id="case-next">{s.nextStep}</h2>
        {openFollowUps.length === 0 && openReferrals.length === 0 ? (
          <p>{c.status === 'closed' ? s.noNextClosed : c.status === 'resolved' ? s.noNextResolved : s.noNextOpen}</p>
        ) : (
          <NextSteps ctx={ctx} followUps={openFollowUps} onRecord={(f) => setResultFor(f)} />
        )}
        {c.status === 'resolved' && openFollowUps.length > 0 && <p class="hint">{s.noNextResolved}</p>}
      </section>

      <div class="case-columns">
        <div class="case-main">
          {/* The concern and its edit form */}
          <section class="card" aria-labelledby="case-concern">
            <div class="case-section-head">
              <h2 id="case-concern">{s.concern}</h2>
              {!editing && (
                <button type="button" onClick={() => setEditing(true)} disabled={c.erased}>
                  {s.edit}
                </button>
              )}
            </div>
            {editing ? (
              <CaseEditForm ctx={ctx} onDone={() => setEditing(false)} />
            ) : (
              <EditDraftResume caseId={c.id} onResume={() => setEditing(true)} />
            )}
            <p class="case-summary">{c.summary}</p>
            {c.resolution_note && (
              <>
                <h3>{s.resolution}</h3>
                <p class="case-summary">{c.resolution_note}</p>
              </>
            )}
            {c.close_note && (
              <>
                <h3>{s.closeNote}</h3>
                <p class="case-summary">{c.close_note}</p>
              </>
            )}
          </section>

          {/* Actions */}
          <section class="card" aria-labelledby="case-actions">
            <h2 id="case-actions">{s.actions}</h2>
            <div class="actions">
              {isOpen && action('consult', s.aConsult, 'primary')}
              {isOpen && action('refer', s.aRefer)}
              {c.status !== 'closed' && action('follow', s.aFollow)}
              {isOpen && plainTransitions.length > 0 && action('status', s.aStatus)}
              {isOpen && c.status !== 'case_management' && action('escalate', s.aEscalate)}
              {isOpen && action('resolve', s.aResolve)}
              {c.status === 'resolved' && action('close', s.aClose, resolutionConfirmed(c) ? 'primary' : '')}
              {!isOpen && action('reopen', s.aReopen)}
              {isOpen && !c.deadline_extended && action('extend', s.aExtend)}
              {isOpen && action('notice', s.aNotice)}
            </div>
          </section>

          <FollowUpTable ctx={ctx} onRecord={(f) => setResultFor(f)} />
          <ReferralTable ctx={ctx} />

          <section class="card" aria-labelledby="case-consultations">
            <h2 id="case-consultations">{s.consultations}</h2>
            {c.consultations.length === 0 ? (
              <p class="muted">{s.none}</p>
            ) : (
              <ol class="case-consultations">
                {[...c.consultations].reverse().map((k) => (
                  <li>
                    <p class="case-meta">
                      <strong>{label(vocab.consultationKind, k.kind)}</strong> · {formatDateTime(k.at)} · {staffName(k.counselor_id)}
                    </p>
                    <p class="case-summary">{k.notes}</p>
                    {k.outcome && (
                      <p>
                        <span class="muted">{s.outcome}:</span> {k.outcome}
                      </p>
                    )}
                    {k.answer && (
                      <p class="case-answer">
                        <Badge kind="ok">{s.answerSent}</Badge> {k.answer}
                      </p>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <div class="case-side">
          <ResidentCard ctx={ctx} />
          <section class="card" aria-labelledby="case-reporter">
            <h2 id="case-reporter">{s.reporter}</h2>
            {c.reporter.kind === 'third_party' ? (
              <dl class="case-facts case-facts-stack">
                <Fact term={s.relation}>{c.reporter.relation}</Fact>
                <Fact term={s.reporterName}>{c.reporter.name || s.unnamed}</Fact>
                {c.reporter.contact && <Fact term={s.contact}>{c.reporter.contact}</Fact>}
              </dl>
            ) : (
              <p>{s.reporterSelf}</p>
            )}
          </section>
          <section class="card" aria-labelledby="case-timeline">
            <h2 id="case-timeline">{s.timeline}</h2>
            {timeline.error ? (
              <p class="error-text">{s.timelineError}</p>
            ) : !timeline.data ? (
              <Loading />
            ) : (
              <ol class="case-timeline">
                {[...timeline.data.items].reverse().map((e) => (
                  <li>
                    <span class="case-meta">
                      {formatDateTime(e.at)} · {staffName(e.actor_id)}
                    </span>
                    <span>{describe(e, dir)}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
      </div>

      <ConsultationDialog ctx={ctx} open={dialog === 'consult'} onClose={close} />
      <ReferDialog ctx={ctx} open={dialog === 'refer'} onClose={close} />
      <FollowUpDialog ctx={ctx} open={dialog === 'follow'} onClose={close} />
      <StatusDialog ctx={ctx} open={dialog === 'status'} onClose={close} />
      <EscalateDialog ctx={ctx} open={dialog === 'escalate'} onClose={close} />
      <ResolveDialog ctx={ctx} open={dialog === 'resolve'} onClose={close} />
      <CloseDialog ctx={ctx} open={dialog === 'close'} onClose={close} />
      <ReopenDialog ctx={ctx} open={dialog === 'reopen'} onClose={close} />
      <ExtendDialog ctx={ctx} open={dialog === 'extend'} onClose={close} />
      <ProgressNoticeDialog ctx={ctx} open={dialog === 'notice'} onClose={close} />
      {resultFor && <ResultDialog key={resultFor.id} ctx={ctx} open={!!resultFor} followUp={resultFor} onClose={() => setResultFor(null)} />}
    </>
  );
}

function NextSteps(props: { ctx: CaseContext; followUps: FollowUp[]; onRecord: (f: FollowUp) => void }) {
  const s = S();
  const c = props.ctx.c;
  const dir = props.ctx.dir;
  type Step = { what: string; when: string; whenIso: string; who: string; overdue: boolean; followUp?: FollowUp };
  const steps: Step[] = [
    ...props.followUps.map((f) => ({
      what:
        label(vocab.followUpKind, f.kind) +
        (f.recurrence_days ? ` (${f.recurrence_days === 7 ? s.weekly : fill(s.everyN, { n: f.recurrence_days })})` : ''),
      when: formatDate(f.due_at),
      whenIso: f.due_at,
      who: staffName(f.owner_id),
      overdue: f.overdue,
      followUp: f,
    })),
    ...c.referrals
      .filter((r) => r.status === 'sent' || r.status === 'accepted')
      .map((r) => ({
        what: fill(r.status === 'sent' ? s.agencyAnswer : s.agencyWork, { a: agencyName(dir, r.agency_id) }),
        when: r.status === 'sent' ? formatDateTime(r.accept_due_at) : s.noDue,
        whenIso: r.status === 'sent' ? r.accept_due_at : '9999',
        who: agencyName(dir, r.agency_id),
        overdue: r.overdue,
      })),
  ].sort((a, b) => a.whenIso.localeCompare(b.whenIso));
  const [first, ...rest] = steps;
  return (
    <div>
      <dl class="case-facts case-next-facts">
        <Fact term={s.what}>{first.what}</Fact>
        <Fact term={s.when}>
          {first.when} {first.overdue && <Badge kind="overdue">{s.overdue}</Badge>}
        </Fact>
        <Fact term={s.who}>{first.who}</Fact>
      </dl>
      {first.followUp && (
        <button type="button" class="primary" onClick={() => props.onRecord(first.followUp!)}>
          {fill(s.recordFor, { k: label(vocab.followUpKind, first.followUp.kind), d: first.when })}
        </button>
      )}
      {rest.length > 0 && (
        <>
          <h3>{s.moreSteps}</h3>
          <ul class="case-more-steps">
            {rest.map((x) => (
              <li>
                {x.what} · {x.when} · {x.who} {x.overdue && <Badge kind="overdue">{s.overdue}</Badge>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function FollowUpTable(props: { ctx: CaseContext; onRecord: (f: FollowUp) => void }) {
  const s = S();
  const c = props.ctx.c;
  const list = [...c.follow_ups].sort((a, b) => b.due_at.localeCompare(a.due_at));
  return (
    <section class="card" aria-labelledby="case-followups">
      <h2 id="case-followups">{s.followUps}</h2>
      {list.length === 0 ? (
        <p class="muted">{s.none}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{s.what}</th>
                <th scope="col">{s.due}</th>
                <th scope="col">{s.owner}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">
                  <span class="visually-hidden">{s.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((f) => (
                <tr>
                  <th scope="row">
                    {label(vocab.followUpKind, f.kind)}
                    {f.recurrence_days > 0 && <span class="muted small"> ({f.recurrence_days === 7 ? s.weekly : fill(s.everyN, { n: f.recurrence_days })})</span>}
                  </th>
                  <td>
                    {formatDate(f.due_at)} {f.overdue && <Badge kind="overdue">{s.overdue}</Badge>}
                  </td>
                  <td>{staffName(f.owner_id)}</td>
                  <td>
                    {label(vocab.followUpStatus, f.status)}
                    {f.result && <> · {label(vocab.followUpResult, f.result)}</>}
                    {f.note && <div class="muted small">{f.note}</div>}
                  </td>
                  <td>
                    {f.status === 'open' && (
                      <button type="button" onClick={() => props.onRecord(f)}>
                        {s.record}
                        <span class="visually-hidden">: {label(vocab.followUpKind, f.kind)} ({formatDate(f.due_at)})</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ReferralTable(props: { ctx: CaseContext }) {
  const s = S();
  const c = props.ctx.c;
  const dir = props.ctx.dir;
  if (c.referrals.length === 0) return null;
  return (
    <section class="card" aria-labelledby="case-referrals">
      <h2 id="case-referrals">{s.referrals}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{s.agency}</th>
              <th scope="col">{s.status}</th>
              <th scope="col">{s.sent}</th>
              <th scope="col">{s.consent}</th>
              <th scope="col">{s.outcome}</th>
            </tr>
          </thead>
          <tbody>
            {c.referrals.map((r) => (
              <tr>
                <th scope="row">{agencyName(dir, r.agency_id)}</th>
                <td>
                  {label(vocab.referralStatus, r.status)} {r.overdue && <Badge kind="overdue">{s.overdue}</Badge>}
                  {r.status === 'sent' && <div class="muted small">{fill(s.answerBy, { d: formatDateTime(r.accept_due_at) })}</div>}
                </td>
                <td>{formatDate(r.sent_at)}</td>
                <td>
                  {r.consent.given_by}: {r.consent.scope.map((x) => label(consentFieldLabels, x)).join(', ')} · {formatDate(r.consent.until)}
                </td>
                <td>
                  {r.decline_reason && label(vocab.declineReason, r.decline_reason)}
                  {r.decline_note && <div class="small">{r.decline_note}</div>}
                  {r.outcome}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// --- The resident, masked until shown with a reason ------------------------------------

function ResidentCard(props: { ctx: CaseContext }) {
  const s = S();
  const c = props.ctx.c;
  const dir = props.ctx.dir;
  const [shown, setShown] = useState<{ r: Resident; reason: string } | null>(null);
  const [asking, setAsking] = useState(false);
  const [preset, setPreset] = useState('');
  const [other, setOther] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [clientError, setClientError] = useState('');
  // Unmasked data lives in memory only, and only for this case.
  useEffect(() => setShown(null), [c.id]);
  const masked = c.resident;
  if (!masked) {
    return (
      <section class="card" aria-labelledby="case-resident">
        <h2 id="case-resident">{s.resident}</h2>
        <p>{s.noResident}</p>
      </section>
    );
  }
  const r = shown?.r ?? masked;
  const presets = ['call', 'visit', 'identity', 'referral', 'other'];
  const reasonText = preset === 'other' ? other.trim() : preset ? (s as Record<string, string>)['reason_' + preset] : '';
  async function unmask(e: Event) {
    e.preventDefault();
    if (!reasonText) {
      setClientError(s.reasonRequired);
      return;
    }
    setClientError('');
    setBusy(true);
    setError(null);
    try {
      const full = await api.post<Resident>(`/residents/${masked!.id}/unmask`, { reason: reasonText });
      setShown({ r: full, reason: reasonText });
      setAsking(false);
      setPreset('');
      setOther('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card case-resident" aria-labelledby="case-resident">
      <div class="case-section-head">
        <h2 id="case-resident">{s.resident}</h2>
        {!r.erased &&
          (shown ? (
            <button type="button" onClick={() => setShown(null)}>
              {s.hide}
            </button>
          ) : (
            <button type="button" onClick={() => setAsking(true)}>
              {s.show}
            </button>
          ))}
      </div>
      {r.erased ? (
        <p>{s.erased}</p>
      ) : (
        <>
          <p class="muted small">{shown ? fill(s.shownBecause, { r: shown.reason }) : s.masked}</p>
          <dl class="case-facts case-facts-stack">
            <Fact term={s.name}>{r.name}</Fact>
            {r.birth_date && <Fact term={s.birth}>{r.birth_date}</Fact>}
            {r.phone && <Fact term={s.phone}>{formatPhone(r.phone)}</Fact>}
            {r.address && <Fact term={s.address}>{r.address}</Fact>}
            {r.dong_id && <Fact term={s.dong}>{dongName(dir, r.dong_id)}</Fact>}
            <Fact term={s.household}>
              {[
                r.household.living_alone ? s.alone : fill(s.members, { n: r.household.members }),
                r.household.disability ? s.disability : '',
                r.household.housing_type !== 'unknown' ? label(vocab.housing, r.household.housing_type) : '',
              ]
                .filter(Boolean)
                .join(' · ')}
            </Fact>
            {r.tags.length > 0 && <Fact term={s.tags}>{r.tags.map((t) => label(tagLabels, t)).join(', ')}</Fact>}
            {(r.safety_note || r.flagged_malicious) && (
              <Fact term={s.safety}>
                {r.flagged_malicious && <Badge kind="overdue">{s.flagged}</Badge>} {r.safety_note}
              </Fact>
            )}
          </dl>
          <ContactPreference residentId={r.id} value={r.contact_by ?? 'sms'} />
          <CheckinDevices residentId={r.id} />
        </>
      )}
      <Dialog open={asking} title={s.unmaskTitle} onClose={() => setAsking(false)}>
        <form onSubmit={unmask} noValidate>
          <p>{s.unmaskLead}</p>
          <CaseProblem error={error} />
          <SelectField
            label={s.reason}
            value={preset}
            onValue={setPreset}
            options={presets.map((p) => ({ value: p, label: (s as Record<string, string>)['reason_' + p] }))}
            placeholder={s.choose}
            error={preset !== 'other' ? clientError || fieldErrorText(error, 'reason') : undefined}
            required
          />
          {preset === 'other' && (
            <TextArea
              label={s.reasonOther}
              value={other}
              onValue={setOther}
              rows={2}
              error={clientError || fieldErrorText(error, 'reason')}
              required
              maxLength={1000}
            />
          )}
          <FormButtons submit={s.unmaskSave} busy={busy} cancel={s.cancel} onCancel={() => setAsking(false)} />
        </form>
      </Dialog>
    </section>
  );
}

// --- Editing the case, with stale-edit conflicts explained ------------------------------

interface EditValues {
  summary: string;
  urgency: string;
  primary: string;
  waiting: boolean;
}

interface EditDraft extends EditValues {
  base: EditValues;
  baseVersion: number;
}

const valuesOf = (c: CaseView): EditValues => ({
  summary: c.summary,
  urgency: c.urgency,
  primary: c.primary_category,
  waiting: c.waiting_on_resident,
});

const editKeys: (keyof EditValues)[] = ['summary', 'urgency', 'primary', 'waiting'];

function dirtyKeys(d: EditDraft): (keyof EditValues)[] {
  return editKeys.filter((k) => d[k] !== d.base[k]);
}

function editDraftKey(id: number) {
  return `case.${id}.edit`;
}

// A notice that an unsaved edit is waiting (e.g. after a reload), with a way back to it.
function EditDraftResume(props: { caseId: number; onResume: () => void }) {
  const raw = sessionStorage.getItem('caredesk.draft.' + editDraftKey(props.caseId));
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as EditDraft;
    if (!d.base || dirtyKeys(d).length === 0) return null;
  } catch {
    return null;
  }
  return (
    <Notice kind="warn">
      <button type="button" class="link" onClick={props.onResume}>
        {locale.value === 'en' ? 'You have an unsaved edit: continue it' : '저장하지 않은 수정 내용이 있습니다: 이어서 수정하기'}
      </button>
    </Notice>
  );
}

function CaseEditForm(props: { ctx: CaseContext; onDone: () => void }) {
  const s = S();
  const { ctx } = props;
  const c = ctx.c;
  const initial: EditDraft = { ...valuesOf(c), base: valuesOf(c), baseVersion: c.version };
  const [d, setD, clear] = useDraft<EditDraft>(editDraftKey(c.id), initial);
  const [error, setError] = useState<unknown>(null);
  const [theirs, setTheirs] = useState<CaseView | null>(null);
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState('');

  // Nothing typed yet and the case moved on (another action of mine): follow it.
  useEffect(() => {
    if (dirtyKeys(d).length === 0 && d.baseVersion !== c.version) {
      setD({ ...valuesOf(c), base: valuesOf(c), baseVersion: c.version });
    }
  }, [c.version]);

  async function send(draft: EditDraft): Promise<boolean> {
    const dirty = dirtyKeys(draft);
    if (dirty.length === 0) {
      setInfo(s.nothingChanged);
      return false;
    }
    const body: Record<string, unknown> = {};
    if (dirty.includes('summary')) body.summary = draft.summary.trim();
    if (dirty.includes('urgency')) body.urgency = draft.urgency;
    if (dirty.includes('primary')) body.primary_category = draft.primary;
    if (dirty.includes('waiting')) body.waiting_on_resident = draft.waiting;
    setBusy(true);
    setError(null);
    setInfo('');
    try {
      const answer = await request<CaseView>('PATCH', `/cases/${c.id}`, body, { ifMatch: `"${draft.baseVersion}"` });
      clear();
      setTheirs(null);
      ctx.adopt(answer);
      ctx.notify(s.saved);
      props.onDone();
      return true;
    } catch (e) {
      setError(e);
      if (e instanceof ApiError && e.status === 412) {
        // Show what the other person saved; keep what this user typed.
        try {
          const fresh = await request<CaseView>('GET', `/cases/${c.id}`);
          setTheirs(fresh.data);
        } catch {
          setTheirs(null);
        }
      }
    } finally {
      setBusy(false);
    }
    return false;
  }

  // Reload and re-apply: the other person's version becomes the base; only the
  // fields this user changed are applied on top of it, then saved.
  async function reapply() {
    let fresh: Answer<CaseView>;
    try {
      fresh = await ctx.reload();
    } catch (e) {
      setError(e);
      return;
    }
    const base = valuesOf(fresh.data);
    const dirty = dirtyKeys(d);
    const next: EditDraft = { ...base, base, baseVersion: fresh.data.version };
    for (const k of dirty) (next as unknown as Record<string, unknown>)[k] = d[k];
    setD(next);
    setTheirs(null);
    if (await send(next)) ctx.notify(s.reapplied);
  }

  const dirty = dirtyKeys(d);
  const err = (f: string) => fieldErrorText(error, f);
  return (
    <form
      class="case-edit"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void send(d);
      }}
    >
      <h3>{s.editTitle}</h3>
      <CaseProblem error={error} onReapply={error instanceof ApiError && error.status === 412 ? reapply : undefined}>
        {error instanceof ApiError && error.status === 412 && theirs && (
          <div class="case-theirs">
            <p>
              <strong>{s.theirValues}</strong>
            </p>
            <dl class="case-facts case-facts-stack">
              <Fact term={s.summary}>{theirs.summary}</Fact>
              <Fact term={s.urgency}>{label(vocab.urgency, theirs.urgency)}</Fact>
              <Fact term={s.primary}>{categoryLabel(ctx.dir, theirs.primary_category)}</Fact>
            </dl>
            <p>{s.yours}</p>
          </div>
        )}
      </CaseProblem>
      {info && <p role="status">{info}</p>}
      <TextArea label={s.summary} value={d.summary} onValue={(summary) => setD({ ...d, summary })} error={err('summary')} rows={4} maxLength={4000} required />
      <div class="row">
        <SelectField
          label={s.primary}
          value={d.primary}
          onValue={(primary) => setD({ ...d, primary })}
          options={categoryOptions(ctx.dir)}
          error={err('primary_category')}
        />
      </div>
      <RadioGroup legend={s.urgency} name={`edit-urgency-${c.id}`} value={d.urgency} onValue={(urgency) => setD({ ...d, urgency })} options={options(vocab.urgency)} error={err('urgency')} />
      <Checkbox label={s.waiting} checked={d.waiting} onChecked={(waiting) => setD({ ...d, waiting })} />
      <FormButtons
        submit={s.save}
        busy={busy}
        busyText={s.saving}
        disabled={dirty.length === 0}
        cancel={s.cancel}
        onCancel={() => {
          clear();
          setError(null);
          setTheirs(null);
          props.onDone();
        }}
      />
    </form>
  );
}
