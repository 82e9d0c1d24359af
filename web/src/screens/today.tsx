// Today (오늘의 업무): crisis cases first, then my overdue and due-today next
// steps, then new cases of my dong; every row is one link to its case. A
// supervisor also sees the overdue next steps per counselor.
import type { ComponentChildren } from 'preact';
import { api } from '../api';
import { strings, label, vocab, formatDate, todayKst } from '../i18n';
import { me } from '../session';
import { Page, ErrorSummary, Loading, useAsync, Badge } from '../ui';
import { loadDirectory, categoryLabel, dongName, staffName, useStaff, type Directory } from '../directory';
import {
  dueText,
  stepLabel,
  districtWide,
  UrgencyBadge,
  OverdueBadge,
  type CaseSummary,
  type WorkItem,
} from '../components/work_common';
import './work.css';

const S = () =>
  strings({
    title: { ko: '오늘의 업무', en: 'Today' },
    intake: { ko: '새 상담 접수', en: 'New case' },
    crisis: { ko: '위기 상담', en: 'Crisis cases' },
    crisisHint: {
      ko: '생명·안전이 걸린 상담입니다. 다른 일보다 먼저 확인해 주세요.',
      en: 'Life or safety may be at stake. Look at these first.',
    },
    crisisNone: { ko: '진행 중인 위기 상담이 없습니다.', en: 'No open crisis cases.' },
    overdue: { ko: '기한이 지난 일', en: 'Overdue' },
    overdueNone: { ko: '기한이 지난 일이 없습니다.', en: 'Nothing is overdue.' },
    dueToday: { ko: '오늘 할 일', en: 'Due today' },
    dueTodayNone: { ko: '오늘이 기한인 일이 없습니다.', en: 'Nothing is due today.' },
    fresh: { ko: '우리 동 새 접수', en: 'New cases in my dong' },
    freshDistrict: { ko: '새 접수 (구 전체)', en: 'New cases (whole district)' },
    freshHint: { ko: '아직 첫 상담을 하지 않은 상담 건입니다.', en: 'Received, not yet consulted.' },
    freshNone: { ko: '새로 들어온 상담이 없습니다.', en: 'No new cases.' },
    count: { ko: '건', en: '' },
    calmDay: {
      ko: '오늘은 급한 일도, 기한이 된 일도 없습니다. 새 상담이 들어오면 여기에 보입니다. 수고 많으셨습니다.',
      en: 'Nothing urgent and nothing due today. New cases will show up here. Thank you for your work.',
    },
    nextDue: { ko: '다음 조치', en: 'Next step' },
    noNext: { ko: '다음 조치 없음', en: 'No next step' },
    received: { ko: '접수', en: 'Received' },
    due: { ko: '기한', en: 'Due' },
    perOwner: { ko: '담당자별 기한 지난 일', en: 'Overdue per counselor' },
    perOwnerDistrict: { ko: '담당자별 기한 지난 일 (구 전체)', en: 'Overdue per counselor (whole district)' },
    perOwnerHint: {
      ko: '담당자 이름을 누르면 그 담당자의 기한 지난 상담 목록이 열립니다.',
      en: 'Choose a name to see that counselor’s overdue cases.',
    },
    perOwnerNone: { ko: '기한이 지난 일이 없습니다.', en: 'Nothing is overdue.' },
    owner: { ko: '담당자', en: 'Counselor' },
    overdueCount: { ko: '기한 지난 일', en: 'Overdue items' },
    oldest: { ko: '가장 오래된 기한', en: 'Oldest due date' },
    perOwnerCaption: { ko: '담당자별 기한 지난 다음 조치 수', en: 'Overdue next steps per counselor' },
  });

interface TodayAnswer {
  due_today: WorkItem[];
  overdue: WorkItem[];
  new_in_dong: CaseSummary[];
  crisis: CaseSummary[];
}

interface OverdueAnswer {
  items: WorkItem[];
  per_owner: { owner_id: number; overdue: number }[];
}

export function Today() {
  const s = S();
  const user = me.value!;
  const supervisor = user.role === 'supervisor';
  const data = useAsync(
    async (signal) => {
      const [today, dir] = await Promise.all([api.get<TodayAnswer>('/work/today', { signal }), loadDirectory({ lenient: true })]);
      return { today, dir };
    },
    [],
  );
  const canIntake = user.role === 'counselor' || user.role === 'case_manager';
  return (
    <Page
      title={s.title}
      actions={
        canIntake ? (
          <a class="button-link primary" href="/intake">
            {s.intake}
          </a>
        ) : undefined
      }
    >
      <p class="muted">{formatDate(todayKst())}</p>
      <ErrorSummary error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && <TodayLists today={data.data.today} dir={data.data.dir} />}
      {supervisor && <OverduePerOwner />}
    </Page>
  );
}

