// The actions on one case, each in its own small dialog with its own draft
// (nothing typed is lost when it fails or is closed) and its errors shown
// inside it: add a consultation, refer, schedule a follow-up, record a
// follow-up's result, change status, escalate, resolve, close, reopen, extend
// the deadline and record a progress notice. Every case change is sent with
// If-Match; a 412 offers "reload and re-apply".
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { request, type Answer } from '../api';
import { strings, vocab, label, formatDate } from '../i18n';
import { Dialog, ErrorSummary, FormButtons, TextArea, TextField, SelectField, RadioGroup, Checkbox, useDraft } from '../ui';
import {
  FollowUpFields,
  ReferralFields,
  CaseProblem,
  emptyFollowUp,
  emptyReferral,
  followUpBody,
  referralBody,
  fieldErrorText,
  ruleOf,
  nextWorkingDay,
  options,
  progressHowLabels,
  type CaseView,
  type FollowUp,
  type FollowUpDraft,
  type ReferralDraft,
} from './case_shared';
import { loadStaffOf, type Directory, type StaffMember } from '../directory';

// What every action needs from the case screen.
export interface CaseContext {
  c: CaseView;
  etag: () => string;
  adopt: (answer: Answer<CaseView>) => void;
  reload: () => Promise<Answer<CaseView>>;
  dir: Directory | undefined;
  notify: (message: string) => void;
}

