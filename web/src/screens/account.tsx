// My settings: language, large text, password, second factor, the phone
// calendar feed (case workers), sessions.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { strings, locale, formatDateTime, type Locale } from '../i18n';
import { me, largeText, applyPreferences, type User } from '../session';
import { Page, ErrorSummary, Notice, TextField, RadioGroup, Checkbox, useAsync, Loading, fieldError } from '../ui';
import { PasswordChange } from './password';

const S = () =>
  strings({
    title: { ko: '내 설정', en: 'My settings' },
    emailHeading: { ko: '알림 이메일', en: 'E-mail for alerts' },
    email: { ko: '이메일 주소', en: 'E-mail address' },
    emailHint: {
      ko: '기한이 지난 일(매일 아침)과 돌봄 기기 긴급 호출을 이 주소로 보냅니다. 비우면 보내지 않습니다.',
      en: 'Overdue work (each morning) and check-in emergencies are sent here. Empty: nothing is sent.',
    },
    emailSave: { ko: '이메일 저장', en: 'Save e-mail' },
    emailSaved: { ko: '저장했습니다.', en: 'Saved.' },
    display: { ko: '화면', en: 'Display' },
    language: { ko: '화면 언어', en: 'Language' },
    large: { ko: '큰 글씨', en: 'Large text' },
    largeHint: { ko: '모든 글자를 크게 보여 줍니다.', en: 'Shows all text larger.' },
    saved: { ko: '저장했습니다.', en: 'Saved.' },
    totp: { ko: '2단계 인증 (OTP)', en: 'Second factor (TOTP)' },
    totpOn: { ko: '2단계 인증을 쓰고 있습니다.', en: 'The second factor is on.' },
    totpOff: { ko: '2단계 인증을 쓰지 않습니다. 개인정보를 다루는 계정은 켜 두기를 권합니다.', en: 'The second factor is off. Accounts that handle personal data should turn it on.' },
    totpStart: { ko: '2단계 인증 설정', en: 'Set up the second factor' },
    totpSecret: { ko: '인증 앱에 이 키를 입력하세요', en: 'Enter this key in your authenticator app' },
    code: { ko: '인증 앱의 6자리 숫자', en: '6-digit code from the app' },
    confirm: { ko: '확인하고 켜기', en: 'Confirm and turn on' },
    disable: { ko: '2단계 인증 끄기', en: 'Turn the second factor off' },
    sessions: { ko: '로그인된 기기', en: 'Signed-in devices' },
    thisOne: { ko: '(지금 이 기기)', en: '(this device)' },
    revoke: { ko: '로그아웃시키기', en: 'Sign out' },
    since: { ko: '로그인', en: 'Since' },
    lastSeen: { ko: '마지막 사용', en: 'Last used' },
    device: { ko: '기기', en: 'Device' },
    action: { ko: '작업', en: 'Action' },
    calendar: { ko: '휴대폰 달력 연결', en: 'Phone calendar' },
    calendarLead: {
      ko: '내 사후관리 일정(추가 상담·안부 확인·가정 방문)과 연계 회신 기한을 휴대폰 달력 앱에서 볼 수 있습니다. 주민 이름 같은 개인정보는 들어가지 않고 상담 번호만 보입니다.',
      en: 'See your follow-ups (counseling, welfare checks, home visits) and referral deadlines in your phone’s calendar app. No personal data: only case numbers.',
    },
    calendarSecret: {
      ko: '달력 주소는 비밀번호처럼 다루세요. 주소를 아는 사람은 누구나 일정을 볼 수 있습니다. 잃어버리면 새 주소를 만들면 이전 주소는 바로 끊깁니다.',
      en: 'Treat the address like a password: anyone who has it sees the calendar. Making a new one stops the old one at once.',
    },
    calendarOn: { ko: '연결되어 있습니다 ({d}에 만든 주소).', en: 'Connected (address made {d}).' },
    calendarOff: { ko: '연결되어 있지 않습니다.', en: 'Not connected.' },
    calendarCreate: { ko: '달력 주소 만들기', en: 'Make a calendar address' },
    calendarRenew: { ko: '새 주소 만들기 (이전 주소는 끊김)', en: 'Make a new address (stops the old one)' },
    calendarRevoke: { ko: '연결 끊기', en: 'Disconnect' },
    calendarUrl: { ko: '달력 주소 (지금 한 번만 보여 줍니다)', en: 'Calendar address (shown only now)' },
    calendarUrlHint: {
      ko: '휴대폰 달력 앱의 "구독" 또는 "URL로 달력 추가"에 붙여 넣으세요.',
      en: 'Paste it in your calendar app under "subscribe" or "add calendar from URL".',
    },
    calendarCopy: { ko: '주소 복사', en: 'Copy the address' },
    calendarCopied: { ko: '복사했습니다.', en: 'Copied.' },
    calendarAdd: { ko: '이 기기의 달력에 추가', en: 'Add to this device’s calendar' },
    calendarRevoked: { ko: '연결을 끊었습니다. 이전 주소로는 더 이상 일정을 볼 수 없습니다.', en: 'Disconnected: the old address shows nothing any more.' },
  });

