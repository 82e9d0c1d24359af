// 관리 · 알림: the texts residents and staff receive (one per kind and channel,
// editable, with a preview and a way back to the built-in text) and the outbox:
// how many messages wait, went out, were skipped (opted out, no phone) or were
// given up, with "send again" for those given up. The outbox holds no phone
// numbers or addresses, so this screen shows none.
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { fill, formatDateTime, strings } from '../i18n';
import { Badge, ErrorSummary, Loading, Notice, SelectField, TextArea, fieldError, useAsync } from '../ui';
import { explain } from './admin_common';

const S = () =>
  strings({
    heading: { ko: '알림 문구와 발송 현황', en: 'Messages and the outbox' },
    intro: {
      ko: '주민에게 가는 문자·알림톡(접수, 다음 연락일, 해결, 답변 등록)과 직원에게 가는 이메일(기한 지난 일, 긴급 호출)의 문구입니다. 문자를 받지 않겠다고 한 주민에게는 아무것도 보내지 않습니다.',
      en: 'The texts residents receive by SMS or AlimTalk (receipt, next contact, resolved, answer posted) and the e-mails staff receive (overdue work, emergencies). Residents who opted out get nothing.',
    },
    templates: { ko: '알림 문구', en: 'Message texts' },
    kind_receipt: { ko: '접수 안내', en: 'Receipt' },
    kind_next_contact: { ko: '다음 연락일 안내', en: 'Next contact' },
    kind_resolved: { ko: '해결 안내', en: 'Resolved' },
    kind_answered: { ko: '답변 등록 안내', en: 'Answer posted' },
    kind_overdue_digest: { ko: '기한 지난 일 (직원)', en: 'Overdue work (staff)' },
    kind_emergency_checkin: { ko: '돌봄 기기 긴급 호출 (직원)', en: 'Check-in emergency (staff)' },
    channel_sms: { ko: '문자', en: 'SMS' },
    channel_alimtalk: { ko: '알림톡', en: 'AlimTalk' },
    channel_email: { ko: '이메일', en: 'E-mail' },
    message: { ko: '알림', en: 'Message' },
    body: { ko: '문구', en: 'Text' },
    placeholders: { ko: '쓸 수 있는 자리표시: {list}', en: 'Placeholders: {list}' },
    changed: { ko: '수정함', en: 'Changed' },
    builtin: { ko: '기본 문구', en: 'Built-in' },
    preview: { ko: '미리 보기', en: 'Preview' },
    previewHeading: { ko: '받는 사람에게 보이는 모습 (예시 값)', en: 'What the recipient reads (example values)' },
    save: { ko: '문구 저장', en: 'Save text' },
    reset: { ko: '기본 문구로 되돌리기', en: 'Back to the built-in text' },
    saved: { ko: '저장했습니다. 다음에 보내는 알림부터 이 문구를 씁니다.', en: 'Saved. Messages sent from now on use this text.' },
    resetDone: { ko: '기본 문구로 되돌렸습니다.', en: 'Back to the built-in text.' },
    outbox: { ko: '발송 현황', en: 'Outbox' },
    status_pending: { ko: '보낼 예정', en: 'Waiting' },
    status_sent: { ko: '보냄', en: 'Sent' },
    status_skipped: { ko: '보내지 않음', en: 'Skipped' },
    status_dead: { ko: '보내기 실패', en: 'Given up' },
    all: { ko: '전체', en: 'All' },
    filter: { ko: '상태', en: 'Status' },
    when: { ko: '만든 때', en: 'Queued' },
    kindCol: { ko: '알림', en: 'Message' },
    channelCol: { ko: '경로', en: 'Channel' },
    caseCol: { ko: '상담 건', en: 'Case' },
    statusCol: { ko: '상태', en: 'Status' },
    attemptsCol: { ko: '시도', en: 'Attempts' },
    noteCol: { ko: '마지막 응답', en: 'Last answer' },
    actionCol: { ko: '처리', en: 'Action' },
    requeue: { ko: '다시 보내기', en: 'Send again' },
    requeued: { ko: '다시 보내도록 했습니다.', en: 'Queued again.' },
    empty: { ko: '알림이 없습니다.', en: 'No messages.' },
    more: { ko: '더 보기', en: 'More' },
    nextAt: { ko: '다음 시도 {t}', en: 'next try {t}' },
  });

