// The signed-in user, shared by every screen.
import { signal, computed } from '@preact/signals';
import { api, setCsrfToken, ApiError } from './api';
import { locale, type Locale } from './i18n';

export interface User {
  id: number;
  login: string;
  display_name: string;
  role: string;
  dong_id: number | null;
  agency_id: number | null;
  must_change_password: boolean;
  totp_enabled: boolean;
  active: boolean;
  locale?: Locale;
  large_text?: boolean;
  email?: string;
}

export interface MeAnswer {
  user: User;
  csrf_token: string;
  must_change_password?: boolean;
  second_factor_required?: boolean;
}

// undefined: not known yet (first load); null: signed out.
export const me = signal<User | null | undefined>(undefined);
export const secondFactorPending = signal(false);
export const sessionExpired = signal(false);
export const largeText = signal(localStorage.getItem('caredesk.large_text') === '1');

export const role = computed(() => me.value?.role ?? '');

export function applyPreferences(user: User | null) {
  const l = user?.locale ?? (localStorage.getItem('caredesk.locale') as Locale | null) ?? 'ko';
  locale.value = l === 'en' ? 'en' : 'ko';
  if (user && typeof user.large_text === 'boolean') largeText.value = user.large_text;
  document.documentElement.lang = locale.value;
  document.documentElement.classList.toggle('large-text', largeText.value);
}

export function adopt(answer: MeAnswer) {
  setCsrfToken(answer.csrf_token);
  secondFactorPending.value = !!answer.second_factor_required;
  sessionExpired.value = false;
  me.value = answer.user;
  applyPreferences(answer.user);
}

export async function loadMe() {
  try {
    const answer = await api.get<MeAnswer>('/auth/me', { quiet401: true });
    adopt(answer);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      me.value = null;
      applyPreferences(null);
      return;
    }
    throw e;
  }
}

// What else a sign-out forgets (the directory's cached lists, see directory.ts).
const signOutHooks: (() => void)[] = [];
export function onSignOut(hook: () => void) {
  signOutHooks.push(hook);
}

export async function signOut() {
  try {
    await api.post('/auth/logout');
  } catch {
    // Signed out anyway: the cookie is gone or the session expired.
  }
  clearDrafts();
  for (const hook of signOutHooks) hook();
  setCsrfToken('');
  me.value = null;
}

// Drafts of forms (see useDraft) live in this tab's sessionStorage only and
// are removed at sign-out: typed text survives an error or an expired
// session, but not the end of the work session.
export function clearDrafts() {
  for (const k of Object.keys(sessionStorage)) {
    if (k.startsWith('caredesk.draft.')) sessionStorage.removeItem(k);
  }
}

// Home screen per role.
export function homeFor(r: string): string {
  switch (r) {
    case 'agency_officer':
      return '/referrals';
    case 'admin':
      return '/admin';
    case 'auditor':
      return '/dashboard';
    default:
      return '/today';
  }
}
