// Small pieces the admin sections share: the directory kept fresh, the user
// row, and the message for an endpoint the running server does not have yet.
import { endpointMissing } from '../api';
import { locale, strings } from '../i18n';
import { useAsync } from '../ui';
import { loadAgencies, loadCategories, loadDongs } from '../directory';

const S = () =>
  strings({
    missing: {
      ko: '지금 서버가 이 기능을 지원하지 않습니다. 서버를 새 버전으로 올린 뒤 다시 시도해 주세요. 입력한 내용은 그대로 남아 있습니다.',
      en: 'The server does not support this yet. Try again after the server is updated. What you typed is kept.',
    },
  });

export interface UserRow {
  id: number;
  login: string;
  display_name: string;
  role: string;
  dong_id: number | null;
  agency_id: number | null;
  must_change_password: boolean;
  locked: boolean;
  totp_enabled: boolean;
  active: boolean;
  email?: string;
  version: number;
}

// The error to show: a missing route becomes a plain explanation.
export function explain(e: unknown): unknown {
  if (!endpointMissing(e)) return e;
  return new Error(S().missing);
}

// The admin works on the directory: each screen asks for a fresh copy (which
// then serves the other screens too) and reloads it after a change.
export const useDongs = () => useAsync(() => loadDongs(true), []);
export const useAgencies = () => useAsync(() => loadAgencies(true), []);
export const useCategories = () => useAsync(() => loadCategories(true), []);

// 48 → "2일 (48시간)", 4 → "4시간".
export function responseTime(hours: number): string {
  const en = locale.value === 'en';
  if (hours % 24 === 0) {
    const days = hours / 24;
    return en ? `${days} day${days === 1 ? '' : 's'} (${hours} h)` : `${days}일 (${hours}시간)`;
  }
  return en ? `${hours} hours` : `${hours}시간`;
}