interface TemplateRow {
  kind: string;
  channel: string;
  audience: 'resident' | 'staff';
  body: string;
  builtin: boolean;
  builtin_body: string;
  placeholders: string[];
  updated_at: string | null;
}

interface OutboxRow {
  id: number;
  kind: string;
  channel: string | null;
  status: 'pending' | 'sent' | 'skipped' | 'dead';
  attempts: number;
  case_id: number | null;
  case_number: string | null;
  created_at: string;
  next_attempt_at: string | null;
  sent_at: string | null;
  last_error: string;
}

interface OutboxPage {
  items: OutboxRow[];
  counts: Record<string, number>;
  next_before: number | null;
}

const kStatuses = ['pending', 'sent', 'skipped', 'dead'] as const;

function label(key: string): string {
  return (S() as Record<string, string>)[key] ?? key;
}

function TemplateEditor(props: { rows: TemplateRow[]; onSaved: () => void }) {
  const s = S();
  const [key, setKey] = useState(props.rows[0] ? props.rows[0].kind + '/' + props.rows[0].channel : '');
  const current = props.rows.find((r) => r.kind + '/' + r.channel === key) ?? props.rows[0];
  const [text, setText] = useState<string | null>(null);
  const [preview, setPreview] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  if (!current) return null;
  const body = text ?? current.body;
  const path = `/notification-templates/${current.kind}/${current.channel}`;

  function choose(k: string) {
    setKey(k);
    setText(null);
    setPreview('');
    setError(null);
    setNotice('');
  }

  async function run(action: () => Promise<void>) {
    setError(null);
    setNotice('');
    setBusy(true);
    try {
      await action();
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="notification-editor">
      <SelectField
        label={s.message}
        name="template"
        value={current.kind + '/' + current.channel}
        onValue={choose}
        options={props.rows.map((r) => ({
          value: r.kind + '/' + r.channel,
          label: `${label('kind_' + r.kind)} · ${label('channel_' + r.channel)}${r.builtin ? '' : ' (' + s.changed + ')'}`,
        }))}
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api.put(path, { body });
            setText(null);
            setNotice(s.saved);
            props.onSaved();
          });
        }}
      >
        <TextArea
          label={s.body}
          name="body"
          value={body}
          onValue={(v) => {
            setText(v);
            setPreview('');
          }}
          rows={4}
          maxLength={1000}
          hint={fill(s.placeholders, { list: current.placeholders.map((p) => `{{${p}}}`).join(', ') })}
          error={fieldError(error, 'body')}
          required
        />
        <p class="small muted">
          <Badge kind={current.builtin ? 'status' : 'ok'}>{current.builtin ? s.builtin : s.changed}</Badge>
          {current.updated_at && <> {formatDateTime(current.updated_at)}</>}
        </p>
        <ErrorSummary error={error} />
        {notice && <Notice>{notice}</Notice>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {s.save}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run(async () => {
                const r = await api.post<{ text: string }>(path + '/preview', { body });
                setPreview(r.text);
              })
            }
          >
            {s.preview}
          </button>
          {!current.builtin && (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                run(async () => {
                  await api.del(path);
                  setText(null);
                  setNotice(s.resetDone);
                  props.onSaved();
                })
              }
            >
              {s.reset}
            </button>
          )}
        </div>
      </form>
      {preview && (
        <figure class="message-preview" aria-label={s.previewHeading}>
          <figcaption class="small muted">{s.previewHeading}</figcaption>
          <p id="template-preview">{preview}</p>
        </figure>
      )}
    </div>
  );
}