const S = () =>
  strings({
    cancel: { ko: '닫기', en: 'Close' },
    saving: { ko: '저장하는 중…', en: 'Saving…' },
    required: { ko: '필수 항목입니다.', en: 'Required.' },
    // consultation
    consultTitle: { ko: '상담 기록 추가', en: 'Add a consultation' },
    consultKind: { ko: '상담 방식', en: 'Kind' },
    notes: { ko: '상담 내용', en: 'Notes' },
    outcome: { ko: '안내·결과 (선택)', en: 'Outcome (optional)' },
    answer: { ko: '주민에게 보낼 답변 (선택)', en: 'Answer for the resident (optional)' },
    answerHint: {
      ko: '문의한 분이 온라인 창구의 “처리 상황 확인”에서 읽고, 문자로 답변 등록을 알려 드립니다. 상담 내용은 보이지 않습니다.',
      en: 'The person who asked reads it under “Check progress” in the online desk and is texted that it is there. The notes stay internal.',
    },
    withNext: { ko: '다음 조치도 함께 정하기', en: 'Also set the next step' },
    consultDone: { ko: '상담 기록을 추가했습니다.', en: 'Consultation added.' },
    // refer
    referTitle: { ko: '기관 연계', en: 'Refer to an agency' },
    referSave: { ko: '연계 요청 보내기', en: 'Send the referral' },
    referDone: { ko: '기관에 연계를 요청했습니다.', en: 'Referral sent.' },
    // follow-up
    followTitle: { ko: '사후관리 일정 잡기', en: 'Schedule a follow-up' },
    followDone: { ko: '사후관리 일정을 잡았습니다.', en: 'Follow-up scheduled.' },
    // result
    resultTitle: { ko: '사후관리 결과 기록', en: 'Record the follow-up result' },
    result: { ko: '결과', en: 'Result' },
    resultNote: { ko: '결과 메모 (선택)', en: 'Note on the result (optional)' },
    lastStep: {
      ko: '이 일정이 남은 마지막 다음 조치입니다. 결과와 함께 다음 조치를 정해 주세요 (해결되었다면 "해결 처리"를 이용하세요).',
      en: 'This is the last open next step: set the next one with the result (or resolve the case).',
    },
    resultDone: { ko: '결과를 기록했습니다.', en: 'Result recorded.' },
    resultFor: { ko: '대상 일정', en: 'Follow-up' },
    // status
    statusTitle: { ko: '상태 변경', en: 'Change status' },
    status: { ko: '새 상태', en: 'New status' },
    statusNote: { ko: '메모 (선택)', en: 'Note (optional)' },
    statusDone: { ko: '상태를 바꿨습니다.', en: 'Status changed.' },
    choose: { ko: '선택해 주세요', en: 'Choose' },
    // escalate
    escalateTitle: { ko: '사례관리 의뢰', en: 'Escalate to case management' },
    manager: { ko: '사례관리사', en: 'Case manager' },
    managerHint: { ko: '이 상담의 동에서 일하는 사례관리사입니다.', en: 'The case managers of this case’s dong.' },
    managersLoading: { ko: '사례관리사 목록을 불러오는 중…', en: 'Loading the case managers…' },
    noManagers: {
      ko: '이 동에는 사례관리사가 없습니다. 시스템 관리자에게 문의해 주세요.',
      en: 'This dong has no case manager. Ask your administrator.',
    },
    reason: { ko: '사유', en: 'Reason' },
    escalateHint: {
      ko: '사례관리사에게 초기 사정(평가) 일정이 자동으로 잡힙니다.',
      en: 'An assessment is scheduled for the case manager.',
    },
    escalateDone: { ko: '사례관리로 의뢰했습니다.', en: 'Escalated to case management.' },
    // resolve
    resolveTitle: { ko: '해결 처리', en: 'Resolve' },
    resolutionNote: { ko: '어떻게 해결되었나요', en: 'How was it resolved' },
    resolveHint: {
      ko: '남은 일정은 취소되고, 주민에게 해결 여부를 확인하는 "해결 확인" 일정이 잡힙니다.',
      en: 'Open follow-ups are cancelled and a resolution check with the resident is scheduled.',
    },
    resolveDone: { ko: '해결 처리했습니다. 주민에게 해결 여부를 확인해 주세요.', en: 'Resolved. Confirm with the resident.' },
    // close
    closeTitle: { ko: '종결', en: 'Close' },
    confirmed: { ko: '주민이 해결을 확인했습니다. 종결할 수 있습니다.', en: 'The resident confirmed the resolution.' },
    unconfirmed: {
      ko: '아직 주민의 해결 확인이 없습니다. 먼저 "해결 확인" 결과를 기록하거나, 확인할 수 없었던 사유를 적어 주세요.',
      en: 'The resolution is not confirmed yet. Record the resolution check, or say why it could not be confirmed.',
    },
    unconfirmedReason: { ko: '확인할 수 없었던 사유', en: 'Why it could not be confirmed' },
    closeSave: { ko: '종결하기', en: 'Close the case' },
    closeDone: { ko: '상담을 종결했습니다.', en: 'Case closed.' },
    // reopen
    reopenTitle: { ko: '다시 열기', en: 'Reopen' },
    reopenHint: { ko: '다시 열 때는 사유와 다음 조치가 필요합니다.', en: 'Reopening needs a reason and a next step.' },
    reopenDone: { ko: '상담을 다시 열었습니다.', en: 'Case reopened.' },
    nextStep: { ko: '다음 조치', en: 'Next step' },
    // extend
    extendTitle: { ko: '처리 기한 연장', en: 'Extend the deadline' },
    extendHint: {
      ko: '법정 처리 기한은 한 번만 연장할 수 있으며, 주민에게 연장 사실을 알려야 합니다.',
      en: 'The statutory deadline can be extended once; tell the resident.',
    },
    extendDone: { ko: '처리 기한을 연장했습니다.', en: 'Deadline extended.' },
    // progress notice
    noticeTitle: { ko: '진행 상황 안내 기록', en: 'Record a progress notice' },
    how: { ko: '어떻게 알렸나요', en: 'How was the resident told' },
    noticeDone: { ko: '진행 상황 안내를 기록했습니다.', en: 'Progress notice recorded.' },
  });

