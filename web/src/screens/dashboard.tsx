// 현황판 — the supervisors' dashboard: open cases by status and category,
// overdue next steps per counselor, intake per channel over the last 12 weeks.
// Counts only, no personal data. Every chart has a one-sentence summary (the
// canvas's label) and a table with the same numbers.
import { useState } from 'preact/hooks';
import { api, query, endpointMissing } from '../api';
import { strings, vocab, label, locale, formatDateTime } from '../i18n';
import { me } from '../session';
import { Page, ErrorSummary, Loading, Notice, SelectField, useAsync } from '../ui';
import { ChartFigure } from '../components/chart_figure';
import { categoryLabel, loadCategories, loadDongs, type Category } from '../directory';
import './dashboard.css';

const S = () =>
  strings({
    title: { ko: '현황판', en: 'Dashboard' },
    intro: {
      ko: '진행 중인 상담과 밀린 일을 한눈에 봅니다. 숫자만 모았으며 개인정보는 없습니다.',
      en: 'Open cases and overdue work at a glance. Counts only, no personal data.',
    },
    scope: { ko: '범위', en: 'Scope' },
    wholeDistrict: { ko: '구 전체', en: 'Whole district' },
    scopeHint: { ko: '동을 고르면 그 동의 숫자만 봅니다.', en: 'Choose a dong to see its numbers only.' },
    asOf: { ko: '기준 시각', en: 'Data as of' },
    refresh: { ko: '새로 고침', en: 'Refresh' },
    byStatus: { ko: '상태별 진행 중인 상담', en: 'Open cases by status' },
    byCategory: { ko: '분야별 진행 중인 상담', en: 'Open cases by category' },
    overdue: { ko: '담당자별 기한 지난 다음 단계', en: 'Overdue next steps per counselor' },
    intake: { ko: '접수 경로별 접수 (최근 12주)', en: 'Intake per channel (last 12 weeks)' },
    status: { ko: '상태', en: 'Status' },
    category: { ko: '상담 분야', en: 'Category' },
    counselor: { ko: '담당자', en: 'Counselor' },
    week: { ko: '주 (월요일 시작)', en: 'Week (from Monday)' },
    cases: { ko: '상담 건수', en: 'Cases' },
    steps: { ko: '기한 지난 건수', en: 'Overdue' },
    intakes: { ko: '접수 건수', en: 'New cases' },
    noOpen: { ko: '진행 중인 상담이 없습니다.', en: 'There are no open cases.' },
    noOverdue: { ko: '기한이 지난 다음 단계가 없습니다. 모든 일이 제때 진행되고 있습니다.', en: 'No next step is overdue. All work is on time.' },
    noIntake: { ko: '최근 12주 동안 접수된 상담이 없습니다.', en: 'No cases were received in the last 12 weeks.' },
    missing: {
      ko: '현황판 통계를 아직 서버에서 받을 수 없습니다. 서버를 새 버전으로 올리면 이 화면에 그래프가 나타납니다.',
      en: 'The server does not provide the dashboard numbers yet. The charts appear here once the server is updated.',
    },
  });

interface Stats {
  as_of?: string;
  dong_id?: number | null;
  weeks?: number;
  open_by_status?: { status: string; count: number }[];
  open_by_category?: { category: string; count: number }[];
  overdue_by_owner?: { user_id: number; display_name?: string; count: number }[];
  intake_by_channel?: unknown;
}

interface Intake {
  weeks: string[];
  channels: string[];
  counts: Record<string, number[]>;
}

// "12건" / "12 cases".
const n = (v: number) => (locale.value === 'en' ? `${v}` : `${v}건`);
const f = (ko: string, en: string) => (locale.value === 'en' ? en : ko);

