// The referral inbox (연계 요청함) of an agency officer: referrals by status
// with their response deadline, and one referral with only the consented
// fields, to accept, decline (coded reason + note) or complete (outcome).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api';
import { strings, label, vocab, formatDate, formatDateTime } from '../i18n';
import { Page, ErrorSummary, FormButtons, Loading, Notice, Badge, Dialog, SelectField, TextArea, useAsync, useDraft, fieldError } from '../ui';
import { loadCategories, categoryLabel, type DirectoryParts } from '../directory';
import { UrgencyBadge } from '../components/work_common';
import { formatPhone, type Referral as CaseReferral } from '../components/case_shared';
import './work.css';

const S = () =>
  strings({
    title: { ko: '연계 요청함', en: 'Referral inbox' },
    lead: {
      ko: '상담창구에서 보낸 연계 요청입니다. 목록에는 개인정보가 없습니다. 요청을 열면 주민이 동의한 정보만 보입니다.',
      en: 'Referrals sent by the counseling desks. The list holds no personal data; a referral shows only what the resident agreed to share.',
    },
    filter: { ko: '상태별 보기', en: 'By status' },
    all: { ko: '전체', en: 'All' },
    count: { ko: '건', en: '' },
    caption: { ko: '연계 요청 목록', en: 'Referrals' },
    number: { ko: '상담 번호', en: 'Case number' },
    category: { ko: '상담 분야', en: 'Category' },
    urgency: { ko: '긴급도', en: 'Urgency' },
    sentAt: { ko: '받은 날', en: 'Received' },
    dueBy: { ko: '응답 기한', en: 'Respond by' },
    status: { ko: '상태', en: 'Status' },
    late: { ko: '응답 기한 지남', en: 'Response overdue' },
    none: { ko: '이 상태의 연계 요청이 없습니다.', en: 'No referrals with this status.' },
    back: { ko: '연계 요청함으로 돌아가기', en: 'Back to the inbox' },
    detailTitle: { ko: '연계 요청', en: 'Referral' },
    about: { ko: '요청 내용', en: 'The request' },
    requestNote: { ko: '요청 메모', en: 'Note from the counselor' },
    agency: { ko: '연계 기관', en: 'Agency' },
    consentH: { ko: '동의받은 정보', en: 'Shared with consent' },
    consentBy: { ko: '동의한 사람', en: 'Consent given by' },
    consentAt: { ko: '동의 일시', en: 'Consent recorded' },
    consentUntil: { ko: '동의 기한', en: 'Consent valid until' },
    consentScope: { ko: '공유에 동의한 항목', en: 'Fields consented to' },
    consentExpired: {
      ko: '동의 기한이 지나 개인정보를 볼 수 없습니다. 필요하면 상담창구에 다시 동의를 받아 달라고 요청해 주세요.',
      en: 'The consent has expired, so no personal data is shown. Ask the desk to record consent again if needed.',
    },
    nothingShared: { ko: '공유된 개인정보가 없습니다.', en: 'No personal data was shared.' },
    respondH: { ko: '처리', en: 'Response' },
    accept: { ko: '수락', en: 'Accept' },
    acceptHint: {
      ko: '수락하면 상담창구에 우리 기관이 맡았다고 알립니다.',
      en: 'Accepting tells the desk your agency has taken it on.',
    },
    decline: { ko: '거절', en: 'Decline' },
    declineH: { ko: '연계 요청 거절', en: 'Decline the referral' },
    declineLead: {
      ko: '거절하면 상담 전담직원에게 다른 연계처를 찾는 일이 생깁니다. 이유를 알려 주세요.',
      en: 'Declining gives the counselor a task to find another way. Tell them why.',
    },
    reason: { ko: '거절 사유', en: 'Reason' },
    choose: { ko: '사유를 고르세요', en: 'Choose a reason' },
    note: { ko: '설명', en: 'Explanation' },
    noteHint: { ko: '‘기타’를 고르면 꼭 적어 주세요. 다른 기관을 알고 있다면 적어 주시면 좋습니다.', en: 'Required for “Other”. Suggest another agency if you know one.' },
    sendDecline: { ko: '거절 보내기', en: 'Send the decline' },
    cancel: { ko: '취소', en: 'Cancel' },
    completeH: { ko: '처리 결과 알리기', en: 'Report the outcome' },
    outcome: { ko: '처리 결과', en: 'Outcome' },
    outcomeHint: {
      ko: '어떤 지원을 했는지 적어 주세요. 상담 전담직원이 이 내용을 보고 주민에게 해결 여부를 확인합니다.',
      en: 'What was done. The counselor reads it and checks with the resident.',
    },
    complete: { ko: '완료 처리', en: 'Mark as completed' },
    accepted: {
      ko: '수락했습니다. 상담창구에 알렸습니다. 지원을 마치면 처리 결과를 적어 완료 처리해 주세요.',
      en: 'Accepted; the desk has been told. When done, report the outcome.',
    },
    declined: {
      ko: '거절했습니다. 상담 전담직원에게 다른 연계처를 찾는 일이 생겼습니다.',
      en: 'Declined. The counselor now has a task to find another way.',
    },
    completed: {
      ko: '완료로 처리했습니다. 상담 전담직원이 주민에게 해결 여부를 확인합니다.',
      en: 'Completed. The counselor will check with the resident.',
    },
    respondedAt: { ko: '응답한 날', en: 'Responded' },
    completedAt: { ko: '완료한 날', en: 'Completed' },
    declineReason: { ko: '거절 사유', en: 'Decline reason' },
    closedNote: { ko: '이 연계는 처리가 끝났습니다.', en: 'This referral is closed.' },
    busy: { ko: '처리 중…', en: 'Working…' },
  });