// Runs one case action; a 412 is answered by reloading and sending it again.
function useCaseAction(ctx: CaseContext, call: (ifMatch: string) => Promise<Answer<CaseView>>, done: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    setBusy(true);
    setError(null);
    try {
      const answer = await call(ctx.etag());
      ctx.adopt(answer);
      done();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  async function reapply() {
    try {
      await ctx.reload();
    } catch (e) {
      setError(e);
      return;
    }
    await run();
  }
  return { error, busy, run, reapply, setError };
}

type Action = ReturnType<typeof useCaseAction>;

function ActionDialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  action: Action;
  submitLabel: string;
  danger?: boolean;
  children: ComponentChildren;
  hideProblem?: boolean;
}) {
  const s = S();
  const a = props.action;
  useEffect(() => {
    if (props.open) a.setError(null);
  }, [props.open]);
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <form
        class="case-dialog-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void a.run();
        }}
      >
        {!props.hideProblem && <CaseProblem error={a.error} onReapply={a.reapply} />}
        {props.children}
        <FormButtons submit={props.submitLabel} busy={a.busy} busyText={s.saving} danger={props.danger} cancel={s.cancel} onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}

interface DialogProps {
  ctx: CaseContext;
  open: boolean;
  onClose: () => void;
}

const post = (c: CaseView, op: string, body: unknown) => (ifMatch: string) =>
  request<CaseView>('POST', `/cases/${c.id}/${op}`, body, { ifMatch });

function defaultDue(ctx: CaseContext) {
  return nextWorkingDay(ctx.dir?.holidays);
}

export function ConsultationDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const [d, setD, clear] = useDraft2(`case.${c.id}.consultation`, {
    kind: 'visit',
    notes: '',
    outcome: '',
    answer: '',
    withNext: false,
    next: emptyFollowUp('counseling', defaultDue(ctx)),
  });
  // Only someone who asked (the resident, or a reporter with a phone) can read an answer.
  const answerable = ['visit', 'phone', 'online', 'third_party'].includes(c.channel);
  const body = {
    kind: d.kind,
    notes: d.notes.trim(),
    ...(d.outcome.trim() ? { outcome: d.outcome.trim() } : {}),
    ...(answerable && d.answer.trim() ? { answer: d.answer.trim() } : {}),
    ...(d.withNext ? { next: followUpBody(d.next) } : {}),
  };
  const a = useCaseAction(ctx, post(c, 'consultations', body), () => {
    clear();
    onClose();
    ctx.notify(s.consultDone);
  });
  return (
    <ActionDialog open={open} title={s.consultTitle} onClose={onClose} action={a} submitLabel={s.consultTitle}>
      <SelectField label={s.consultKind} value={d.kind} onValue={(kind) => setD({ ...d, kind })} options={options(vocab.consultationKind)} />
      <TextArea label={s.notes} value={d.notes} onValue={(notes) => setD({ ...d, notes })} error={fieldErrorText(a.error, 'notes')} required rows={4} maxLength={20000} />
      <TextField label={s.outcome} value={d.outcome} onValue={(outcome) => setD({ ...d, outcome })} error={fieldErrorText(a.error, 'outcome')} maxLength={4000} />
      {answerable && (
        <TextArea label={s.answer} hint={s.answerHint} value={d.answer ?? ''} onValue={(answer) => setD({ ...d, answer })} error={fieldErrorText(a.error, 'answer')} rows={3} maxLength={4000} name="answer" />
      )}
      <Checkbox label={s.withNext} checked={d.withNext} onChecked={(withNext) => setD({ ...d, withNext })} />
      {d.withNext && <FollowUpFields value={d.next} onChange={(next) => setD({ ...d, next })} error={a.error} prefix="next" />}
    </ActionDialog>
  );
}

