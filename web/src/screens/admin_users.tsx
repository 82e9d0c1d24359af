// 관리 · 사용자: the accounts of the district, new accounts with a temporary
// password shown once (changed at first sign-in), role/dong/agency changes,
// deactivation and unlocking.
import { useState } from 'preact/hooks';
import { ApiError, api, request } from '../api';
import { strings, vocab, label, fill } from '../i18n';
import { me } from '../session';
import { Badge, Checkbox, Dialog, ErrorSummary, FormButtons, Loading, Notice, SelectField, TextField, fieldError, useAsync, useDraft } from '../ui';
import { explain, useAgencies, useDongs, type UserRow } from './admin_common';
import { agencyName, dongName } from '../directory';

const S = () =>
  strings({
    heading: { ko: '사용자 계정', en: 'User accounts' },
    intro: {
      ko: '직원 계정과 역할을 관리합니다. 새 계정은 임시 비밀번호로 시작하고, 첫 로그인 때 본인이 새 비밀번호로 바꿉니다.',
      en: 'Staff accounts and their roles. New accounts start with a temporary password that the person changes at first sign-in.',
    },
    create: { ko: '새 계정 만들기', en: 'New account' },
    caption: { ko: '사용자 {n}명', en: '{n} users' },
    login: { ko: '아이디', en: 'Login' },
    loginHint: { ko: '영문·숫자·마침표(.)·밑줄(_)·붙임표(-)로 64자까지. 예: hapjeong.counselor', en: 'Letters, digits, ".", "_" and "-", up to 64. E.g. hapjeong.counselor' },
    name: { ko: '이름', en: 'Name' },
    nameHint: { ko: '화면과 기록에 보이는 이름입니다.', en: 'The name shown on screens and records.' },
    email: { ko: '이메일 (선택)', en: 'E-mail (optional)' },
    emailHint: { ko: '기한 지난 일과 긴급 호출 알림을 받을 주소', en: 'Where overdue work and emergencies are e-mailed' },
    role: { ko: '역할', en: 'Role' },
    belongs: { ko: '소속', en: 'Belongs to' },
    dong: { ko: '소속 동', en: 'Dong' },
    dongHint: { ko: '상담 전담직원과 사례관리사는 소속 동의 상담만 봅니다.', en: 'Counselors and case managers see the cases of their dong.' },
    dongSupervisorHint: { ko: '동을 고르지 않으면 구 전체를 봅니다.', en: 'Without a dong the supervisor sees the whole district.' },
    chooseDong: { ko: '동을 고르세요', en: 'Choose a dong' },
    wholeDistrict: { ko: '구 전체', en: 'Whole district' },
    agency: { ko: '소속 기관', en: 'Agency' },
    chooseAgency: { ko: '기관을 고르세요', en: 'Choose an agency' },
    locked: { ko: '잠금', en: 'Locked' },
    lockedYes: { ko: '잠김', en: 'Locked' },
    no: { ko: '아니요', en: 'No' },
    totp: { ko: '2단계 인증', en: 'Second factor' },
    totpOn: { ko: '사용', en: 'On' },
    totpOff: { ko: '안 함', en: 'Off' },
    status: { ko: '계정 상태', en: 'Account' },
    active: { ko: '사용 중', en: 'Active' },
    inactive: { ko: '사용 중지', en: 'Deactivated' },
    firstSignIn: { ko: '첫 로그인 전', en: 'Not signed in yet' },
    actions: { ko: '작업', en: 'Actions' },
    edit: { ko: '변경', en: 'Change' },
    unlock: { ko: '잠금 해제', en: 'Unlock' },
    unlocked: { ko: '{name} 계정의 잠금을 풀었습니다.', en: 'The account of {name} is unlocked.' },
    save: { ko: '저장', en: 'Save' },
    cancel: { ko: '취소', en: 'Cancel' },
    createSubmit: { ko: '계정 만들기', en: 'Create the account' },
    created: { ko: '계정을 만들었습니다', en: 'The account is created' },
    createdFor: { ko: '{name} ({login}) 계정을 만들었습니다.', en: 'The account of {name} ({login}) is created.' },
    tempPassword: { ko: '임시 비밀번호', en: 'Temporary password' },
    tempOnce: {
      ko: '이 비밀번호는 지금 한 번만 보입니다. 본인에게 직접(대면 또는 전화로) 알려 주세요. 첫 로그인 때 본인이 새 비밀번호로 바꿉니다.',
      en: 'This password is shown only now. Tell it to the person directly (in person or by phone). They change it at their first sign-in.',
    },
    done: { ko: '전달했습니다 (닫기)', en: 'Passed on (close)' },
    editTitle: { ko: '{name} 계정 변경', en: 'Change the account of {name}' },
    activeLabel: { ko: '이 계정으로 로그인할 수 있음', en: 'This account can sign in' },
    activeHint: {
      ko: '끄면 이 계정은 더 이상 로그인할 수 없습니다 (퇴직·전보). 기록은 그대로 남습니다.',
      en: 'When off, the account can no longer sign in (left or moved). Its records stay.',
    },
    self: { ko: '(나)', en: '(me)' },
    saved: { ko: '{name} 계정을 저장했습니다.', en: 'The account of {name} is saved.' },
    stale: {
      ko: '그사이 다른 관리자가 이 계정을 바꿨습니다. 최신 정보를 불러왔으니 입력한 내용을 확인하고 다시 저장하세요.',
      en: 'Another administrator changed this account meanwhile. The latest version is loaded: check what you typed and save again.',
    },
  });