const fieldLabels = () =>
  strings({
    name: { ko: '이름', en: 'Name' },
    phone: { ko: '연락처', en: 'Phone' },
    address: { ko: '주소', en: 'Address' },
    birth_date: { ko: '생년월일', en: 'Date of birth' },
    summary: { ko: '상담 내용', en: 'The concern' },
  });
const FIELD_ORDER = ['name', 'birth_date', 'phone', 'address', 'summary'] as const;

// GET /referrals/{id}: the case's referral, with what the agency may know of the case.
interface Referral extends CaseReferral {
  case_number: string;
  primary_category: string;
  urgency: string;
  agency_name: string;
  consent_active: boolean;
  shared: Record<string, string>;
}

const STATUSES = ['sent', 'accepted', 'completed', 'declined'] as const;

function statusKind(status: string) {
  return status === 'completed' ? 'ok' : status === 'declined' ? 'overdue' : 'status';
}

// An agency officer needs only the category names.
async function loadDir(): Promise<DirectoryParts> {
  return { categories: await loadCategories().catch(() => []) };
}

export function ReferralInbox() {
  const s = S();
  const loc = useLocation();
  const chosen = (loc.query as Record<string, string>).status ?? 'sent';
  const data = useAsync(
    async (signal) => {
      const [list, dir] = await Promise.all([api.get<{ items: Referral[] }>('/referrals', { signal }), loadDir()]);
      return { list: list.items, dir };
    },
    [],
  );
  const all = data.data?.list ?? [];
  const shown = chosen === 'all' ? all : all.filter((r) => r.status === chosen);
  const countOf = (st: string) => (st === 'all' ? all.length : all.filter((r) => r.status === st).length);
  const tabs = [...STATUSES, 'all'];
  return (
    <Page title={s.title}>
      <p class="muted">{s.lead}</p>
      <nav aria-label={s.filter} class="status-tabs">
        <ul>
          {tabs.map((st) => (
            <li>
              <a href={`/referrals?status=${st}`} aria-current={chosen === st ? 'page' : undefined}>
                {st === 'all' ? s.all : label(vocab.referralStatus, st)}{' '}
                <span class="count">
                  {data.data ? countOf(st) : '–'}
                  {s.count}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <ErrorSummary error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && shown.length === 0 && <p class="empty">{s.none}</p>}
      {shown.length > 0 && (
        <div class="table-wrap card">
          <table class="work-table">
            <caption class="visually-hidden">
              {s.caption}: {chosen === 'all' ? s.all : label(vocab.referralStatus, chosen)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{s.number}</th>
                <th scope="col">{s.category}</th>
                <th scope="col">{s.urgency}</th>
                <th scope="col">{s.sentAt}</th>
                <th scope="col">{s.dueBy}</th>
                <th scope="col">{s.status}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr class={r.overdue ? 'row-late' : undefined}>
                  <th scope="row">
                    <a href={`/referrals/${r.id}`}>{r.case_number}</a>
                  </th>
                  <td>{categoryLabel(data.data!.dir, r.primary_category)}</td>
                  <td>
                    <UrgencyBadge urgency={r.urgency} />
                  </td>
                  <td>{formatDateTime(r.sent_at)}</td>
                  <td>
                    {r.status === 'sent' ? formatDateTime(r.accept_due_at) : <span class="muted">–</span>}{' '}
                    {r.overdue && <Badge kind="overdue">{s.late}</Badge>}
                  </td>
                  <td>
                    <Badge kind={statusKind(r.status)}>{label(vocab.referralStatus, r.status)}</Badge>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

export function ReferralDetail(props: { id: string }) {
  const s = S();
  const id = props.id;
  const data = useAsync(
    async (signal) => {
      const [r, dir] = await Promise.all([api.get<Referral>(`/referrals/${encodeURIComponent(id)}`, { signal }), loadDir()]);
      return { r, dir };
    },
    [id],
  );
  const [updated, setUpdated] = useState<Referral | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [declineOpen, setDeclineOpen] = useState(false);
  const [decline, setDecline, clearDecline] = useDraft(`referral.${id}.decline`, { reason: '', note: '' });
  const [outcome, setOutcome, clearOutcome] = useDraft(`referral.${id}.outcome`, { text: '' });
  const [declineError, setDeclineError] = useState<unknown>(null);
  // The button just used may be gone after an answer: the focus goes to what happened.
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!notice || declineOpen) return;
    const frame = requestAnimationFrame(() => noticeRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [notice, declineOpen]);

  const r = updated && String(updated.id) === id ? updated : data.data?.r;
  const title = r ? `${s.detailTitle} ${r.case_number}` : s.detailTitle;

  const act = async (path: string, body: unknown, message: string, onError = setError): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setDeclineError(null);
    setNotice('');
    try {
      const next = await api.post<Referral>(`/referrals/${encodeURIComponent(id)}/${path}`, body);
      setUpdated(next);
      setNotice(message);
      return true;
    } catch (e) {
      onError(e);
      // Someone else answered meanwhile: show the referral as it is now.
      if (e instanceof ApiError && e.status === 409) {
        setUpdated(null);
        data.reload();
      }
      return false;
    } finally {
      setBusy(false);
    }
  };

  const fl = fieldLabels();
  return (
    <Page title={title}>
      <p>
        <a href="/referrals">← {s.back}</a>
      </p>
      <ErrorSummary error={data.error} />
      {data.loading && !data.data && <Loading />}
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class="notice-anchor">
          <Notice>{notice}</Notice>
        </div>
      )}
      {r && (
        <>
          <section aria-labelledby="ref-about-h" class="card">
            <h2 id="ref-about-h">{s.about}</h2>
            <dl class="facts">
              <div>
                <dt>{s.number}</dt>
                <dd>{r.case_number}</dd>
              </div>
              <div>
                <dt>{s.status}</dt>
                <dd>
                  <Badge kind={statusKind(r.status)}>{label(vocab.referralStatus, r.status)}</Badge>
                </dd>
              </div>
              <div>
                <dt>{s.category}</dt>
                <dd>{categoryLabel(data.data?.dir, r.primary_category)}</dd>
              </div>
              <div>
                <dt>{s.urgency}</dt>
                <dd>
                  <UrgencyBadge urgency={r.urgency} />
                </dd>
              </div>
              <div>
                <dt>{s.agency}</dt>
                <dd>{r.agency_name}</dd>
              </div>
              <div>
                <dt>{s.sentAt}</dt>
                <dd>{formatDateTime(r.sent_at)}</dd>
              </div>
              {r.status === 'sent' && (
                <div>
                  <dt>{s.dueBy}</dt>
                  <dd>
                    {formatDateTime(r.accept_due_at)} {r.overdue && <Badge kind="overdue">{s.late}</Badge>}
                  </dd>
                </div>
              )}
              {r.responded_at && (
                <div>
                  <dt>{s.respondedAt}</dt>
                  <dd>{formatDateTime(r.responded_at)}</dd>
                </div>
              )}
              {r.completed_at && (
                <div>
                  <dt>{s.completedAt}</dt>
                  <dd>{formatDateTime(r.completed_at)}</dd>
                </div>
              )}
            </dl>
            {r.request_note && (
              <>
                <h3>{s.requestNote}</h3>
                <p class="prewrap">{r.request_note}</p>
              </>
            )}
          </section>

          <section aria-labelledby="ref-consent-h" class="card">
            <h2 id="ref-consent-h">{s.consentH}</h2>
            <dl class="facts">
              <div>
                <dt>{s.consentBy}</dt>
                <dd>{r.consent.given_by}</dd>
              </div>
              <div>
                <dt>{s.consentAt}</dt>
                <dd>{formatDateTime(r.consent.at)}</dd>
              </div>
              <div>
                <dt>{s.consentUntil}</dt>
                <dd>{formatDate(r.consent.until)}</dd>
              </div>
              <div>
                <dt>{s.consentScope}</dt>
                <dd>{r.consent.scope.map((f) => (fl as Record<string, string>)[f] ?? f).join(', ') || '–'}</dd>
              </div>
            </dl>
            {!r.consent_active ? (
              <Notice kind="warn">{s.consentExpired}</Notice>
            ) : Object.keys(r.shared ?? {}).length === 0 ? (
              <p class="empty">{s.nothingShared}</p>
            ) : (
              <dl class="facts shared">
                {FIELD_ORDER.filter((f) => r.shared[f] !== undefined).map((f) => (
                  <div class={f === 'summary' ? 'wide' : undefined}>
                    <dt>{fl[f]}</dt>
                    <dd class="prewrap">{f === 'phone' ? formatPhone(r.shared[f]) : r.shared[f]}</dd>
                  </div>
                ))}
              </dl>
            )}
          </section>

          <section aria-labelledby="ref-respond-h" class="card">
            <h2 id="ref-respond-h">{s.respondH}</h2>
            <ErrorSummary error={error} />
            {r.status === 'sent' && (
              <>
                <p class="hint">{s.acceptHint}</p>
                <div class="actions">
                  <button type="button" class="primary" disabled={busy} onClick={() => act('accept', {}, s.accepted)}>
                    {s.accept}
                  </button>
                  <button type="button" class="danger" disabled={busy} onClick={() => setDeclineOpen(true)}>
                    {s.decline}
                  </button>
                </div>
              </>
            )}
            {r.status === 'accepted' && (
              <form
                noValidate
                onSubmit={async (e) => {
                  e.preventDefault();
                  if (await act('complete', { outcome: outcome.text }, s.completed)) clearOutcome();
                }}
              >
                <h3>{s.completeH}</h3>
                <TextArea
                  label={s.outcome}
                  name="outcome"
                  value={outcome.text}
                  onValue={(v) => setOutcome({ text: v })}
                  hint={s.outcomeHint}
                  required
                  rows={4}
                  maxLength={4000}
                  error={fieldError(error, 'outcome')}
                />
                <div class="actions">
                  <button type="submit" class="primary" disabled={busy}>
                    {busy ? s.busy : s.complete}
                  </button>
                  <button type="button" class="danger" disabled={busy} onClick={() => setDeclineOpen(true)}>
                    {s.decline}
                  </button>
                </div>
              </form>
            )}
            {r.status === 'completed' && (
              <>
                <h3>{s.outcome}</h3>
                <p class="prewrap">{r.outcome}</p>
              </>
            )}
            {r.status === 'declined' && (
              <dl class="facts">
                <div>
                  <dt>{s.declineReason}</dt>
                  <dd>{label(vocab.declineReason, r.decline_reason)}</dd>
                </div>
                {r.decline_note && (
                  <div class="wide">
                    <dt>{s.note}</dt>
                    <dd class="prewrap">{r.decline_note}</dd>
                  </div>
                )}
              </dl>
            )}
            {r.status !== 'sent' && r.status !== 'accepted' && <p class="muted">{s.closedNote}</p>}
          </section>

          <Dialog open={declineOpen} title={s.declineH} onClose={() => setDeclineOpen(false)}>
            <form
              noValidate
              onSubmit={async (e) => {
                e.preventDefault();
                const ok = await act('decline', { reason: decline.reason, note: decline.note }, s.declined, setDeclineError);
                if (ok) {
                  clearDecline();
                  setDeclineOpen(false);
                }
              }}
            >
              <p>{s.declineLead}</p>
              <ErrorSummary error={declineError} />
              <SelectField
                label={s.reason}
                name="reason"
                value={decline.reason}
                onValue={(v) => setDecline((d) => ({ ...d, reason: v }))}
                placeholder={s.choose}
                options={Object.keys(vocab.declineReason).map((c) => ({ value: c, label: label(vocab.declineReason, c) }))}
                required
                error={fieldError(declineError, 'reason')}
              />
              <TextArea
                label={s.note}
                name="note"
                value={decline.note}
                onValue={(v) => setDecline((d) => ({ ...d, note: v }))}
                hint={s.noteHint}
                required={decline.reason === 'other'}
                rows={3}
                maxLength={1000}
                error={fieldError(declineError, 'note')}
              />
              <FormButtons submit={s.sendDecline} busy={busy} busyText={s.busy} danger cancel={s.cancel} onCancel={() => setDeclineOpen(false)} />
            </form>
          </Dialog>
        </>
      )}
    </Page>
  );
}
