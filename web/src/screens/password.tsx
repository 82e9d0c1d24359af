import { useState } from 'preact/hooks';
import { api } from '../api';
import { strings } from '../i18n';
import { loadMe, signOut } from '../session';
import { ErrorSummary, Notice, TextField, fieldError } from '../ui';

const S = () =>
  strings({
    title: { ko: '비밀번호 변경', en: 'Change your password' },
    forcedLead: {
      ko: '처음 로그인하셨습니다. 계속하려면 본인만 아는 새 비밀번호를 정해 주세요.',
      en: 'This is your first sign-in. Choose a new password only you know to continue.',
    },
    current: { ko: '현재 비밀번호', en: 'Current password' },
    next: { ko: '새 비밀번호', en: 'New password' },
    policy: {
      ko: '영문·숫자·특수문자 중 2종류 이상 10자 이상, 또는 3종류 이상 8자 이상. 아이디를 포함할 수 없습니다.',
      en: '10+ characters of two kinds (letters, digits, symbols) or 8+ of three kinds; must not contain your login.',
    },
    confirm: { ko: '새 비밀번호 확인', en: 'Repeat the new password' },
    mismatch: { ko: '두 비밀번호가 다릅니다.', en: 'The two passwords differ.' },
    submit: { ko: '비밀번호 변경', en: 'Change password' },
    done: { ko: '비밀번호를 바꿨습니다. 다른 기기의 로그인은 종료되었습니다.', en: 'Password changed; your other sessions were signed out.' },
    signOut: { ko: '로그아웃', en: 'Sign out' },
  });

export function PasswordChange(props: { forced?: boolean }) {
  const s = S();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm !== '' && next !== confirm;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (next !== confirm) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/password', { current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
      if (props.forced) await loadMe();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const form = (
    <form onSubmit={submit} noValidate class="narrow">
      <ErrorSummary error={error} />
      {done && <Notice>{s.done}</Notice>}
      <TextField label={s.current} name="current_password" type="password" value={current} onValue={setCurrent} autoComplete="current-password" required error={fieldError(error, 'current_password')} />
      <TextField label={s.next} name="new_password" type="password" value={next} onValue={setNext} autoComplete="new-password" required hint={s.policy} error={fieldError(error, 'new_password')} />
      <TextField label={s.confirm} name="confirm_password" type="password" value={confirm} onValue={setConfirm} autoComplete="new-password" required error={mismatch ? s.mismatch : undefined} />
      <button type="submit" class="primary" disabled={busy || mismatch}>
        {s.submit}
      </button>
    </form>
  );
  if (!props.forced) {
    return (
      <section aria-labelledby="pw-h">
        <h2 id="pw-h">{s.title}</h2>
        {form}
      </section>
    );
  }
  return (
    <main id="main" class="signin">
      <div class="signin-card">
        <p class="brand brand-big">CareDesk</p>
        <h1>{s.title}</h1>
        <p>{s.forcedLead}</p>
        {form}
        <p>
          <button type="button" class="link" onClick={() => signOut()}>
            {s.signOut}
          </button>
        </p>
      </div>
    </main>
  );
}