export function ReferDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const [d, setD, clear] = useDraft2<ReferralDraft>(`case.${c.id}.refer`, emptyReferral());
  const a = useCaseAction(ctx, post(c, 'referrals', referralBody(d)), () => {
    clear();
    onClose();
    ctx.notify(s.referDone);
  });
  return (
    <ActionDialog open={open} title={s.referTitle} onClose={onClose} action={a} submitLabel={s.referSave}>
      <ReferralFields
        value={d}
        onChange={setD}
        dir={ctx.dir}
        categories={[c.primary_category, ...c.secondary_categories]}
        error={a.error}
        prefix=""
      />
    </ActionDialog>
  );
}

export function FollowUpDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const [d, setD, clear] = useDraft2<FollowUpDraft>(`case.${c.id}.followup`, emptyFollowUp('welfare_check', defaultDue(ctx)));
  const a = useCaseAction(ctx, post(c, 'follow-ups', followUpBody(d)), () => {
    clear();
    onClose();
    ctx.notify(s.followDone);
  });
  return (
    <ActionDialog open={open} title={s.followTitle} onClose={onClose} action={a} submitLabel={s.followTitle}>
      <FollowUpFields value={d} onChange={setD} error={a.error} prefix="" kinds={Object.keys(vocab.followUpKind)} />
    </ActionDialog>
  );
}

export function ResultDialog({ ctx, open, onClose, followUp }: DialogProps & { followUp: FollowUp | null }) {
  const s = S();
  const c = ctx.c;
  const f = followUp;
  const open_ = c.status !== 'resolved' && c.status !== 'closed';
  const otherSteps =
    c.follow_ups.filter((x) => x.status === 'open' && x.id !== f?.id).length +
    c.referrals.filter((r) => r.status === 'sent' || r.status === 'accepted').length;
  const last = !!f && open_ && otherSteps === 0 && f.recurrence_days === 0;
  const [d, setD, clear] = useDraft2(`case.${c.id}.result.${f?.id ?? 0}`, {
    result: f?.kind === 'resolution_check' ? 'resolved' : 'reached',
    note: '',
    withNext: last,
    next: emptyFollowUp('counseling', defaultDue(ctx)),
  });
  const body = {
    result: d.result,
    ...(d.note.trim() ? { note: d.note.trim() } : {}),
    ...(d.withNext ? { next: followUpBody(d.next) } : {}),
  };
  const a = useCaseAction(
    ctx,
    () => request<CaseView>('POST', `/follow-ups/${f?.id}/result`, body),
    () => {
      clear();
      onClose();
      ctx.notify(s.resultDone);
    },
  );
  // The server says a next step is missing: open its fields.
  useEffect(() => {
    if (ruleOf(a.error) === 'next_step_required' && !d.withNext) setD({ ...d, withNext: true });
  }, [a.error]);
  if (!f) return null;
  return (
    <ActionDialog open={open} title={s.resultTitle} onClose={onClose} action={a} submitLabel={s.resultTitle}>
      <p>
        <strong>{s.resultFor}:</strong> {label(vocab.followUpKind, f.kind)} · {formatDate(f.due_at)}
      </p>
      <RadioGroup
        legend={s.result}
        name={'result-' + f.id}
        value={d.result}
        onValue={(result) => setD({ ...d, result })}
        options={options(vocab.followUpResult)}
        error={fieldErrorText(a.error, 'result')}
      />
      <TextArea label={s.resultNote} value={d.note} onValue={(note) => setD({ ...d, note })} rows={3} error={fieldErrorText(a.error, 'note')} maxLength={20000} />
      {last && <p class="hint">{s.lastStep}</p>}
      <Checkbox label={s.withNext} checked={d.withNext} onChecked={(withNext) => setD({ ...d, withNext })} />
      {d.withNext && <FollowUpFields value={d.next} onChange={(next) => setD({ ...d, next })} error={a.error} prefix="next" />}
    </ActionDialog>
  );
}