const ROLES = Object.keys(vocab.role);
const needsDong = (role: string) => role === 'counselor' || role === 'case_manager';
const mayHaveDong = (role: string) => needsDong(role) || role === 'supervisor';

// 12 letters and digits in three groups (e.g. "Kp7m-Rt4x-Qa9w"): upper and
// lower case, digits and a symbol, so it meets the password policy.
export function temporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint32Array(12));
    const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    const pw = [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].join('-');
    if (/[A-Z]/.test(pw) && /[a-z]/.test(pw) && /[0-9]/.test(pw)) return pw;
  }
}

export function AdminUsers() {
  const s = S();
  const users = useAsync((signal) => api.get<{ items: UserRow[] }>('/users', { signal }), []);
  const dongs = useDongs();
  const agencies = useAgencies();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);

  const dir = { dongs: dongs.data, agencies: agencies.data };
  const belongs = (u: UserRow) => (u.agency_id ? agencyName(dir, u.agency_id) : u.dong_id ? dongName(dir, u.dong_id) : s.wholeDistrict);

  const unlock = async (u: UserRow) => {
    setError(null);
    setNotice('');
    try {
      await api.post('/users/' + u.id + '/unlock');
      setNotice(fill(s.unlocked, { name: u.display_name }));
      users.reload();
    } catch (e) {
      setError(explain(e));
    }
  };

  return (
    <section aria-labelledby="users-h" class="card">
      <div class="admin-card-head">
        <h2 id="users-h">{s.heading}</h2>
        <button
          type="button"
          class="primary"
          onClick={() => {
            setNotice('');
            setCreating(true);
          }}
        >
          {s.create}
        </button>
      </div>
      <p class="muted">{s.intro}</p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary error={error ?? users.error} />
      {users.loading && !users.data && <Loading />}
      {users.data && (
        <div class="table-wrap">
          <table class="admin-table">
            <caption>{fill(s.caption, { n: users.data.items.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{s.login}</th>
                <th scope="col">{s.name}</th>
                <th scope="col">{s.role}</th>
                <th scope="col">{s.belongs}</th>
                <th scope="col">{s.locked}</th>
                <th scope="col">{s.totp}</th>
                <th scope="col">{s.status}</th>
                <th scope="col">{s.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr data-login={u.login}>
                  <th scope="row">
                    {u.login} {u.id === me.value?.id && <span class="muted">{s.self}</span>}
                  </th>
                  <td>{u.display_name}</td>
                  <td>{label(vocab.role, u.role)}</td>
                  <td>{u.role === 'admin' || u.role === 'auditor' ? '—' : belongs(u)}</td>
                  <td>{u.locked ? <Badge kind="overdue">{s.lockedYes}</Badge> : s.no}</td>
                  <td>{u.totp_enabled ? s.totpOn : s.totpOff}</td>
                  <td>
                    {u.active ? <Badge kind="ok">{s.active}</Badge> : <Badge kind="status">{s.inactive}</Badge>}
                    {u.active && u.must_change_password && <div class="small muted">{s.firstSignIn}</div>}
                  </td>
                  <td class="actions-cell">
                    <button type="button" onClick={() => setEditing(u)}>
                      {s.edit}
                      <span class="visually-hidden"> ({u.display_name})</span>
                    </button>
                    {u.locked && (
                      <button type="button" onClick={() => unlock(u)}>
                        {s.unlock}
                        <span class="visually-hidden"> ({u.display_name})</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => users.reload()}
        dongs={dongs.data ?? []}
        agencies={agencies.data ?? []}
      />
      <Dialog open={editing !== null} title={editing ? fill(s.editTitle, { name: editing.display_name }) : ''} onClose={() => setEditing(null)}>
        {editing && (
          <EditUserForm
            key={editing.id}
            user={editing}
            dongs={dongs.data ?? []}
            agencies={agencies.data ?? []}
            onCancel={() => setEditing(null)}
            onSaved={(u) => {
              setEditing(null);
              setNotice(fill(s.saved, { name: u.display_name }));
              users.reload();
            }}
          />
        )}
      </Dialog>
    </section>
  );
}

interface Choices {
  dongs: { id: number; name: string }[];
  agencies: { id: number; name: string }[];
}

// Role, and the dong or agency that goes with it.
function ScopeFields(props: Choices & { role: string; dong: string; agency: string; onRole: (v: string) => void; onDong: (v: string) => void; onAgency: (v: string) => void; error: unknown }) {
  const s = S();
  return (
    <>
      <SelectField
        label={s.role}
        name="role"
        value={props.role}
        onValue={props.onRole}
        required
        options={ROLES.map((r) => ({ value: r, label: label(vocab.role, r) }))}
        error={fieldError(props.error, 'role')}
      />
      {mayHaveDong(props.role) && (
        <SelectField
          label={s.dong}
          name="dong_id"
          value={props.dong}
          onValue={props.onDong}
          required={needsDong(props.role)}
          hint={needsDong(props.role) ? s.dongHint : s.dongSupervisorHint}
          placeholder={needsDong(props.role) ? s.chooseDong : s.wholeDistrict}
          options={props.dongs.map((d) => ({ value: String(d.id), label: d.name }))}
          error={fieldError(props.error, 'dong_id')}
        />
      )}
      {props.role === 'agency_officer' && (
        <SelectField
          label={s.agency}
          name="agency_id"
          value={props.agency}
          onValue={props.onAgency}
          required
          placeholder={s.chooseAgency}
          options={props.agencies.map((a) => ({ value: String(a.id), label: a.name }))}
          error={fieldError(props.error, 'agency_id')}
        />
      )}
    </>
  );
}

function scopeBody(role: string, dong: string, agency: string) {
  return {
    dong_id: mayHaveDong(role) && dong ? Number(dong) : null,
    agency_id: role === 'agency_officer' && agency ? Number(agency) : null,
  };
}

function NewUserDialog(props: Choices & { open: boolean; onClose: () => void; onCreated: () => void }) {
  const s = S();
  const [created, setCreated] = useState<{ user: UserRow; password: string } | null>(null);
  const close = () => {
    // The temporary password is forgotten when the dialog closes.
    setCreated(null);
    props.onClose();
  };
  return (
    <Dialog open={props.open} title={created ? s.created : s.create} onClose={close}>
      {created ? (
        <div>
          <p role="status">{fill(s.createdFor, { name: created.user.display_name, login: created.user.login })}</p>
          <div class="admin-one-time">
            <p>
              <strong>{s.tempPassword}:</strong> <code class="secret" id="temp-password">{created.password}</code>
            </p>
            <p class="small">{s.tempOnce}</p>
          </div>
          <div class="actions">
            <button type="button" class="primary" onClick={close}>
              {s.done}
            </button>
          </div>
        </div>
      ) : (
        <NewUserForm
          {...props}
          onCancel={close}
          onCreated={(user, password) => {
            setCreated({ user, password });
            props.onCreated();
          }}
        />
      )}
    </Dialog>
  );
}

function NewUserForm(props: Choices & { onCancel: () => void; onCreated: (u: UserRow, password: string) => void }) {
  const s = S();
  const [form, setForm, clear] = useDraft('admin.new-user', { login: '', display_name: '', role: 'counselor', dong_id: '', agency_id: '', email: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setBusy(true);
        const password = temporaryPassword();
        try {
          const user = await api.post<UserRow>('/users', {
            login: form.login.trim(),
            display_name: form.display_name.trim(),
            role: form.role,
            ...scopeBody(form.role, form.dong_id, form.agency_id),
            ...(form.email?.trim() ? { email: form.email.trim() } : {}),
            initial_password: password,
          });
          clear();
          props.onCreated(user, password);
        } catch (err) {
          setError(explain(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <ErrorSummary error={error} />
      <TextField label={s.login} name="login" value={form.login} onValue={set('login')} required hint={s.loginHint} autoComplete="off" maxLength={64} error={fieldError(error, 'login')} />
      <TextField label={s.name} name="display_name" value={form.display_name} onValue={set('display_name')} required hint={s.nameHint} maxLength={100} error={fieldError(error, 'display_name')} />
      <TextField label={s.email} name="email" type="email" value={form.email ?? ''} onValue={set('email')} hint={s.emailHint} maxLength={254} autoComplete="off" error={fieldError(error, 'email')} />
      <ScopeFields
        {...props}
        role={form.role}
        dong={form.dong_id}
        agency={form.agency_id}
        onRole={set('role')}
        onDong={set('dong_id')}
        onAgency={set('agency_id')}
        error={error}
      />
      <FormButtons submit={s.createSubmit} busy={busy} cancel={s.cancel} onCancel={props.onCancel} />
    </form>
  );
}

function EditUserForm(props: Choices & { user: UserRow; onCancel: () => void; onSaved: (u: UserRow) => void }) {
  const s = S();
  const u = props.user;
  const [form, setForm, clear] = useDraft('admin.user.' + u.id, {
    display_name: u.display_name,
    role: u.role,
    dong_id: u.dong_id ? String(u.dong_id) : '',
    agency_id: u.agency_id ? String(u.agency_id) : '',
    active: u.active,
    email: u.email ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // The version the change is based on; a newer one after a conflict.
  const [base, setBase] = useState(u);
  const [stale, setStale] = useState(false);
  const set = (k: 'display_name' | 'role' | 'dong_id' | 'agency_id' | 'email') => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setBusy(true);
        try {
          const answer = await request<UserRow>(
            'PATCH',
            '/users/' + u.id,
            {
              display_name: form.display_name.trim(),
              role: form.role,
              ...scopeBody(form.role, form.dong_id, form.agency_id),
              active: form.active,
              email: (form.email ?? '').trim(),
            },
            { ifMatch: `"${base.version}"` },
          );
          clear();
          props.onSaved(answer.data ?? { ...u, display_name: form.display_name });
        } catch (err) {
          setError(explain(err));
          setStale(false);
          if (err instanceof ApiError && err.status === 412) {
            // Keep what was typed (the draft); take the newer version as the base.
            try {
              const fresh = (await api.get<{ items: UserRow[] }>('/users')).items.find((x) => x.id === u.id);
              if (fresh) {
                setBase(fresh);
                setStale(true);
              }
            } catch {
              // The error above is still shown.
            }
          }
        } finally {
          setBusy(false);
        }
      }}
    >
      <ErrorSummary error={error}>{stale && <p>{s.stale}</p>}</ErrorSummary>
      <p>
        {s.login}: <strong>{u.login}</strong>
      </p>
      <TextField label={s.name} name="display_name" value={form.display_name} onValue={set('display_name')} required maxLength={100} error={fieldError(error, 'display_name')} />
      <TextField label={s.email} name="email" type="email" value={form.email ?? ''} onValue={set('email')} hint={s.emailHint} maxLength={254} autoComplete="off" error={fieldError(error, 'email')} />
      <ScopeFields
        {...props}
        role={form.role}
        dong={form.dong_id}
        agency={form.agency_id}
        onRole={set('role')}
        onDong={set('dong_id')}
        onAgency={set('agency_id')}
        error={error}
      />
      <Checkbox label={s.activeLabel} hint={s.activeHint} name="active" checked={form.active} onChecked={(v) => setForm((f) => ({ ...f, active: v }))} />
      {fieldError(error, 'active') && <p class="error-text">{fieldError(error, 'active')}</p>}
      <FormButtons submit={s.save} busy={busy} cancel={s.cancel} onCancel={props.onCancel} />
    </form>
  );
}
