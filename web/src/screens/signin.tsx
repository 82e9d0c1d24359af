import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api';
import { strings, locale } from '../i18n';
import { adopt, homeFor, sessionExpired, secondFactorPending, me, type MeAnswer } from '../session';
import { ErrorSummary, TextField, fieldError } from '../ui';

const S = () =>
  strings({
    title: { ko: 'CareDesk 로그인', en: 'Sign in to CareDesk' },
    lead: { ko: '무엇이든 상담창구 직원용 화면입니다.', en: 'The Ask-Anything desk, for staff.' },
    login: { ko: '아이디', en: 'Login' },
    password: { ko: '비밀번호', en: 'Password' },
    submit: { ko: '로그인', en: 'Sign in' },
    busy: { ko: '확인 중…', en: 'Checking…' },
    expired: {
      ko: '로그인 시간이 지나 다시 로그인해야 합니다. 입력하던 내용은 그대로 남아 있습니다.',
      en: 'Your session ended; please sign in again. What you were typing is kept.',
    },
    codeTitle: { ko: '2단계 인증', en: 'Second factor' },
    code: { ko: '인증 앱의 6자리 숫자', en: 'The 6-digit code from your authenticator app' },
    verify: { ko: '확인', en: 'Verify' },
    language: { ko: 'English', en: '한국어' },
  });

export function SignIn(props: { returnTo: string }) {
  const s = S();
  const loc = useLocation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const needsCode = secondFactorPending.value;

  const finish = (answer: MeAnswer) => {
    adopt(answer);
    if (!answer.second_factor_required) {
      const target = props.returnTo && props.returnTo !== '/' ? props.returnTo : homeFor(answer.user.role);
      loc.route(target, true);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      finish(await api.post<MeAnswer>('/auth/login', { login, password }, { quiet401: true }));
      setPassword('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const verify = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/totp/verify', { code }, { quiet401: true });
      finish({ ...(await api.get<MeAnswer>('/auth/me')), second_factor_required: false });
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.status === 401) {
        secondFactorPending.value = false;
        me.value = null;
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <div class="signin-card">
        <p class="brand brand-big">CareDesk</p>
        <h1>{needsCode ? s.codeTitle : s.title}</h1>
        <p class="muted">{s.lead}</p>
        {sessionExpired.value && !error && (
          <div class="notice notice-warn" role="status">
            {s.expired}
          </div>
        )}
        <ErrorSummary error={error} />
        {!needsCode ? (
          <form onSubmit={submit} noValidate>
            <TextField
              label={s.login}
              name="login"
              value={login}
              onValue={setLogin}
              autoComplete="username"
              required
              error={fieldError(error, 'login')}
            />
            <TextField
              label={s.password}
              name="password"
              type="password"
              value={password}
              onValue={setPassword}
              autoComplete="current-password"
              required
              error={fieldError(error, 'password')}
            />
            <button type="submit" class="primary" disabled={busy}>
              {busy ? s.busy : s.submit}
            </button>
          </form>
        ) : (
          <form onSubmit={verify} noValidate>
            <TextField
              label={s.code}
              name="code"
              value={code}
              onValue={setCode}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              error={fieldError(error, 'code')}
            />
            <button type="submit" class="primary" disabled={busy}>
              {s.verify}
            </button>
          </form>
        )}
        <p>
          <button
            type="button"
            class="link"
            lang={locale.value === 'en' ? 'ko' : 'en'}
            onClick={() => {
              locale.value = locale.value === 'en' ? 'ko' : 'en';
              localStorage.setItem('caredesk.locale', locale.value);
              document.documentElement.lang = locale.value;
            }}
          >
            {s.language}
          </button>
        </p>
      </div>
    </main>
  );
}