export function StatusDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const plain = c.next_transitions.filter((x) => x === 'in_consultation' || x === 'ongoing');
  const [d, setD, clear] = useDraft2(`case.${c.id}.status`, { status: '', note: '' });
  const a = useCaseAction(ctx, post(c, 'transition', { status: d.status, ...(d.note.trim() ? { note: d.note.trim() } : {}) }), () => {
    clear();
    onClose();
    ctx.notify(s.statusDone);
  });
  return (
    <ActionDialog open={open} title={s.statusTitle} onClose={onClose} action={a} submitLabel={s.statusTitle}>
      <SelectField
        label={s.status}
        value={d.status}
        onValue={(status) => setD({ ...d, status })}
        options={plain.map((x) => ({ value: x, label: label(vocab.status, x) }))}
        placeholder={s.choose}
        error={fieldErrorText(a.error, 'status')}
        required
      />
      <TextField label={s.statusNote} value={d.note} onValue={(note) => setD({ ...d, note })} maxLength={1000} />
    </ActionDialog>
  );
}

export function EscalateDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const [d, setD, clear] = useDraft2(`case.${c.id}.escalate`, { manager: '', reason: '' });
  // The case managers of the case's dong, asked for when the dialog opens.
  const [managers, setManagers] = useState<StaffMember[] | undefined>(undefined);
  const [managersError, setManagersError] = useState<unknown>(null);
  useEffect(() => {
    if (!open) return;
    setManagersError(null);
    loadStaffOf('case_manager', c.dong_id).then(setManagers, setManagersError);
  }, [open, c.dong_id]);
  const a = useCaseAction(ctx, post(c, 'escalate', { case_manager_id: Number(d.manager) || 0, reason: d.reason.trim() }), () => {
    clear();
    onClose();
    ctx.notify(s.escalateDone);
  });
  const managerError = fieldErrorText(a.error, 'case_manager_id');
  return (
    <ActionDialog open={open} title={s.escalateTitle} onClose={onClose} action={a} submitLabel={s.escalateTitle}>
      <p class="hint">{s.escalateHint}</p>
      <ErrorSummary error={managersError} />
      <SelectField
        label={s.manager}
        value={d.manager}
        onValue={(manager) => setD({ ...d, manager })}
        options={(managers ?? []).map((u) => ({ value: String(u.id), label: u.display_name }))}
        placeholder={managers || managersError ? s.choose : s.managersLoading}
        hint={managers?.length === 0 ? s.noManagers : s.managerHint}
        error={managerError}
        required
      />
      <TextArea label={s.reason} value={d.reason} onValue={(reason) => setD({ ...d, reason })} error={fieldErrorText(a.error, 'reason')} required rows={3} maxLength={1000} />
    </ActionDialog>
  );
}

export function ResolveDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const [d, setD, clear] = useDraft2(`case.${c.id}.resolve`, { note: '' });
  const a = useCaseAction(ctx, post(c, 'resolve', { resolution_note: d.note.trim() }), () => {
    clear();
    onClose();
    ctx.notify(s.resolveDone);
  });
  return (
    <ActionDialog open={open} title={s.resolveTitle} onClose={onClose} action={a} submitLabel={s.resolveTitle}>
      <p class="hint">{s.resolveHint}</p>
      <TextArea
        label={s.resolutionNote}
        value={d.note}
        onValue={(note) => setD({ ...d, note })}
        error={fieldErrorText(a.error, 'resolution_note')}
        required
        rows={3}
        maxLength={4000}
      />
    </ActionDialog>
  );
}

// Has the resident confirmed the resolution (a done resolution check after it)?
export function resolutionConfirmed(c: CaseView): boolean {
  return c.follow_ups.some(
    (f) =>
      f.kind === 'resolution_check' &&
      f.status === 'done' &&
      (f.result === 'reached' || f.result === 'resolved') &&
      !!c.resolved_at &&
      !!f.done_at &&
      f.done_at >= c.resolved_at,
  );
}

