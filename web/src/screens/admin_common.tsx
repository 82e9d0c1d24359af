// Small pieces the admin sections share: directory look-ups and the message
// for an endpoint the running server does not have yet.
import { api, ApiError } from '../api';
import { locale, strings, tr } from '../i18n';
import { useAsync } from '../ui';

const S = () =>
  strings({
    missing: {
      ko: '지금 서버가 이 기능을 지원하지 않습니다. 서버를 새 버전으로 올린 뒤 다시 시도해 주세요. 입력한 내용은 그대로 남아 있습니다.',
      en: 'The server does not support this yet. Try again after the server is updated. What you typed is kept.',
    },
  });

export interface Dong {
  id: number;
  name: string;
  short_name?: string;
}

export interface Agency {
  id: number;
  name: string;
  kind: string;
  categories: string[];
  contact: string;
  response_hours: number;
  version: number;
}

export interface Category {
  code: string;
  label_ko: string;
  label_en: string;
  subcategories: { code: string; label_ko: string; label_en: string }[];
}

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
  version: number;
}

// True when the route itself is missing on this server (not a missing record).
export function endpointMissing(e: unknown): boolean {
  return e instanceof ApiError && ((e.status === 404 && e.message === 'No such resource.') || e.status === 405);
}

// The error to show: a missing route becomes a plain explanation.
export function explain(e: unknown): unknown {
  if (!endpointMissing(e)) return e;
  return new Error(S().missing);
}

export function useDongs() {
  return useAsync((signal) => api.get<{ items: Dong[] }>('/dongs', { signal }), []);
}

export function useAgencies() {
  return useAsync((signal) => api.get<{ items: Agency[] }>('/agencies', { signal }), []);
}

export function useCategories() {
  return useAsync((signal) => api.get<{ items: Category[] }>('/categories', { signal }), []);
}

export function categoryName(categories: Category[] | undefined, code: string): string {
  for (const c of categories ?? []) {
    if (c.code === code) return tr({ ko: c.label_ko, en: c.label_en || c.label_ko });
    for (const sub of c.subcategories) {
      if (sub.code === code) return tr({ ko: sub.label_ko, en: sub.label_en || sub.label_ko });
    }
  }
  return code;
}

// 48 → "2일 (48시간)", 4 → "4시간".
export function responseTime(hours: number): string {
  const en = locale.value === 'en';
  if (hours % 24 === 0) {
    const days = hours / 24;
    return en ? `${days} day${days === 1 ? '' : 's'} (${hours} h)` : `${days}일 (${hours}시간)`;
  }
  return en ? `${hours} hours` : `${hours}시간`;
}
