// The district's directory, shared by every screen: categories, dongs,
// agencies, holidays and the staff (names). Each list is fetched once for the
// signed-in user (one request however many screens ask), kept for the work
// session and forgotten at sign-out or when someone else signs in. The admin
// screens ask for a fresh copy (`fresh`), which then serves the others too.
import { computed, signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, query } from './api';
import { fill, strings, tr } from './i18n';
import { me, onSignOut } from './session';
import { useAsync } from './ui';

// --- Shapes (src/app/routes_directory.cpp, routes_auth.cpp) ---------------------------------

export interface Subcategory {
  code: string;
  label_ko: string;
  label_en: string;
}

export interface Category {
  code: string;
  label_ko: string;
  label_en: string;
  subcategories: Subcategory[];
}

export interface Dong {
  id: number;
  name: string;
  short_name: string;
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

export interface Holiday {
  date: string;
  name: string;
}

// GET /staff: a colleague as case workers may know them (no account details).
export interface StaffMember {
  id: number;
  display_name: string;
  role: string;
  dong_id: number | null;
  agency_id: number | null;
}

// What the case and work screens need to turn codes into words.
export interface Directory {
  categories: Category[];
  dongs: Dong[];
  agencies: Agency[];
  holidays: Set<string>;
}

// Any part of it: the look-ups below take whatever a screen has loaded.
export type DirectoryParts = Partial<Directory> | undefined;

// --- The cache ---------------------------------------------------------------------------

const cache = new Map<string, Promise<unknown>>();
let owner: number | null | undefined; // the user the cached lists were fetched for

// The staff list once loaded: names are looked up while rendering, and the
// screens that show them render again when it arrives.
const staffList = signal<StaffMember[] | null>(null);
const staffById = computed(() => new Map((staffList.value ?? []).map((u) => [u.id, u])));

export function clearDirectory() {
  cache.clear();
  owner = undefined;
  staffList.value = null;
}

onSignOut(clearDirectory);

function cached<T>(key: string, load: () => Promise<T>, fresh = false): Promise<T> {
  const user = me.peek()?.id ?? null;
  if (user !== owner) {
    clearDirectory();
    owner = user;
  }
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p || fresh) {
    const loading = load();
    p = loading;
    cache.set(key, loading);
    // A failure is not kept: the next screen that asks tries again.
    loading.catch(() => {
      if (cache.get(key) === loading) cache.delete(key);
    });
  }
  return p;
}

const items = <T>(path: string) => async () => (await api.get<{ items: T[] }>(path)).items;

export const loadCategories = (fresh = false) =>
  cached(
    'categories',
    async () => (await items<Category>('/categories')()).map((c) => ({ ...c, subcategories: c.subcategories ?? [] })),
    fresh,
  );
export const loadDongs = (fresh = false) => cached('dongs', items<Dong>('/dongs'), fresh);
export const loadAgencies = (fresh = false) => cached('agencies', items<Agency>('/agencies'), fresh);
export const loadHolidays = (fresh = false) => cached('holidays', items<Holiday>('/holidays'), fresh);

// Categories, dongs, agencies and the holidays together. Strict by default (a
// screen that cannot work without them shows the error); `lenient` leaves a
// part that fails empty, so codes stay visible instead of failing the screen.
// The holidays are always optional (only default due dates use them).
export async function loadDirectory(options: { lenient?: boolean } = {}): Promise<Directory> {
  const part = <T>(p: Promise<T[]>) => (options.lenient ? p.catch(() => [] as T[]) : p);
  const [categories, dongs, agencies, holidays] = await Promise.all([
    part(loadCategories()),
    part(loadDongs()),
    part(loadAgencies()),
    loadHolidays().catch(() => [] as Holiday[]),
  ]);
  return { categories, dongs, agencies, holidays: new Set(holidays.map((h) => h.date)) };
}

export function useDirectory(options: { lenient?: boolean } = {}) {
  return useAsync(() => loadDirectory(options), []);
}

// --- Look-ups ----------------------------------------------------------------------------

const name = (ko: string, en: string) => tr({ ko, en: en || ko });

// "복지" or, for a sub-category, "복지 · 긴급지원"; the code itself when unknown.
export function categoryLabel(dir: DirectoryParts, code: string | null | undefined, separator = ' · '): string {
  if (!code) return '';
  for (const c of dir?.categories ?? []) {
    if (c.code === code) return name(c.label_ko, c.label_en);
    for (const s of c.subcategories) {
      if (s.code === code) return name(c.label_ko, c.label_en) + separator + name(s.label_ko, s.label_en);
    }
  }
  return code;
}

// Every category and sub-category as select options, sub-categories indented.
export function categoryOptions(dir: DirectoryParts): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  for (const c of dir?.categories ?? []) {
    out.push({ value: c.code, label: name(c.label_ko, c.label_en) });
    for (const s of c.subcategories) out.push({ value: s.code, label: '　└ ' + name(s.label_ko, s.label_en) });
  }
  return out;
}

export function dongName(dir: DirectoryParts, id: number | null | undefined): string {
  if (!id) return '';
  return dir?.dongs?.find((d) => d.id === id)?.name ?? '#' + id;
}

export function agencyName(dir: DirectoryParts, id: number | null | undefined): string {
  if (!id) return '';
  return dir?.agencies?.find((a) => a.id === id)?.name ?? '#' + id;
}

// Agencies that handle any of the categories (a sub-category counts as its parent).
export function agenciesFor(dir: DirectoryParts, categories: string[]): Agency[] {
  const wanted = new Set(categories.filter(Boolean).map((c) => c.split('.')[0]));
  return (dir?.agencies ?? []).filter((a) => a.categories.some((c) => wanted.has(c)));
}

// --- Staff -------------------------------------------------------------------------------

// GET /staff answers these roles; agency officers and auditors (403) are not asked.
const STAFF_READERS = ['counselor', 'case_manager', 'supervisor', 'admin'];
const readsStaff = () => STAFF_READERS.includes(me.peek()?.role ?? '');

// The whole staff list in one request per session; empty where it may not be read.
export function loadStaff(): Promise<StaffMember[]> {
  if (!readsStaff()) return Promise.resolve([]);
  const user = me.peek()?.id;
  return cached('staff', async () => {
    const list = await items<StaffMember>('/staff')();
    if (me.peek()?.id === user) staffList.value = list;
    return list;
  });
}

// The staff of one role in one dong (e.g. the case managers a case can be
// escalated to), asked of the server once per session.
export function loadStaffOf(role: string, dongId: number | null): Promise<StaffMember[]> {
  if (!readsStaff()) return Promise.resolve([]);
  const path = '/staff' + query({ role, dong_id: dongId });
  return cached(path, items<StaffMember>(path));
}

// For a screen that shows staff names: asks for the list once; the screen
// renders again when it arrives. Until then, or where it cannot be read, a
// name is "직원 #N".
export function useStaff(): StaffMember[] {
  useEffect(() => {
    loadStaff().catch(() => undefined);
  }, []);
  return staffList.value ?? [];
}

const SS = () =>
  strings({
    staff: { ko: '직원 #{n}', en: 'Staff #{n}' },
    me: { ko: '나', en: 'me' },
  });

// "김서교"; "김서교 (나)" for the signed-in user; "직원 #12" when unknown.
export function staffName(id: number | null | undefined): string {
  if (!id) return '';
  const s = SS();
  const u = me.value;
  if (u && u.id === id) return `${u.display_name} (${s.me})`;
  return staffById.value.get(id)?.display_name ?? fill(s.staff, { n: id });
}
