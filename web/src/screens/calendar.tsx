// The follow-up calendar (일정): one week, Monday to Sunday, as a list per day
// (a heading and a list each; the days stack on narrow screens). Mine, my
// dong's, or — for a supervisor — any dong and counselor.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError, query } from '../api';
import { strings, label, vocab, locale, todayKst, addDays } from '../i18n';
import { me } from '../session';
import { Page, ErrorSummary, Loading, Badge, SelectField, RadioGroup, useAsync } from '../ui';
import { loadDongs, loadHolidays, staffName, useStaff, type Dong } from '../directory';
import {
  colleagueOptions,
  districtWide,
  mondayOf,
  isIsoDate,
  UrgencyBadge,
} from '../components/work_common';
import './work.css';

const S = () =>
  strings({
    title: { ko: '일정', en: 'Calendar' },
    lead: { ko: '사후관리(추가 상담, 안부 확인, 가정 방문 등) 일정을 주 단위로 봅니다.', en: 'Follow-ups (counseling, welfare checks, home visits …) week by week.' },
    show: { ko: '누구의 일정', en: 'Whose follow-ups' },
    mine: { ko: '내 일정', en: 'Mine' },
    dongAll: { ko: '우리 동 전체', en: 'My whole dong' },
    dong: { ko: '동', en: 'Dong' },
    wholeDistrict: { ko: '구 전체', en: 'Whole district' },
    counselor: { ko: '담당자', en: 'Counselor' },
    everyone: { ko: '모든 담당자', en: 'Everyone' },
    apply: { ko: '보기', en: 'Show' },
    prev: { ko: '이전 주', en: 'Previous week' },
    next: { ko: '다음 주', en: 'Next week' },
    thisWeek: { ko: '이번 주', en: 'This week' },
    weekNav: { ko: '주 이동', en: 'Change week' },
    today: { ko: '오늘', en: 'Today' },
    holiday: { ko: '공휴일', en: 'Holiday' },
    none: { ko: '일정 없음', en: 'Nothing scheduled' },
    total: { ko: '이번 주 사후관리', en: 'Follow-ups this week' },
    count: { ko: '건', en: '' },
    open: { ko: '예정', en: 'open' },
    done: { ko: '완료', en: 'done' },
    overdue: { ko: '기한 지남', en: 'overdue' },
    owner: { ko: '담당', en: 'Owner' },
    truncated: {
      ko: '일정이 너무 많아 일부만 보입니다. 동이나 담당자를 골라 범위를 좁혀 주세요.',
      en: 'Too many follow-ups; only some are shown. Choose a dong or a counselor.',
    },
    missing: {
      ko: '일정 조회 기능이 이 서버에 아직 준비되지 않았습니다. 서버가 업데이트되면 이 화면에 사후관리 일정이 보입니다. 그동안은 ‘오늘의 업무’와 ‘상담 목록’에서 기한을 확인해 주세요.',
      en: 'This server cannot list follow-ups yet. Once it is updated they will show here; meanwhile see Today and Cases.',
    },
  });

interface CalendarItem {
  id: number;
  case_id: number;
  case_number: string;
  dong_id: number;
  urgency: string;
  kind: string;
  due_at: string;
  due_date: string;
  status: string;
  result: string | null;
  done_at: string | null;
  overdue: boolean;
  owner_id: number;
  owner_display_name: string;
}

interface CalendarAnswer {
  from: string;
  to: string;
  items: CalendarItem[];
  truncated: boolean;
}

const dayFmt = () =>
  new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'ko-KR', {
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    timeZone: 'UTC',
  });
const longFmt = () =>
  new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'ko-KR', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    timeZone: 'UTC',
  });
const asUtc = (day: string) => new Date(day + 'T00:00:00Z');

