// Korean first, English second, chosen per user. Each screen keeps its own
// strings beside its code ({ko, en} pairs); the shared vocabulary of the
// domain lives here so every screen names things the same way.
import { signal } from '@preact/signals';

export type Locale = 'ko' | 'en';
export type Pair = { ko: string; en: string };

export const locale = signal<Locale>('ko');

export function tr(p: Pair | undefined, fallback = ''): string {
  if (!p) return fallback;
  return locale.value === 'en' ? p.en : p.ko;
}

// Picks the strings of one screen: const s = strings({ title: {ko, en}, ... }); s.title
export function strings<K extends string>(table: Record<K, Pair>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of Object.keys(table) as K[]) out[k] = tr(table[k]);
  return out;
}

// "{name}을(를) 추가했습니다." with {name: '마포 푸드뱅크'}: the values in their places.
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ''));
}

const p = (ko: string, en: string): Pair => ({ ko, en });

export const vocab = {
  status: {
    received: p('접수', 'Received'),
    in_consultation: p('상담 중', 'In consultation'),
    referred: p('연계 중', 'Referred'),
    ongoing: p('사후관리 중', 'Ongoing'),
    case_management: p('사례관리', 'Case management'),
    resolved: p('해결', 'Resolved'),
    closed: p('종결', 'Closed'),
  } as Record<string, Pair>,
  channel: {
    visit: p('방문', 'Visit'),
    phone: p('전화', 'Phone'),
    online: p('온라인', 'Online'),
    third_party: p('제3자 신고', 'Third-party report'),
    outreach: p('찾아가는 발굴', 'Outreach'),
    automated_check_in: p('자동 안부 확인', 'Automated check-in'),
  } as Record<string, Pair>,
  urgency: {
    normal: p('보통', 'Normal'),
    urgent: p('긴급', 'Urgent'),
    crisis: p('위기', 'Crisis'),
  } as Record<string, Pair>,
  consultationKind: {
    visit: p('방문 상담', 'Visit'),
    call: p('전화 상담', 'Call'),
    message: p('문자·메시지', 'Message'),
    home_visit: p('가정 방문', 'Home visit'),
  } as Record<string, Pair>,
  followUpKind: {
    counseling: p('추가 상담', 'Further counseling'),
    welfare_check: p('안부 확인', 'Welfare-check call'),
    home_visit: p('가정 방문', 'Home visit'),
    resolution_check: p('해결 확인', 'Resolution check'),
    relink: p('재연계', 'Re-link'),
    assessment: p('사례관리 사정', 'Assessment'),
  } as Record<string, Pair>,
  followUpStatus: {
    open: p('예정', 'Open'),
    done: p('완료', 'Done'),
    cancelled: p('취소', 'Cancelled'),
  } as Record<string, Pair>,
  followUpResult: {
    reached: p('연락됨', 'Reached'),
    not_reached: p('연락 안 됨', 'Not reached'),
    resolved: p('해결됨', 'Resolved'),
    needs_escalation: p('사례관리 필요', 'Needs escalation'),
  } as Record<string, Pair>,
  referralStatus: {
    sent: p('요청', 'Sent'),
    accepted: p('수락', 'Accepted'),
    declined: p('거절', 'Declined'),
    completed: p('완료', 'Completed'),
    cancelled: p('취소', 'Cancelled'),
  } as Record<string, Pair>,
  declineReason: {
    not_our_service: p('담당 업무가 아님', 'Not our service'),
    not_eligible: p('지원 대상이 아님', 'Not eligible'),
    no_capacity: p('수용 여력 없음', 'No capacity'),
    resident_refused: p('본인 거부', 'Resident refused'),
    duplicate: p('중복 요청', 'Duplicate'),
    other: p('기타', 'Other'),
  } as Record<string, Pair>,
  // Why a counselor judged flagged crisis words not a crisis (the server's CrisisDismissal).
  crisisDismissal: {
    exaggeration: p('일상적인 과장 표현 (예: 더워 죽겠다)', 'Everyday exaggeration'),
    quoted: p('다른 사람의 말이나 드라마·뉴스 이야기', 'Someone else’s words, a story'),
    past_event: p('오래전 일로 지금은 위험하지 않음', 'Long past, no danger now'),
    checked_safe: p('직접 확인한 결과 안전함', 'Checked: the resident is safe'),
  } as Record<string, Pair>,
  // The blind-spot screening (복지 사각지대 발굴): what the contact found, why
  // no support was needed, and how a household came onto the outreach list.
  outreachOutcome: {
    contacted: p('연락됨', 'Contacted'),
    unreachable: p('연락 안 됨', 'Unreachable'),
    support_linked: p('지원 연계', 'Support linked'),
    no_need: p('지원 불필요', 'No support needed'),
  } as Record<string, Pair>,
  noNeedReason: {
    already_supported: p('이미 지원 받는 중', 'Already supported'),
    recovered: p('상황 회복', 'Situation recovered'),
    declined: p('본인 거절', 'Declined by the resident'),
    moved_away: p('이사', 'Moved away'),
    false_signal: p('잘못된 정보', 'Wrong information'),
    other: p('기타', 'Other'),
  } as Record<string, Pair>,
  flagState: {
    listed: p('새로 발굴', 'Newly found'),
    raised_again: p('재발굴', 'Raised again'),
    under_management: p('이미 관리 중', 'Under management'),
  } as Record<string, Pair>,
  riskDomain: {
    income: p('소득', 'Income'),
    debt: p('부채', 'Debt'),
    housing: p('주거', 'Housing'),
    utilities: p('공과금', 'Utilities'),
    health: p('건강', 'Health'),
    isolation: p('고립·돌봄', 'Isolation and care'),
  } as Record<string, Pair>,
  role: {
    counselor: p('상담 전담직원', 'Counselor'),
    case_manager: p('사례관리사', 'Case manager'),
    agency_officer: p('연계 기관 담당자', 'Agency officer'),
    supervisor: p('팀장·과장', 'Supervisor'),
    auditor: p('감사·의회', 'Auditor'),
    admin: p('시스템 관리자', 'Administrator'),
  } as Record<string, Pair>,
  housing: {
    unknown: p('모름', 'Unknown'),
    apartment: p('아파트', 'Apartment'),
    multi_family: p('다세대·연립', 'Multi-family'),
    detached: p('단독주택', 'Detached house'),
    semi_basement: p('반지하', 'Semi-basement'),
    rooftop: p('옥탑방', 'Rooftop room'),
    gosiwon: p('고시원', 'Gosiwon'),
    vinyl_house: p('비닐하우스', 'Vinyl house'),
    shelter: p('쉼터', 'Shelter'),
    other: p('기타', 'Other'),
  } as Record<string, Pair>,
};

// Label of a code in one of the vocabularies, or the code itself.
export function label(table: Record<string, Pair>, code: string | null | undefined): string {
  if (!code) return '';
  return tr(table[code], code);
}

const dateFmt = () =>
  new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'ko-KR', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    timeZone: 'Asia/Seoul',
  });
const dateTimeFmt = () =>
  new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'ko-KR', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Seoul',
  });

// "2026-12-01" or an ISO timestamp → "2026년 12월 1일 (화)".
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const d = value.length === 10 ? new Date(value + 'T00:00:00+09:00') : new Date(value);
  return isNaN(d.getTime()) ? value : dateFmt().format(d);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  return isNaN(d.getTime()) ? value : dateTimeFmt().format(d);
}

// Today in Korea as YYYY-MM-DD (the statutory calendar is Korean).
export function todayKst(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(now);
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(isoDate + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