// Roles with case work of their own to put in a calendar.
const kCaseWorkRoles = ['counselor', 'case_manager', 'supervisor'];

interface SessionRow {
  id: string;
  created_at: string;
  last_seen_at?: string;
  user_agent?: string;
  ip?: string;
  current?: boolean;
}

function EmailCard() {
  const s = S();
  const [email, setEmail] = useState(me.value?.email ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  async function save(e: Event) {
    e.preventDefault();
    setError(null);
    setSaved(false);
    setBusy(true);
    try {
      const answer = await api.patch<{ user: User }>('/auth/me', { email: email.trim() });
      if (answer?.user) me.value = answer.user;
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="email-h" class="card">
      <h2 id="email-h">{s.emailHeading}</h2>
      <form onSubmit={save} noValidate>
        <TextField
          label={s.email}
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onValue={setEmail}
          hint={s.emailHint}
          error={fieldError(error, 'email')}
          maxLength={254}
        />
        <ErrorSummary error={error} />
        {saved && <Notice>{s.emailSaved}</Notice>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {s.emailSave}
          </button>
        </div>
      </form>
    </section>
  );
}

export function Account() {
  const s = S();
  const user = me.value!;
  const [prefError, setPrefError] = useState<unknown>(null);
  const [prefSaved, setPrefSaved] = useState(false);

  const savePrefs = async (change: { locale?: Locale; large_text?: boolean }) => {
    setPrefError(null);
    setPrefSaved(false);
    if (change.locale) {
      locale.value = change.locale;
      localStorage.setItem('caredesk.locale', change.locale);
    }
    if (change.large_text !== undefined) {
      largeText.value = change.large_text;
      localStorage.setItem('caredesk.large_text', change.large_text ? '1' : '0');
    }
    const updated: User = { ...user, ...change };
    applyPreferences(updated);
    try {
      const answer = await api.patch<{ user: User }>('/auth/me', change);
      me.value = answer?.user ?? updated;
      setPrefSaved(true);
    } catch (e) {
      setPrefError(e);
    }
  };

  return (
    <Page title={s.title}>
      <section aria-labelledby="display-h" class="card">
        <h2 id="display-h">{s.display}</h2>
        <ErrorSummary error={prefError} />
        {prefSaved && <Notice>{s.saved}</Notice>}
        <RadioGroup
          legend={s.language}
          name="locale"
          value={locale.value}
          onValue={(v) => savePrefs({ locale: v as Locale })}
          options={[
            { value: 'ko', label: '한국어' },
            { value: 'en', label: 'English' },
          ]}
        />
        <Checkbox label={s.large} hint={s.largeHint} checked={largeText.value} onChecked={(v) => savePrefs({ large_text: v })} name="large_text" />
      </section>
      <EmailCard />
      <div class="card">
        <PasswordChange />
      </div>
      <TotpCard />
      {kCaseWorkRoles.includes(user.role) && <CalendarCard />}
      <SessionsCard />
    </Page>
  );
}

function TotpCard() {
  const s = S();
  const user = me.value!;
  const [secret, setSecret] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const act = async (f: () => Promise<void>) => {
    setError(null);
    setDone('');
    try {
      await f();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-labelledby="totp-h" class="card">
      <h2 id="totp-h">{s.totp}</h2>
      <ErrorSummary error={error} />
      {done && <Notice>{done}</Notice>}
      <p>{user.totp_enabled ? s.totpOn : s.totpOff}</p>
      {!user.totp_enabled && !secret && (
        <button type="button" onClick={() => act(async () => setSecret((await api.post<{ secret: string }>('/auth/totp/setup')).secret))}>
          {s.totpStart}
        </button>
      )}
      {secret && (
        <form
          class="narrow"
          onSubmit={(e) => {
            e.preventDefault();
            act(async () => {
              await api.post(user.totp_enabled ? '/auth/totp/disable' : '/auth/totp/confirm', { code });
              me.value = { ...user, totp_enabled: !user.totp_enabled };
              setSecret('');
              setCode('');
              setDone(s.saved);
            });
          }}
        >
          {!user.totp_enabled && (
            <p>
              {s.totpSecret}: <code class="secret">{secret}</code>
            </p>
          )}
          <TextField label={s.code} value={code} onValue={setCode} inputMode="numeric" maxLength={6} autoComplete="one-time-code" error={fieldError(error, 'code')} />
          <button type="submit" class="primary">
            {user.totp_enabled ? s.disable : s.confirm}
          </button>
        </form>
      )}
      {user.totp_enabled && !secret && (
        <button type="button" onClick={() => setSecret('-')}>
          {s.disable}
        </button>
      )}
    </section>
  );
}

function SessionsCard() {
  const s = S();
  const sessions = useAsync((signal) => api.get<{ items: SessionRow[] }>('/auth/sessions', { signal }), []);
  const [error, setError] = useState<unknown>(null);
  return (
    <section aria-labelledby="sess-h" class="card">
      <h2 id="sess-h">{s.sessions}</h2>
      <ErrorSummary error={error ?? sessions.error} />
      {sessions.loading && !sessions.data && <Loading />}
      {sessions.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{s.device}</th>
              <th scope="col">{s.since}</th>
              <th scope="col">{s.lastSeen}</th>
              <th scope="col">{s.action}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.items.map((row) => (
              <tr>
                <td>
                  {(row.user_agent ?? '').slice(0, 60)} {row.ip} {row.current && <strong>{s.thisOne}</strong>}
                </td>
                <td>{formatDateTime(row.created_at)}</td>
                <td>{formatDateTime(row.last_seen_at)}</td>
                <td>
                  {!row.current && (
                    <button
                      type="button"
                      onClick={async () => {
                        try {
                          await api.del('/auth/sessions/' + encodeURIComponent(row.id));
                          sessions.reload();
                        } catch (e) {
                          setError(e);
                        }
                      }}
                    >
                      {s.revoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CalendarCard() {
  const s = S();
  const status = useAsync((signal) => api.get<{ active: boolean; created_at: string | null }>('/auth/me/calendar-feed', { signal }), []);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const act = async (f: () => Promise<void>) => {
    setError(null);
    setDone('');
    try {
      await f();
    } catch (e) {
      setError(e);
    }
    status.reload();
  };
  const active = status.data?.active;
  return (
    <section aria-labelledby="cal-h" class="card">
      <h2 id="cal-h">{s.calendar}</h2>
      <p class="muted">{s.calendarLead}</p>
      <ErrorSummary error={error ?? status.error} />
      {done && <Notice>{done}</Notice>}
      {status.loading && !status.data && <Loading />}
      {status.data && (
        <p id="calendar-status">{active ? s.calendarOn.replace('{d}', formatDateTime(status.data.created_at)) : s.calendarOff}</p>
      )}
      {url && (
        <div class="calendar-url">
          <TextField label={s.calendarUrl} value={url} onValue={() => undefined} hint={s.calendarUrlHint} readOnly />
          <div class="actions">
            <button
              type="button"
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(url);
                  setDone(s.calendarCopied);
                } catch {
                  // No clipboard (an insecure origin): the address is selectable in the field.
                }
              }}
            >
              {s.calendarCopy}
            </button>
            <a href={url.replace(/^https?:/, 'webcal:')}>{s.calendarAdd}</a>
          </div>
        </div>
      )}
      <p class="hint">{s.calendarSecret}</p>
      <div class="actions">
        <button
          type="button"
          class={active ? '' : 'primary'}
          onClick={() =>
            act(async () => {
              const r = await api.post<{ path: string }>('/auth/me/calendar-feed');
              setUrl(window.location.origin + r.path);
            })
          }
        >
          {active ? s.calendarRenew : s.calendarCreate}
        </button>
        {active && (
          <button
            type="button"
            onClick={() =>
              act(async () => {
                await api.del('/auth/me/calendar-feed');
                setUrl('');
                setDone(s.calendarRevoked);
              })
            }
          >
            {s.calendarRevoke}
          </button>
        )}
      </div>
    </section>
  );
}