function TodayLists(props: { today: TodayAnswer; dir: Directory }) {
  const s = S();
  const { today, dir } = props;
  const nothing =
    today.crisis.length + today.overdue.length + today.due_today.length + today.new_in_dong.length === 0;
  return (
    <>
      {nothing && (
        <div class="notice notice-ok calm-day">
          <p>{s.calmDay}</p>
        </div>
      )}
      <Section id="today-crisis" title={s.crisis} count={today.crisis.length} hint={s.crisisHint} tone="crisis">
        {today.crisis.length === 0 ? (
          <p class="empty">{s.crisisNone}</p>
        ) : (
          <ul class="work-rows">
            {today.crisis.map((c) => (
              <CaseRow c={c} dir={dir} />
            ))}
          </ul>
        )}
      </Section>
      <Section id="today-overdue" title={s.overdue} count={today.overdue.length}>
        {today.overdue.length === 0 ? (
          <p class="empty">{s.overdueNone}</p>
        ) : (
          <ul class="work-rows">
            {[...today.overdue]
              .sort((a, b) => a.due_at.localeCompare(b.due_at))
              .map((w) => (
                <StepRow w={w} dir={dir} />
              ))}
          </ul>
        )}
      </Section>
      <Section id="today-due" title={s.dueToday} count={today.due_today.length}>
        {today.due_today.length === 0 ? (
          <p class="empty">{s.dueTodayNone}</p>
        ) : (
          <ul class="work-rows">
            {today.due_today.map((w) => (
              <StepRow w={w} dir={dir} />
            ))}
          </ul>
        )}
      </Section>
      <Section
        id="today-new"
        title={districtWide() ? s.freshDistrict : s.fresh}
        count={today.new_in_dong.length}
        hint={s.freshHint}
      >
        {today.new_in_dong.length === 0 ? (
          <p class="empty">{s.freshNone}</p>
        ) : (
          <ul class="work-rows">
            {today.new_in_dong.map((c) => (
              <CaseRow c={c} dir={dir} fresh />
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

function Section(props: {
  id: string;
  title: string;
  count: number;
  hint?: string;
  tone?: 'crisis';
  children: ComponentChildren;
}) {
  const s = S();
  const hot = props.tone === 'crisis' && props.count > 0;
  return (
    <section aria-labelledby={props.id} class={'card work-section' + (hot ? ' work-section-crisis' : '')}>
      <h2 id={props.id}>
        {props.title}{' '}
        <span class={'count' + (hot ? ' count-crisis' : '')}>
          {props.count}
          {s.count}
        </span>
      </h2>
      {props.hint && props.count > 0 && <p class="hint">{props.hint}</p>}
      {props.children}
    </section>
  );
}

// A case (crisis or newly received) as one link.
function CaseRow(props: { c: CaseSummary; dir: Directory; fresh?: boolean }) {
  const s = S();
  const { c, dir } = props;
  return (
    <li>
      <a class="work-row" href={`/cases/${c.id}`}>
        <span class="work-num">{c.number}</span>
        <span class="work-badges">
          <UrgencyBadge urgency={c.urgency} quietNormal />
          <Badge kind="status">{label(vocab.status, c.status)}</Badge>
        </span>
        <span class="work-what">
          {categoryLabel(dir, c.primary_category)}
          {c.dong_id ? ` · ${dongName(dir, c.dong_id)}` : ''}
          {props.fresh && ` · ${label(vocab.channel, c.channel)}`}
        </span>
        <span class="work-when">
          {props.fresh ? (
            <>
              {s.received} {formatDate(c.opened_at)}
            </>
          ) : c.next_due_at ? (
            <>
              {s.nextDue}: {formatDate(c.next_due_at)}{' '}
              {c.overdue ? <OverdueBadge dueAt={c.next_due_at} overdue /> : `· ${dueText(c.next_due_at, false)}`}
            </>
          ) : (
            s.noNext
          )}
        </span>
        {c.summary_excerpt && <span class="work-excerpt">{c.summary_excerpt}</span>}
      </a>
    </li>
  );
}

// One of my next steps (follow-up or referral awaiting the agency) as one link.
function StepRow(props: { w: WorkItem; dir: Directory }) {
  const s = S();
  const { w, dir } = props;
  return (
    <li>
      <a class="work-row" href={`/cases/${w.case_id}`}>
        <span class="work-num">{w.case_number}</span>
        <span class="work-badges">
          <UrgencyBadge urgency={w.urgency} quietNormal />
          {w.overdue && <OverdueBadge dueAt={w.due_at} overdue />}
        </span>
        <span class="work-what">
          <strong>{stepLabel(w, dir)}</strong> · {categoryLabel(dir, w.primary_category)}
        </span>
        <span class="work-when">
          {s.due} {formatDate(w.due_at)}
          {!w.overdue && ` · ${dueText(w.due_at, false)}`}
        </span>
      </a>
    </li>
  );
}

function OverduePerOwner() {
  const s = S();
  const wide = districtWide();
  const data = useAsync((signal) => api.get<OverdueAnswer>('/work/overdue', { signal }), []);
  useStaff();
  const rows = (data.data?.per_owner ?? [])
    .map((o) => ({
      ...o,
      oldest: (data.data?.items ?? [])
        .filter((i) => i.owner_id === o.owner_id)
        .reduce<string>((m, i) => (!m || i.due_at < m ? i.due_at : m), ''),
    }))
    .sort((a, b) => b.overdue - a.overdue);
  const total = rows.reduce((n, r) => n + r.overdue, 0);
  return (
    <section aria-labelledby="today-per-owner" class="card work-section">
      <h2 id="today-per-owner">
        {wide ? s.perOwnerDistrict : s.perOwner}{' '}
        <span class="count">
          {total}
          {s.count}
        </span>
      </h2>
      <ErrorSummary error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && rows.length === 0 && <p class="empty">{s.perOwnerNone}</p>}
      {rows.length > 0 && (
        <>
          <p class="hint">{s.perOwnerHint}</p>
          <div class="table-wrap">
            <table class="work-table">
              <caption class="visually-hidden">{s.perOwnerCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.owner}</th>
                  <th scope="col">{s.overdueCount}</th>
                  <th scope="col">{s.oldest}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`/cases?counselor_id=${r.owner_id}&overdue=true`}>{staffName(r.owner_id)}</a>
                    </th>
                    <td>
                      {r.overdue}
                      {s.count}
                    </td>
                    <td>
                      {r.oldest && (
                        <>
                          {formatDate(r.oldest)} <OverdueBadge dueAt={r.oldest} overdue />
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
