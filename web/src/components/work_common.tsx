// Shared pieces of the work screens (Today, Cases, Referral inbox, Calendar):
// the list shapes, the colleagues to filter by, KST date arithmetic, and the small badges
// every list shows the same way. The directory is in ../directory.ts.
import { strings, label, vocab, todayKst, addDays } from '../i18n';
import { me } from '../session';
import { agencyName, staffName, type DirectoryParts, type StaffMember } from '../directory';
import { Badge, type Option } from '../ui';

// A case as lists show it (GET /cases, /cases/search, /work/today).
export interface CaseSummary {
  id: number;
  number: string;
  dong_id: number;
  channel: string;
  primary_category: string;
  urgency: string;
  status: string;
  counselor_id: number;
  case_manager_id: number | null;
  opened_at: string;
  summary_excerpt?: string;
  next_due_at: string | null;
  overdue: boolean;
}

// One next step (GET /work/today, /work/overdue).
export interface WorkItem {
  kind: 'follow_up' | 'referral';
  id: number;
  case_id: number;
  case_number: string;
  dong_id: number;
  urgency: string;
  primary_category: string;
  step_kind: string;
  owner_id: number;
  due_at: string;
  overdue: boolean;
  agency_id: number | null;
}

const S = () =>
  strings({
    overdueDays: { ko: '일 지남', en: ' days overdue' },
    overdueToday: { ko: '오늘 기한 지남', en: 'overdue today' },
    dueToday: { ko: '오늘까지', en: 'due today' },
    dueIn: { ko: '일 남음', en: ' days left' },
    referralDue: { ko: '연계 기관 응답 기다림', en: 'Waiting for the agency' },
  });

// The whole district is in reach: a supervisor without a dong.
export function districtWide(): boolean {
  const u = me.value;
  return !!u && u.role === 'supervisor' && !u.dong_id;
}

// The colleagues whose cases or follow-ups a list can be narrowed to: me
// first, then the counselors and case managers of the dong in view (of the
// whole district when none), and the chosen one even if not among them.
export function colleagueOptions(staff: StaffMember[], dongId: number | null | undefined, selected: string): Option[] {
  const u = me.value!;
  const out: Option[] = [{ value: String(u.id), label: staffName(u.id) }];
  for (const m of staff) {
    if (m.id === u.id || (m.role !== 'counselor' && m.role !== 'case_manager')) continue;
    if (dongId && m.dong_id !== dongId) continue;
    out.push({ value: String(m.id), label: m.display_name });
  }
  if (selected && !out.some((o) => o.value === selected)) out.push({ value: selected, label: staffName(Number(selected)) });
  return out;
}

// --- Dates in Korea ---------------------------------------------------------------------

// The KST calendar day of an ISO timestamp, as YYYY-MM-DD.
export function kstDay(iso: string): string {
  return todayKst(new Date(iso));
}

export function daysBetween(fromIso: string, toIso: string): number {
  const a = Date.parse(fromIso + 'T00:00:00Z');
  const b = Date.parse(toIso + 'T00:00:00Z');
  return Math.round((b - a) / 86400000);
}

// Monday of the week holding `day` (YYYY-MM-DD).
export function mondayOf(day: string): string {
  const wd = new Date(day + 'T00:00:00Z').getUTCDay(); // 0 = Sunday
  return addDays(day, wd === 0 ? -6 : 1 - wd);
}

export function isIsoDate(s: string | undefined): s is string {
  return !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(Date.parse(s + 'T00:00:00Z'));
}

// How a due date stands today, in words: "3일 지남", "오늘까지", "2일 남음".
export function dueText(dueAt: string | null | undefined, overdue: boolean): string {
  if (!dueAt) return '';
  const s = S();
  const days = daysBetween(kstDay(dueAt), todayKst());
  if (overdue) {
    if (days <= 0) return s.overdueToday;
    return `${days}${s.overdueDays}`;
  }
  if (days >= 0) return s.dueToday;
  return `${-days}${s.dueIn}`;
}

// What a next step is, in words.
export function stepLabel(item: WorkItem, dir?: DirectoryParts): string {
  if (item.kind === 'referral' || item.step_kind === 'referral') {
    const name = agencyName(dir, item.agency_id);
    return name ? `${S().referralDue} (${name})` : S().referralDue;
  }
  return label(vocab.followUpKind, item.step_kind);
}

// --- Badges ------------------------------------------------------------------------------

export function UrgencyBadge(props: { urgency: string; quietNormal?: boolean }) {
  if (props.urgency === 'normal' && props.quietNormal) return null;
  return <Badge kind={props.urgency}>{label(vocab.urgency, props.urgency)}</Badge>;
}

export function OverdueBadge(props: { dueAt: string | null | undefined; overdue: boolean }) {
  if (!props.overdue || !props.dueAt) return null;
  return <Badge kind="overdue">{dueText(props.dueAt, true)}</Badge>;
}
