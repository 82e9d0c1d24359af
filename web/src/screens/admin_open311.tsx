// 관리 · Open311: the civic apps allowed to send location-based requests
// (GeoReport v2 at /open311/v2/). A new app's key is shown once; it is stored
// hashed, so a lost key means a new app entry.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { strings, formatDateTime } from '../i18n';
import { ErrorSummary, Loading, Notice, TextField, useAsync, Badge } from '../ui';
import { explain } from './admin_common';

const S = () =>
  strings({
    intro: {
      ko: '동네 생활 불편 신고 앱처럼 Open311 GeoReport v2를 쓰는 앱이 /open311/v2/ 로 무단투기, 가로등 고장, 빗물받이 막힘 같은 신고를 보내면, 위치에 맞는 동의 상담 건이 됩니다. 앱마다 키를 따로 주고, 쓰지 않는 앱은 멈춥니다.',
      en: 'Civic apps that speak Open311 GeoReport v2 send location-based reports (dumping, streetlights, drains) to /open311/v2/; each becomes a case of the dong where it is. Give every app its own key and stop the ones no longer used.',
    },
    apps: { ko: '등록된 앱', en: 'Registered apps' },
    name: { ko: '앱 이름', en: 'App name' },
    add: { ko: '앱 등록', en: 'Register app' },
    keyTitle: { ko: '이 앱의 api_key (지금 한 번만 보여 줍니다)', en: "The app's api_key (shown only now)" },
    keyHint: {
      ko: '앱 운영자에게 안전한 방법으로 전해 주세요. CareDesk는 이 키를 다시 보여 줄 수 없습니다.',
      en: 'Pass it to the app operator safely. CareDesk cannot show it again.',
    },
    created: { ko: '만든 때', en: 'Created' },
    lastUsed: { ko: '마지막 사용', en: 'Last used' },
    never: { ko: '아직 없음', en: 'Never' },
    state: { ko: '상태', en: 'State' },
    active: { ko: '사용 중', en: 'Active' },
    stopped: { ko: '멈춤', en: 'Stopped' },
    stop: { ko: '멈추기', en: 'Stop' },
    stoppedNotice: { ko: '{name}의 키를 더 이상 받지 않습니다.', en: '{name} is stopped.' },
    none: { ko: '등록된 앱이 없습니다.', en: 'No apps registered.' },
  });

interface Client {
  id: number;
  name: string;
  active: boolean;
  created_at: string;
  last_used_at: string | null;
}

export function AdminOpen311() {
  const s = S();
  const list = useAsync(() => api.get<{ items: Client[] }>('/open311/clients'), []);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      await action();
      list.reload();
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <p class="muted">{s.intro}</p>
      <ErrorSummary error={error} />
      {notice && <Notice>{notice}</Notice>}
      {key && (
        <div class="card" role="status">
          <h2>{s.keyTitle}</h2>
          <p>
            <code class="secret" data-testid="open311-key">
              {key}
            </code>
          </p>
          <p class="hint">{s.keyHint}</p>
        </div>
      )}
      <form
        class="card narrow"
        onSubmit={(e) => {
          e.preventDefault();
          run(async () => {
            const made = await api.post<{ api_key: string }>('/open311/clients', { name });
            setKey(made.api_key);
            setName('');
          });
        }}
      >
        <TextField label={s.name} value={name} onValue={setName} required maxLength={100} />
        <button type="submit" class="primary" disabled={busy}>
          {s.add}
        </button>
      </form>
      <section class="card" aria-labelledby="open311-apps">
        <h2 id="open311-apps">{s.apps}</h2>
        {list.loading && !list.data ? (
          <Loading />
        ) : list.error && !list.data ? (
          <ErrorSummary error={explain(list.error)} />
        ) : list.data!.items.length === 0 ? (
          <p class="empty">{s.none}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{s.name}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{s.created}</th>
                <th scope="col">{s.lastUsed}</th>
                <th scope="col">
                  <span class="visually-hidden">{s.stop}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data!.items.map((c) => (
                <tr>
                  <td>{c.name}</td>
                  <td>{c.active ? <Badge kind="ok">{s.active}</Badge> : <Badge kind="status">{s.stopped}</Badge>}</td>
                  <td>{formatDateTime(c.created_at)}</td>
                  <td>{c.last_used_at ? formatDateTime(c.last_used_at) : s.never}</td>
                  <td>
                    {c.active && (
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={`${s.stop}: ${c.name}`}
                        onClick={() =>
                          run(async () => {
                            await api.post(`/open311/clients/${c.id}/deactivate`);
                            setNotice(s.stoppedNotice.replace('{name}', c.name));
                          })
                        }
                      >
                        {s.stop}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