export function Calendar() {
  const s = S();
  const loc = useLocation();
  const q = loc.query as Record<string, string>;
  const user = me.value!;
  const wide = districtWide();
  const supervisor = user.role === 'supervisor';
  const thisMonday = mondayOf(todayKst());
  const week = isIsoDate(q.week) ? mondayOf(q.week) : thisMonday;
  let view: 'me' | 'dong' | 'district';
  if (wide) view = 'district';
  else if (!user.dong_id) view = 'me';
  else if (q.view === 'dong' || q.view === 'me') view = q.view;
  else view = supervisor ? 'dong' : 'me';
  const dongId = wide ? (q.dong_id ?? '') : view === 'dong' ? String(user.dong_id) : '';
  const counselorId = view === 'me' ? String(user.id) : (q.counselor_id ?? '');
  const days = Array.from({ length: 7 }, (_, i) => addDays(week, i));
  const sunday = days[6];

  const data = useAsync(
    (signal) =>
      api.get<CalendarAnswer>(
        `/follow-ups${query({ from: week, to: sunday, dong_id: dongId, counselor_id: counselorId })}`,
        { signal },
      ),
    [week, dongId, counselorId],
  );
  const holidays = useAsync(() => loadHolidays().catch(() => []), []);
  const dongs = useAsync(() => (wide ? loadDongs() : Promise.resolve([] as Dong[])), [wide]);
  const staff = useStaff();

  // The choice of whose calendar, applied with the "보기" button.
  const [form, setForm] = useState<{ view: string; dong_id: string; counselor_id: string }>({ view, dong_id: dongId, counselor_id: view === 'me' ? '' : counselorId });
  useEffect(() => {
    setForm({ view, dong_id: dongId, counselor_id: view === 'me' ? '' : counselorId });
  }, [view, dongId, counselorId]);

  const urlFor = (w: string, f: { view: string; dong_id: string; counselor_id: string } = { view, dong_id: dongId, counselor_id: view === 'me' ? '' : counselorId }) =>
    '/calendar' +
    query({
      week: w === thisMonday ? undefined : w,
      view: wide ? undefined : f.view,
      dong_id: wide ? f.dong_id : undefined,
      counselor_id: f.view === 'me' && !wide ? undefined : f.counselor_id,
    });

  const missing = data.error instanceof ApiError && data.error.status === 404;
  const items = data.data?.items ?? [];
  const byDay = new Map<string, CalendarItem[]>();
  for (const it of items) {
    const list = byDay.get(it.due_date) ?? [];
    list.push(it);
    byDay.set(it.due_date, list);
  }
  const holidayOf = new Map((holidays.data ?? []).map((h) => [h.date, h.name]));
  const today = todayKst();
  const done = items.filter((i) => i.status === 'done').length;
  const late = items.filter((i) => i.overdue).length;

  const counselorOptions = colleagueOptions(staff, wide ? Number(form.dong_id) || null : user.dong_id, form.counselor_id);
  const showCounselor = wide || (supervisor && form.view === 'dong');

  return (
    <Page title={s.title} wide>
      <p class="muted">{s.lead}</p>
      <div class="calendar-bar">
        <form
          class="calendar-who"
          onSubmit={(e) => {
            e.preventDefault();
            loc.route(urlFor(week, form));
          }}
        >
          {!wide && user.dong_id && (
            <RadioGroup
              legend={s.show}
              name="view"
              value={form.view}
              onValue={(v) => setForm((f) => ({ ...f, view: v }))}
              options={[
                { value: 'me', label: s.mine },
                { value: 'dong', label: s.dongAll },
              ]}
            />
          )}
          {wide && (
            <SelectField
              label={s.dong}
              name="dong_id"
              value={form.dong_id}
              onValue={(v) => setForm((f) => ({ ...f, dong_id: v }))}
              placeholder={s.wholeDistrict}
              options={(dongs.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
            />
          )}
          {showCounselor && (
            <SelectField
              label={s.counselor}
              name="counselor_id"
              value={form.counselor_id}
              onValue={(v) => setForm((f) => ({ ...f, counselor_id: v }))}
              placeholder={s.everyone}
              options={counselorOptions}
            />
          )}
          {(wide || user.dong_id) && (
            <button type="submit" class="primary">
              {s.apply}
            </button>
          )}
        </form>
        <div class="week-nav" role="group" aria-label={s.weekNav}>
          <button type="button" onClick={() => loc.route(urlFor(addDays(week, -7)))}>
            <span aria-hidden="true">◀ </span>
            {s.prev}
          </button>
          <button type="button" onClick={() => loc.route(urlFor(thisMonday))} disabled={week === thisMonday}>
            {s.thisWeek}
          </button>
          <button type="button" onClick={() => loc.route(urlFor(addDays(week, 7)))}>
            {s.next}
            <span aria-hidden="true"> ▶</span>
          </button>
        </div>
      </div>
      <p class="week-range" aria-live="polite">
        <strong>
          {longFmt().format(asUtc(week))} ~ {longFmt().format(asUtc(sunday))}
        </strong>
        {data.data && (
          <span class="muted">
            {' '}
            · {s.total} {items.length}
            {s.count} ({s.open} {items.length - done - late}, {s.done} {done}, {s.overdue} {late})
          </span>
        )}
      </p>
      {missing ? (
        <div class="notice notice-warn">
          <p>{s.missing}</p>
        </div>
      ) : (
        <ErrorSummary error={data.error} />
      )}
      {data.data?.truncated && <div class="notice notice-warn">{s.truncated}</div>}
      {data.loading && !data.data && <Loading />}
      {!missing && (
        <div class="week">
          {days.map((day) => {
            const list = (byDay.get(day) ?? []).sort((a, b) => a.due_at.localeCompare(b.due_at));
            const holiday = holidayOf.get(day);
            const wd = asUtc(day).getUTCDay();
            const off = !!holiday || wd === 0 || wd === 6;
            const isToday = day === today;
            const hid = `day-${day}`;
            return (
              <section
                aria-labelledby={hid}
                class={'day' + (isToday ? ' day-today' : '') + (off ? ' day-off' : '')}
                aria-current={isToday ? 'date' : undefined}
              >
                <h2 id={hid}>
                  {dayFmt().format(asUtc(day))}
                  {isToday && (
                    <>
                      {' '}
                      <Badge kind="today">{s.today}</Badge>
                    </>
                  )}
                </h2>
                {holiday && (
                  <p class="holiday">
                    {s.holiday}: {holiday}
                  </p>
                )}
                {list.length === 0 ? (
                  <p class="empty small">{s.none}</p>
                ) : (
                  <ul class="cal-items">
                    {list.map((it) => (
                      <CalendarRow it={it} />
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </div>
      )}
    </Page>
  );
}

function CalendarRow(props: { it: CalendarItem }) {
  const s = S();
  const it = props.it;
  const state =
    it.status === 'done' ? (
      <Badge kind="ok">
        {s.done}
        {it.result ? ` · ${label(vocab.followUpResult, it.result)}` : ''}
      </Badge>
    ) : it.overdue ? (
      <Badge kind="overdue">{s.overdue}</Badge>
    ) : (
      <Badge kind="status">{s.open}</Badge>
    );
  return (
    <li class={'cal-item' + (it.overdue ? ' cal-overdue' : '') + (it.status === 'done' ? ' cal-done' : '')}>
      <span class="cal-kind">{label(vocab.followUpKind, it.kind)}</span>
      <a href={`/cases/${it.case_id}`}>{it.case_number}</a>
      <span class="cal-owner small">
        {s.owner}: {it.owner_display_name || staffName(it.owner_id)}
      </span>
      <span class="cal-state">
        {state} <UrgencyBadge urgency={it.urgency} quietNormal />
      </span>
    </li>
  );
}