function Outbox() {
  const s = S();
  const [status, setStatus] = useState('');
  const [before, setBefore] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const page = useAsync(
    (signal) => api.get<OutboxPage>('/outbox' + query({ status, before, limit: 50 }), { signal }),
    [status, before],
  );

  async function requeue(id: number) {
    setError(null);
    setNotice('');
    try {
      await api.post(`/outbox/${id}/requeue`);
      setNotice(s.requeued);
      page.reload();
    } catch (e) {
      setError(explain(e));
    }
  }

  const data = page.data;
  return (
    <div>
      {data && (
        <ul class="outbox-counts" aria-label={s.outbox}>
          {kStatuses.map((k) => (
            <li>
              <Badge kind={k === 'dead' ? 'overdue' : k === 'sent' ? 'ok' : 'status'}>{label('status_' + k)}</Badge>{' '}
              <strong id={'outbox-count-' + k}>{data.counts[k] ?? 0}</strong>
            </li>
          ))}
        </ul>
      )}
      <SelectField
        label={s.filter}
        name="outbox-status"
        value={status}
        onValue={(v) => {
          setStatus(v);
          setBefore(null);
        }}
        options={[{ value: '', label: s.all }, ...kStatuses.map((k) => ({ value: k, label: label('status_' + k) }))]}
      />
      <ErrorSummary error={explain(page.error) ?? error} />
      {notice && <Notice>{notice}</Notice>}
      {page.loading && !data && <Loading />}
      {data && data.items.length === 0 && <p class="muted">{s.empty}</p>}
      {data && data.items.length > 0 && (
        <div class="table-wrap">
          <table class="admin-table" id="outbox-table">
            <caption class="visually-hidden">{s.outbox}</caption>
            <thead>
              <tr>
                <th scope="col">{s.when}</th>
                <th scope="col">{s.kindCol}</th>
                <th scope="col">{s.channelCol}</th>
                <th scope="col">{s.caseCol}</th>
                <th scope="col">{s.statusCol}</th>
                <th scope="col">{s.attemptsCol}</th>
                <th scope="col">{s.noteCol}</th>
                <th scope="col">{s.actionCol}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((m) => (
                <tr>
                  <td>{formatDateTime(m.created_at)}</td>
                  <td>{label('kind_' + m.kind)}</td>
                  <td>{m.channel ? label('channel_' + m.channel) : '-'}</td>
                  <td>{m.case_number ?? '-'}</td>
                  <td>
                    <Badge kind={m.status === 'dead' ? 'overdue' : m.status === 'sent' ? 'ok' : 'status'}>
                      {label('status_' + m.status)}
                    </Badge>
                    {m.next_attempt_at && m.attempts > 0 && (
                      <span class="small muted"> {fill(s.nextAt, { t: formatDateTime(m.next_attempt_at) })}</span>
                    )}
                  </td>
                  <td>{m.attempts}</td>
                  <td>{m.last_error || '-'}</td>
                  <td>
                    {m.status === 'dead' && (
                      <button type="button" onClick={() => requeue(m.id)}>
                        {s.requeue}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.next_before && (
        <div class="actions">
          <button type="button" onClick={() => setBefore(data.next_before)}>
            {s.more}
          </button>
        </div>
      )}
    </div>
  );
}

export function AdminNotifications() {
  const s = S();
  const templates = useAsync(
    (signal) => api.get<{ items: TemplateRow[] }>('/notification-templates', { signal }),
    [],
  );
  return (
    <section aria-labelledby="notifications-h" class="card">
      <h2 id="notifications-h">{s.heading}</h2>
      <p class="muted">{s.intro}</p>
      <h3>{s.templates}</h3>
      <ErrorSummary error={explain(templates.error)} />
      {templates.loading && !templates.data && <Loading />}
      {templates.data && <TemplateEditor rows={templates.data.items} onSaved={templates.reload} />}
      <h3>{s.outbox}</h3>
      <Outbox />
    </section>
  );
}