// The intake series, whichever of the natural shapes the server answers with:
// [{week_start, counts: {channel: n}}], [{week_start, channel, count}], or
// {weeks: [...], series: [{channel, counts: [...]}]}.
export function normaliseIntake(raw: unknown): Intake {
  const out: Intake = { weeks: [], channels: [], counts: {} };
  const weekOf = (o: any): string => String(o?.week_start ?? o?.week ?? o?.from ?? o?.start ?? '');
  const add = (week: string, channel: string, count: number) => {
    let w = out.weeks.indexOf(week);
    if (w < 0) {
      out.weeks.push(week);
      w = out.weeks.length - 1;
      for (const c of out.channels) out.counts[c].push(0);
    }
    if (!out.counts[channel]) {
      out.channels.push(channel);
      out.counts[channel] = out.weeks.map(() => 0);
    }
    out.counts[channel][w] += Number(count) || 0;
  };
  if (Array.isArray(raw)) {
    for (const item of raw as any[]) {
      const week = weekOf(item);
      const per = item?.counts ?? item?.by_channel ?? item?.channels;
      if (Array.isArray(per)) {
        if (!out.weeks.includes(week)) add(week, per[0]?.channel ?? 'visit', 0);
        for (const c of per) add(week, String(c.channel), Number(c.count));
      } else if (per && typeof per === 'object') {
        if (!out.weeks.includes(week)) add(week, Object.keys(per)[0] ?? 'visit', 0);
        for (const [c, v] of Object.entries(per)) add(week, c, Number(v));
      } else if (item?.channel !== undefined) {
        add(week, String(item.channel), Number(item.count));
      }
    }
  } else if (raw && typeof raw === 'object') {
    const o = raw as any;
    const weeks: string[] = (o.weeks ?? []).map((w: any) => (typeof w === 'string' ? w : weekOf(w)));
    for (const w of weeks) if (!out.weeks.includes(w)) out.weeks.push(w);
    for (const s of o.series ?? o.channels ?? []) {
      const c = String(s.channel);
      out.channels.push(c);
      out.counts[c] = weeks.map((_, i) => Number(s.counts?.[i] ?? s.values?.[i] ?? 0));
    }
  }
  // Weeks oldest first; channels in the order of the vocabulary.
  const order = out.weeks.map((w, i) => ({ w, i })).sort((a, b) => a.w.localeCompare(b.w));
  out.weeks = order.map((x) => x.w);
  for (const c of out.channels) out.counts[c] = order.map((x) => out.counts[c][x.i]);
  const known = Object.keys(vocab.channel);
  out.channels.sort((a, b) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99));
  return out;
}

function weekLabel(iso: string): string {
  const d = new Date(iso.slice(0, 10) + 'T00:00:00+09:00');
  if (isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale.value === 'en' ? 'en-GB' : 'ko-KR', { month: 'short', day: 'numeric', timeZone: 'Asia/Seoul' }).format(d);
}

// "a 3건, b 2건 외 4개" — the first few items of a list in words.
function listed(items: { label: string; count: number }[], max = 6): string {
  const shown = items.slice(0, max).map((i) => `${i.label} ${n(i.count)}`);
  const rest = items.length - shown.length;
  const text = shown.join(', ');
  return rest > 0 ? text + f(` 외 ${rest}개`, ` and ${rest} more`) : text;
}

export function Dashboard() {
  const s = S();
  const user = me.value!;
  const districtWide = user.role === 'auditor' || (user.role === 'supervisor' && user.dong_id == null);
  const [dong, setDong] = useState('');
  const dongs = useAsync(() => loadDongs(), []);
  const categories = useAsync(() => loadCategories(), []);
  const stats = useAsync(
    (signal) => api.get<Stats>('/stats/dashboard' + query({ dong_id: districtWide ? dong : '', weeks: 12 }), { signal }),
    [dong],
  );
  const dongName = (id: number | null | undefined) => dongs.data?.find((d) => d.id === id)?.name ?? '';
  const scopeName = districtWide ? (dong ? dongName(Number(dong)) : s.wholeDistrict) : dongName(user.dong_id);

  const data = stats.data;
  return (
    <Page
      title={s.title}
      wide
      actions={
        <button type="button" onClick={() => stats.reload()}>
          {s.refresh}
        </button>
      }
    >
      <p class="muted">{s.intro}</p>
      <div class="dash-bar">
        {districtWide ? (
          <div class="dash-scope">
            <SelectField
              label={s.scope}
              hint={s.scopeHint}
              name="dong_id"
              value={dong}
              onValue={setDong}
              options={[{ value: '', label: s.wholeDistrict }, ...(dongs.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))]}
            />
          </div>
        ) : (
          <p>
            <strong>{s.scope}:</strong> {scopeName}
          </p>
        )}
        {data?.as_of && (
          <p class="dash-asof">
            <strong>{s.asOf}:</strong> <time dateTime={data.as_of}>{formatDateTime(data.as_of)}</time>
            {districtWide && <span class="muted"> · {scopeName}</span>}
          </p>
        )}
      </div>
      {stats.loading && <Loading />}
      {stats.error !== undefined && endpointMissing(stats.error) ? (
        <Notice kind="warn">{s.missing}</Notice>
      ) : (
        <ErrorSummary error={stats.error} />
      )}
      {data && !stats.error && <Charts data={data} categories={categories.data} />}
    </Page>
  );
}

const STATUS_ORDER = Object.keys(vocab.status);

