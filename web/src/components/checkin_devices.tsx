// 안부 확인 기기: the care robots, automatic calls and sensors that check on a
// resident. Staff register one (its secret is shown once, to be entered in the
// device or given to the provider), see each device's last result and stop one.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { fill, formatDateTime, label, strings, type Pair } from '../i18n';
import { Badge, Dialog, ErrorSummary, FormButtons, SelectField, TextField, fieldError, useAsync } from '../ui';

const S = () =>
  strings({
    heading: { ko: '안부 확인 기기', en: 'Check-in devices' },
    none: { ko: '등록된 기기가 없습니다.', en: 'No device registered.' },
    register: { ko: '기기 등록', en: 'Register a device' },
    uid: { ko: '기기 번호', en: 'Device id' },
    uidHint: { ko: '기기나 서비스에 적힌 번호 (영문·숫자). 예: HYODOL-2031', en: 'The id on the device or service. E.g. HYODOL-2031' },
    name: { ko: '기기 이름', en: 'Name' },
    nameHint: { ko: '예: 거실 돌봄 로봇', en: 'E.g. living-room care robot' },
    kind: { ko: '종류', en: 'Kind' },
    save: { ko: '등록', en: 'Register' },
    secretTitle: { ko: '기기 비밀키 (지금 한 번만 보여 줍니다)', en: 'Device secret (shown only now)' },
    secretLead: {
      ko: '이 비밀키를 기기 설정이나 서비스 업체에 전해 주세요. 기기는 이 키로 보고에 서명합니다. 다시 볼 수 없으니 잃어버리면 기기를 중지하고 새로 등록하세요.',
      en: 'Give this secret to the device or its provider: the device signs its reports with it. It cannot be shown again; if lost, stop the device and register it anew.',
    },
    done: { ko: '확인했습니다', en: 'Done' },
    last: { ko: '마지막 보고', en: 'Last report' },
    never: { ko: '아직 보고 없음', en: 'No report yet' },
    missed: { ko: '연속 무응답 {n}회', en: '{n} missed in a row' },
    stopped: { ko: '중지됨', en: 'Stopped' },
    stop: { ko: '중지', en: 'Stop' },
    stopConfirm: { ko: '이 기기의 보고를 더 받지 않을까요?', en: 'Stop accepting reports from this device?' },
  });

const kinds: Record<string, Pair> = {
  robot: { ko: '돌봄 로봇', en: 'Care robot' },
  call_service: { ko: '자동 안부 전화', en: 'Automatic call' },
  sensor: { ko: '생활 감지 센서', en: 'Activity sensor' },
};

const results: Record<string, Pair> = {
  responded: { ko: '응답함', en: 'Responded' },
  no_response: { ko: '응답 없음', en: 'No response' },
  emergency_button: { ko: '비상 버튼', en: 'Emergency button' },
  abnormal_activity: { ko: '이상 활동 감지', en: 'Abnormal activity' },
};

interface Device {
  id: number;
  device_uid: string;
  label: string;
  kind: string;
  active: boolean;
  last_result: string | null;
  last_at: string | null;
  missed_in_a_row: number;
}

export function CheckinDevices(props: { residentId: number }) {
  const s = S();
  const devices = useAsync(
    (signal) => api.get<{ items: Device[] }>(`/residents/${props.residentId}/devices`, { signal }),
    [props.residentId],
  );
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ device_uid: '', label: '', kind: 'robot' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState('');

  async function register(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ secret: string }>(`/residents/${props.residentId}/devices`, form);
      setSecret(r.secret);
      setForm({ device_uid: '', label: '', kind: 'robot' });
      devices.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function stop(d: Device) {
    if (!window.confirm(s.stopConfirm)) return;
    setError(null);
    try {
      await api.post(`/devices/${d.id}/deactivate`);
      devices.reload();
    } catch (err) {
      setError(err);
    }
  }

  const close = () => {
    setOpen(false);
    setSecret('');
    setError(null);
  };
  const items = devices.data?.items ?? [];
  return (
    <div class="checkin-devices">
      <h3 id="devices-h">{s.heading}</h3>
      {!open && <ErrorSummary error={error ?? devices.error} />}
      {devices.data && items.length === 0 && <p class="muted small">{s.none}</p>}
      {items.length > 0 && (
        <ul class="checkin-device-list" aria-labelledby="devices-h">
          {items.map((d) => (
            <li>
              <span>
                <strong>{d.label}</strong> <span class="muted small">{label(kinds, d.kind)} · {d.device_uid}</span>
              </span>
              <span class="small">
                {s.last}: {d.last_result ? `${label(results, d.last_result)} (${formatDateTime(d.last_at)})` : s.never}
                {d.missed_in_a_row > 0 && <> · {fill(s.missed, { n: d.missed_in_a_row })}</>}
              </span>
              {d.active ? (
                <button type="button" class="link" onClick={() => stop(d)}>
                  {s.stop}
                </button>
              ) : (
                <Badge kind="status">{s.stopped}</Badge>
              )}
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => setOpen(true)}>
        {s.register}
      </button>
      <Dialog open={open} title={secret ? s.secretTitle : s.register} onClose={close}>
        {secret ? (
          <div>
            <p>{s.secretLead}</p>
            <p>
              <code class="checkin-secret">{secret}</code>
            </p>
            <div class="actions">
              <button type="button" class="primary" onClick={close}>
                {s.done}
              </button>
            </div>
          </div>
        ) : (
          <form onSubmit={register} noValidate>
            <ErrorSummary error={error} />
            <TextField
              label={s.uid}
              value={form.device_uid}
              onValue={(device_uid) => setForm({ ...form, device_uid })}
              hint={s.uidHint}
              error={fieldError(error, 'device_uid')}
              required
              maxLength={64}
            />
            <TextField
              label={s.name}
              value={form.label}
              onValue={(v) => setForm({ ...form, label: v })}
              hint={s.nameHint}
              error={fieldError(error, 'label')}
              required
              maxLength={100}
            />
            <SelectField
              label={s.kind}
              value={form.kind}
              onValue={(kind) => setForm({ ...form, kind })}
              options={Object.keys(kinds).map((k) => ({ value: k, label: label(kinds, k) }))}
              error={fieldError(error, 'kind')}
            />
            <FormButtons submit={s.save} busy={busy} onCancel={close} />
          </form>
        )}
      </Dialog>
    </div>
  );
}