export function CloseDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const confirmed = resolutionConfirmed(c);
  const [d, setD, clear] = useDraft2(`case.${c.id}.close`, { reason: '' });
  const a = useCaseAction(ctx, post(c, 'close', confirmed || !d.reason.trim() ? {} : { unconfirmed_reason: d.reason.trim() }), () => {
    clear();
    onClose();
    ctx.notify(s.closeDone);
  });
  return (
    <ActionDialog open={open} title={s.closeTitle} onClose={onClose} action={a} submitLabel={s.closeSave}>
      {confirmed ? (
        <p class="notice notice-ok">{s.confirmed}</p>
      ) : (
        <>
          <p class="notice notice-warn">{s.unconfirmed}</p>
          <TextArea
            label={s.unconfirmedReason}
            value={d.reason}
            onValue={(reason) => setD({ ...d, reason })}
            error={fieldErrorText(a.error, 'unconfirmed_reason')}
            rows={3}
            maxLength={1000}
          />
        </>
      )}
    </ActionDialog>
  );
}

export function ReopenDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const [d, setD, clear] = useDraft2(`case.${c.id}.reopen`, { reason: '', next: emptyFollowUp('counseling', defaultDue(ctx)) });
  const a = useCaseAction(ctx, post(c, 'reopen', { reason: d.reason.trim(), next: followUpBody(d.next) }), () => {
    clear();
    onClose();
    ctx.notify(s.reopenDone);
  });
  return (
    <ActionDialog open={open} title={s.reopenTitle} onClose={onClose} action={a} submitLabel={s.reopenTitle}>
      <p class="hint">{s.reopenHint}</p>
      <TextArea label={s.reason} value={d.reason} onValue={(reason) => setD({ ...d, reason })} error={fieldErrorText(a.error, 'reason')} required rows={2} maxLength={1000} />
      <fieldset>
        <legend>{s.nextStep}</legend>
        <FollowUpFields value={d.next} onChange={(next) => setD({ ...d, next })} error={a.error} prefix="next" />
      </fieldset>
    </ActionDialog>
  );
}

export function ExtendDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const [d, setD, clear] = useDraft2(`case.${c.id}.extend`, { reason: '' });
  const a = useCaseAction(ctx, post(c, 'extend-deadline', { reason: d.reason.trim() }), () => {
    clear();
    onClose();
    ctx.notify(s.extendDone);
  });
  return (
    <ActionDialog open={open} title={s.extendTitle} onClose={onClose} action={a} submitLabel={s.extendTitle}>
      <p class="hint">{s.extendHint}</p>
      <TextArea label={s.reason} value={d.reason} onValue={(reason) => setD({ ...d, reason })} error={fieldErrorText(a.error, 'reason')} required rows={2} maxLength={1000} />
    </ActionDialog>
  );
}

export function ProgressNoticeDialog({ ctx, open, onClose }: DialogProps) {
  const s = S();
  const c = ctx.c;
  const [d, setD, clear] = useDraft2(`case.${c.id}.notice`, { how: 'call' });
  const a = useCaseAction(ctx, post(c, 'progress-notice', { how: d.how }), () => {
    clear();
    onClose();
    ctx.notify(s.noticeDone);
  });
  return (
    <ActionDialog open={open} title={s.noticeTitle} onClose={onClose} action={a} submitLabel={s.noticeTitle}>
      <RadioGroup legend={s.how} name="notice-how" value={d.how} onValue={(how) => setD({ ...d, how })} options={options(progressHowLabels)} error={fieldErrorText(a.error, 'how')} />
    </ActionDialog>
  );
}

// useDraft with a plain setter (the dialogs replace the whole value).
function useDraft2<T>(key: string, initial: T): [T, (v: T) => void, () => void] {
  const [v, set, clear] = useDraft<T>(key, initial);
  return [v, (x: T) => set(x), clear];
}