function Charts(props: { data: Stats; categories?: Category[] }) {
  const s = S();
  const d = props.data;

  const statusRows = [...(d.open_by_status ?? [])]
    .sort((a, b) => (STATUS_ORDER.indexOf(a.status) + 1 || 99) - (STATUS_ORDER.indexOf(b.status) + 1 || 99))
    .map((r) => ({ label: label(vocab.status, r.status), count: r.count }));
  const statusTotal = statusRows.reduce((a, r) => a + r.count, 0);

  const categoryRows = [...(d.open_by_category ?? [])]
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((r) => ({ label: categoryLabel({ categories: props.categories }, r.category, ' › '), count: r.count }));

  const overdueRows = [...(d.overdue_by_owner ?? [])]
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || (a.display_name ?? '').localeCompare(b.display_name ?? ''))
    .map((r) => ({ label: r.display_name || `#${r.user_id}`, count: r.count }));
  const overdueTotal = overdueRows.reduce((a, r) => a + r.count, 0);

  const intake = normaliseIntake(d.intake_by_channel);
  const weekLabels = intake.weeks.map(weekLabel);
  const channelLabel = (c: string) => label(vocab.channel, c);
  const intakeTotal = intake.channels.reduce((a, c) => a + intake.counts[c].reduce((x, y) => x + y, 0), 0);
  const perChannel = intake.channels
    .map((c) => ({ label: channelLabel(c), count: intake.counts[c].reduce((x, y) => x + y, 0) }))
    .sort((a, b) => b.count - a.count);
  const weekTotals = intake.weeks.map((_, i) => intake.channels.reduce((a, c) => a + intake.counts[c][i], 0));
  const busiest = weekTotals.reduce((best, v, i) => (v > weekTotals[best] ? i : best), 0);

  const single = (rows: { label: string; count: number }[], title: string) => ({
    kind: 'bar' as const,
    labels: rows.map((r) => r.label),
    series: [{ label: title, values: rows.map((r) => r.count) }],
  });
  // Horizontal bars: about 2.2rem a row plus the axis.
  const rowsHeight = (count: number) => `${Math.max(10, count * 2.2 + 4)}rem`;

  return (
    <div class="dash-grid">
      <ChartFigure
        id="by-status"
        title={s.byStatus}
        empty={s.noOpen}
        summary={
          statusTotal === 0
            ? s.noOpen
            : f(`진행 중인 상담 모두 ${statusTotal}건. 상태별: ${listed(statusRows, 10)}.`, `${statusTotal} open cases. By status: ${listed(statusRows, 10)}.`)
        }
        spec={{ ...single(statusTotal === 0 ? [] : statusRows, s.cases), valueTitle: s.cases }}
        table={{ caption: s.byStatus, rowHeader: s.status, columns: [s.cases], rows: statusRows.map((r) => ({ label: r.label, values: [r.count] })), totals: 'row' }}
      />
      <ChartFigure
        id="overdue"
        title={s.overdue}
        empty={s.noOverdue}
        summary={f(
          `기한이 지난 다음 단계 모두 ${overdueTotal}건, 많은 순: ${listed(overdueRows)}.`,
          `${overdueTotal} overdue next steps, most first: ${listed(overdueRows)}.`,
        )}
        height={rowsHeight(overdueRows.length)}
        spec={{ ...single(overdueRows, s.steps), kind: 'hbar', valueTitle: s.steps }}
        table={{ caption: s.overdue, rowHeader: s.counselor, columns: [s.steps], rows: overdueRows.map((r) => ({ label: r.label, values: [r.count] })), totals: 'row' }}
      />
      <ChartFigure
        id="by-category"
        title={s.byCategory}
        empty={s.noOpen}
        summary={f(`분야별 진행 중인 상담, 많은 순: ${listed(categoryRows)}.`, `Open cases by category, most first: ${listed(categoryRows)}.`)}
        height={rowsHeight(categoryRows.length)}
        spec={{ ...single(categoryRows, s.cases), kind: 'hbar', valueTitle: s.cases }}
        table={{ caption: s.byCategory, rowHeader: s.category, columns: [s.cases], rows: categoryRows.map((r) => ({ label: r.label, values: [r.count] })), totals: 'row' }}
      />
      <ChartFigure
        id="intake"
        title={s.intake}
        empty={s.noIntake}
        summary={
          intakeTotal === 0
            ? s.noIntake
            : f(
                `최근 ${intake.weeks.length}주 동안 접수 ${intakeTotal}건. 경로별: ${listed(perChannel)}. 가장 많았던 주는 ${weekLabels[busiest]} 주 (${weekTotals[busiest]}건).`,
                `${intakeTotal} cases received in the last ${intake.weeks.length} weeks. By channel: ${listed(perChannel)}. Busiest week: ${weekLabels[busiest]} (${weekTotals[busiest]}).`,
              )
        }
        height="22rem"
        spec={{
          kind: 'stacked',
          labels: intakeTotal === 0 ? [] : weekLabels,
          series: intake.channels.map((c) => ({ label: channelLabel(c), values: intake.counts[c] })),
          valueTitle: s.intakes,
        }}
        table={{
          caption: s.intake,
          rowHeader: s.week,
          columns: intake.channels.map(channelLabel),
          rows: weekLabels.map((w, i) => ({ label: w, values: intake.channels.map((c) => intake.counts[c][i]) })),
          totals: 'both',
        }}
      />
    </div>
  );
}
