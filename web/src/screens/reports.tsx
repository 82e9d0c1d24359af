// 실적 보고 — performance reports: a kind, a period and (for district-wide
// readers) a dong; every table of the report with its total and a bar chart of
// its counts. Counts under the reporting threshold come back suppressed and
// show as "*". The same report downloads as CSV or XLSX. Below: the published
// editions (fixed copies with their SHA-256) and, for supervisors, the saved
// report definitions that produce them.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api';
import { strings, tr, fill, locale, formatDate, formatDateTime, todayKst } from '../i18n';
import { me } from '../session';
import { Page, ErrorSummary, Loading, Notice, SelectField, TextField, Checkbox, useAsync, fieldError } from '../ui';
import { loadDongs } from '../directory';
import { explain } from './admin_common';
import './work.css';
import './reports.css';

const S = () =>
  strings({
    title: { ko: '실적 보고', en: 'Reports' },
    intro: {
      ko: '기간과 범위를 골라 실적 보고서를 봅니다. 숫자만 모았으며 개인정보는 없습니다. 같은 보고서를 CSV나 엑셀 파일로 받을 수 있습니다.',
      en: 'Choose a period and a scope to see a performance report. Counts only, no personal data. The same report downloads as CSV or Excel.',
    },
    formH: { ko: '보고서 고르기', en: 'Choose a report' },
    kind: { ko: '보고서 종류', en: 'Report' },
    from: { ko: '기간 (부터)', en: 'From' },
    to: { ko: '기간 (까지)', en: 'Until' },
    quick: { ko: '기간 빠르게 고르기', en: 'Quick periods' },
    lastMonth: { ko: '지난달', en: 'Last month' },
    thisMonth: { ko: '이번 달', en: 'This month' },
    thisYear: { ko: '올해', en: 'This year' },
    dong: { ko: '범위', en: 'Scope' },
    wholeDistrict: { ko: '구 전체', en: 'Whole district' },
    dongHint: { ko: '동을 고르면 그 동의 실적만 봅니다.', en: 'Choose a dong to see its numbers only.' },
    show: { ko: '보고서 보기', en: 'Show report' },
    period: { ko: '기간', en: 'Period' },
    scope: { ko: '범위', en: 'Scope' },
    asOf: { ko: '자료 기준 시각', en: 'Data as of' },
    suppressed: {
      ko: '개인이 드러나지 않도록 {n}건 미만은 *로 표시합니다. 이 보고서에서 *로 표시한 칸: {cells}개.',
      en: 'Counts under {n} are shown as * so that no one can be recognised. Cells shown as * in this report: {cells}.',
    },
    suppressedCell: { ko: '{n}건 미만', en: 'under {n}' },
    noValue: { ko: '값 없음', en: 'no value' },
    download: { ko: '파일로 받기', en: 'Download' },
    csv: { ko: 'CSV 파일', en: 'CSV file' },
    xlsx: { ko: '엑셀 파일 (XLSX)', en: 'Excel file (XLSX)' },
    chart: { ko: '{title} 그래프', en: '{title} chart' },
    chartNote: {
      ko: '{column} 기준입니다. *로 표시한 항목은 그래프에서 뺐습니다.',
      en: 'By {column}. Items shown as * are left out of the chart.',
    },
    editionsH: { ko: '발행본', en: 'Editions' },
    editionsIntro: {
      ko: '발행본은 발행한 때의 숫자를 그대로 보관한 보고서입니다. SHA-256 값으로 내용이 바뀌지 않았음을 확인할 수 있습니다.',
      en: 'An edition keeps the numbers as they were when it was produced. Its SHA-256 shows that the content has not changed.',
    },
    name: { ko: '이름', en: 'Name' },
    produced: { ko: '발행한 때', en: 'Produced' },
    sha: { ko: 'SHA-256 (앞 12자리)', en: 'SHA-256 (first 12)' },
    open: { ko: '열기', en: 'Open' },
    noEditions: { ko: '발행본이 없습니다.', en: 'There are no editions.' },
    editionH: { ko: '발행본 #{id} · {name}', en: 'Edition #{id} · {name}' },
    editionSha: { ko: '내용 SHA-256', en: 'Content SHA-256' },
    closeEdition: { ko: '발행본 닫기', en: 'Close the edition' },
    definitionsH: { ko: '저장한 보고서', en: 'Saved reports' },
    definitionsIntro: {
      ko: '자주 내는 보고서를 저장해 두고, 위에서 고른 기간으로 발행합니다. 매월 발행으로 저장하면 달마다 지난달 발행본이 만들어집니다.',
      en: 'Save the reports you produce often and publish them for the period chosen above. Monthly ones get an edition for the previous month every month.',
    },
    schedule: { ko: '발행 주기', en: 'Schedule' },
    monthly: { ko: '매월', en: 'Monthly' },
    manual: { ko: '필요할 때', en: 'When needed' },
    created: { ko: '만든 때', en: 'Created' },
    produce: { ko: '발행', en: 'Publish' },
    produceFor: { ko: '{name}: {from} ~ {to} 발행', en: 'Publish {name} for {from} – {to}' },
    remove: { ko: '삭제', en: 'Delete' },
    removeFor: { ko: '{name} 삭제', en: 'Delete {name}' },
    noDefinitions: { ko: '저장한 보고서가 없습니다.', en: 'No saved reports.' },
    newH: { ko: '보고서 저장', en: 'Save a report' },
    monthlyBox: { ko: '매월 자동 발행 (지난달 실적)', en: 'Publish monthly (the previous month)' },
    save: { ko: '저장', en: 'Save' },
    saved: { ko: '‘{name}’을(를) 저장했습니다.', en: 'Saved “{name}”.' },
    removed: { ko: '‘{name}’을(를) 삭제했습니다. 이미 발행한 발행본은 남아 있습니다.', en: 'Deleted “{name}”. Its editions are kept.' },
    producedNotice: { ko: '‘{name}’ {from} ~ {to} 발행본을 만들었습니다.', en: 'Published “{name}” for {from} – {to}.' },
  });

// --- Shapes (src/app/routes_reports.cpp) -------------------------------------------------

export interface ReportKind {
  code: string;
  label_ko: string;
  label_en: string;
}

export type ColumnKind = 'label' | 'count' | 'percent' | 'days' | 'hours' | 'change' | 'number';

export interface ReportColumn {
  code: string;
  label_ko: string;
  label_en: string;
  kind: ColumnKind;
}

export type ReportCell = { text: string; text_en?: string; code?: string } | { value: number | null; suppressed?: boolean };

export interface ReportTable {
  code: string;
  title_ko: string;
  title_en: string;
  note_ko: string;
  has_total: boolean;
  columns: ReportColumn[];
  rows: ReportCell[][];
}

export interface ReportScope {
  dong_id: number | null;
  counselor_id: number | null;
  category: string | null;
  channel: string | null;
}

export interface Report {
  kind: string;
  title_ko: string;
  title_en: string;
  period: { from: string; to: string };
  scope: ReportScope;
  scope_text: string;
  data_as_of: string;
  min_reportable_count: number;
  suppressed_cells: number;
  tables: ReportTable[];
  edition?: Edition;
}

export interface Definition {
  id: number;
  name: string;
  owner_id: number;
  kind: string;
  scope: ReportScope;
  schedule: 'none' | 'monthly';
  created_at: string;
  version: number;
}

export interface Edition {
  id: number;
  definition_id: number | null;
  definition_name: string;
  kind: string;
  period: { from: string; to: string };
  scope: ReportScope;
  data_as_of: string;
  produced_at: string;
  produced_by: number | null;
  content_sha256: string;
}

// --- Periods (Korean calendar) -------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m: 1..12

export function periodOf(which: 'last_month' | 'this_month' | 'this_year', today = todayKst()) {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  if (which === 'this_month') return { from: `${y}-${pad(m)}-01`, to: today };
  if (which === 'this_year') return { from: `${y}-01-01`, to: today };
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  return { from: `${py}-${pad(pm)}-01`, to: `${py}-${pad(pm)}-${pad(lastDay(py, pm))}` };
}

// --- Cells ---------------------------------------------------------------------------------

const isLabel = (c: ReportCell): c is { text: string; text_en?: string; code?: string } => 'text' in c;
const cellText = (c: ReportCell) => (isLabel(c) ? tr({ ko: c.text, en: c.text_en || c.text }) : '');
const colLabel = (c: ReportColumn) => tr({ ko: c.label_ko, en: c.label_en || c.label_ko });

function numberFmt(digits: number) {
  return new Intl.NumberFormat(locale.value === 'en' ? 'en-GB' : 'ko-KR', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

// 1234 → "1,234"; percentages with one decimal; a change with its sign.
export function formatValue(kind: ColumnKind, v: number): string {
  switch (kind) {
    case 'percent':
      return numberFmt(1).format(v);
    case 'change':
      return (v > 0 ? '+' : '') + numberFmt(1).format(v);
    case 'days':
    case 'hours':
    case 'number':
      return numberFmt(Number.isInteger(v) ? 0 : 1).format(v);
    default:
      return numberFmt(0).format(v);
  }
}

function Cell(props: { cell: ReportCell; column: ReportColumn; min: number }) {
  const s = S();
  const c = props.cell;
  if (isLabel(c)) return <td>{cellText(c)}</td>;
  if (c.suppressed) {
    return (
      <td class="num" data-suppressed="true">
        <span aria-hidden="true">*</span>
        <span class="visually-hidden">{fill(s.suppressedCell, { n: props.min })}</span>
      </td>
    );
  }
  if (c.value === null || c.value === undefined) {
    return (
      <td class="num">
        <span aria-hidden="true">–</span>
        <span class="visually-hidden">{s.noValue}</span>
      </td>
    );
  }
  return <td class="num">{formatValue(props.column.kind, c.value)}</td>;
}

// --- The report -----------------------------------------------------------------------------

function Bars(props: { table: ReportTable; body: ReportCell[][]; id: string }) {
  const s = S();
  const t = props.table;
  const col = t.columns.findIndex((c) => c.kind === 'count');
  if (col < 0 || props.body.length < 2) return null;
  const items = props.body
    .map((r) => ({ label: cellText(r[0]), cell: r[col] }))
    .filter((i) => !isLabel(i.cell) && !i.cell.suppressed && typeof i.cell.value === 'number')
    .map((i) => ({ label: i.label, value: (i.cell as { value: number }).value }));
  if (items.length === 0) return null;
  const top = Math.max(1, ...items.map((i) => i.value));
  const title = tr({ ko: t.title_ko, en: t.title_en || t.title_ko });
  return (
    <figure class="report-bars" aria-labelledby={props.id + '-bars'}>
      <figcaption id={props.id + '-bars'}>
        {fill(s.chart, { title })} <span class="muted small">{fill(s.chartNote, { column: colLabel(t.columns[col]) })}</span>
      </figcaption>
      <ul>
        {items.map((i) => (
          <li>
            <span class="bar-label">{i.label}</span>
            <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
              <rect x="0" y="0" height="10" width={(i.value / top) * 100} />
            </svg>
            <span class="bar-value">{formatValue('count', i.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

function ReportTableView(props: { table: ReportTable; min: number; id: string }) {
  const t = props.table;
  const title = tr({ ko: t.title_ko, en: t.title_en || t.title_ko });
  const body = t.has_total ? t.rows.slice(0, -1) : t.rows;
  const total = t.has_total ? t.rows[t.rows.length - 1] : null;
  const row = (r: ReportCell[]) =>
    r.map((c, i) =>
      i === 0 && isLabel(c) ? <th scope="row">{cellText(c)}</th> : <Cell cell={c} column={t.columns[i]} min={props.min} />,
    );
  return (
    <section class="report-table" aria-labelledby={props.id + '-h'}>
      <h3 id={props.id + '-h'}>{title}</h3>
      {t.note_ko && locale.value !== 'en' && <p class="muted small">{t.note_ko}</p>}
      <div class="report-body">
        <div class="table-wrap">
          <table id={props.id} data-table={t.code}>
            {/* The heading above says the same: the caption names the table for screen readers. */}
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {t.columns.map((c) => (
                  <th scope="col" class={c.kind === 'label' ? undefined : 'num'}>
                    {colLabel(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {body.map((r) => (
                <tr>{row(r)}</tr>
              ))}
            </tbody>
            {total && (
              <tfoot>
                <tr class="total-row">{row(total)}</tr>
              </tfoot>
            )}
          </table>
        </div>
        <Bars table={t} body={body} id={props.id} />
      </div>
    </section>
  );
}

// The heading lines, the suppression note, the download links and every table.
export function ReportView(props: { report: Report; downloads: { csv: string; xlsx: string }; idPrefix: string }) {
  const s = S();
  const r = props.report;
  return (
    <div class="report">
      <dl class="report-facts">
        <div>
          <dt>{s.period}</dt>
          <dd>
            <time dateTime={r.period.from}>{formatDate(r.period.from)}</time> ~ <time dateTime={r.period.to}>{formatDate(r.period.to)}</time>
          </dd>
        </div>
        <div>
          <dt>{s.scope}</dt>
          <dd>{r.scope_text}</dd>
        </div>
        <div>
          <dt>{s.asOf}</dt>
          <dd>
            <time dateTime={r.data_as_of}>{formatDateTime(r.data_as_of)}</time>
          </dd>
        </div>
      </dl>
      <p class="report-suppression">
        {fill(s.suppressed, { n: r.min_reportable_count, cells: r.suppressed_cells })}
      </p>
      <p class="report-downloads">
        <strong>{s.download}:</strong>{' '}
        <a class="button-link" href={props.downloads.csv} download>
          {s.csv}
        </a>{' '}
        <a class="button-link" href={props.downloads.xlsx} download>
          {s.xlsx}
        </a>
      </p>
      {r.tables.map((t, i) => (
        <ReportTableView table={t} min={r.min_reportable_count} id={`${props.idPrefix}-${i}`} />
      ))}
    </div>
  );
}

// --- The screen -----------------------------------------------------------------------------

interface Params {
  kind: string;
  from: string;
  to: string;
  dong_id: string;
}

const runPath = (p: Params, format?: string) =>
  '/reports/run' + query({ kind: p.kind, from: p.from, to: p.to, dong_id: p.dong_id, format });

export function Reports() {
  const s = S();
  const user = me.value!;
  const districtWide = user.role === 'auditor' || (user.role === 'supervisor' && user.dong_id == null);
  const supervisor = user.role === 'supervisor';
  const kinds = useAsync(() => api.get<{ items: ReportKind[]; min_reportable_count: number }>('/reports/kinds'), []);
  const dongs = useAsync(() => (districtWide ? loadDongs() : Promise.resolve([])), []);
  const [form, setForm] = useState<Params>(() => ({ kind: 'summary', ...periodOf('last_month'), dong_id: '' }));
  const [applied, setApplied] = useState<Params>(form);
  const report = useAsync((signal) => api.get<Report>(runPath(applied), { signal }), [applied]);
  const set = (k: keyof Params) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const kindLabel = (code: string) => {
    const k = kinds.data?.items.find((i) => i.code === code);
    return k ? tr({ ko: k.label_ko, en: k.label_en }) : code;
  };
  const [editionId, setEditionId] = useState<number | null>(null);
  const editions = useAsync(() => api.get<{ items: Edition[] }>('/reports/editions'), []);

  return (
    <Page title={s.title} wide>
      <p class="muted">{s.intro}</p>
      <section class="card" aria-labelledby="report-form-h">
        <h2 id="report-form-h">{s.formH}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setApplied({ ...form });
          }}
        >
          <div class="row">
            <SelectField
              label={s.kind}
              name="kind"
              value={form.kind}
              onValue={set('kind')}
              options={(kinds.data?.items ?? [{ code: form.kind, label_ko: form.kind, label_en: form.kind }]).map((k) => ({
                value: k.code,
                label: tr({ ko: k.label_ko, en: k.label_en }),
              }))}
            />
            <TextField label={s.from} name="from" type="date" required value={form.from} onValue={set('from')} error={fieldError(report.error, 'from')} />
            <TextField label={s.to} name="to" type="date" required value={form.to} onValue={set('to')} error={fieldError(report.error, 'to')} />
            {districtWide && (
              <SelectField
                label={s.dong}
                hint={s.dongHint}
                name="dong_id"
                value={form.dong_id}
                onValue={set('dong_id')}
                options={[{ value: '', label: s.wholeDistrict }, ...(dongs.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))]}
              />
            )}
          </div>
          <div class="report-quick" role="group" aria-label={s.quick}>
            {(
              [
                ['last_month', s.lastMonth],
                ['this_month', s.thisMonth],
                ['this_year', s.thisYear],
              ] as const
            ).map(([which, text]) => {
              const p = periodOf(which);
              const chosen = form.from === p.from && form.to === p.to;
              return (
                <button type="button" aria-pressed={chosen} onClick={() => setForm((f) => ({ ...f, ...p }))}>
                  {text}
                </button>
              );
            })}
          </div>
          <ErrorSummary error={kinds.error ? explain(kinds.error) : undefined} />
          <div class="actions">
            <button type="submit" class="primary">
              {s.show}
            </button>
          </div>
        </form>
      </section>

      <section class="card" aria-labelledby="report-h" aria-busy={report.loading || undefined}>
        <h2 id="report-h">{report.data ? tr({ ko: report.data.title_ko, en: report.data.title_en }) : kindLabel(applied.kind)}</h2>
        {report.loading && <Loading />}
        <ErrorSummary error={report.error ? explain(report.error) : undefined} />
        {report.data && !report.error && (
          <ReportView
            report={report.data}
            idPrefix="report"
            downloads={{ csv: '/api/v1' + runPath(applied, 'csv'), xlsx: '/api/v1' + runPath(applied, 'xlsx') }}
          />
        )}
      </section>

      <section class="card" aria-labelledby="editions-h">
        <h2 id="editions-h">{s.editionsH}</h2>
        <p class="muted">{s.editionsIntro}</p>
        <EditionList list={editions} kindLabel={kindLabel} onOpen={setEditionId} />
      </section>
      {editionId !== null && <EditionView id={editionId} onClose={() => setEditionId(null)} />}

      {supervisor && (
        <Definitions
          kinds={kinds.data?.items ?? []}
          kindLabel={kindLabel}
          period={{ from: form.from, to: form.to }}
          dongs={districtWide ? (dongs.data ?? []) : null}
          onProduced={(id) => {
            editions.reload();
            setEditionId(id);
          }}
        />
      )}
    </Page>
  );
}

function EditionList(props: {
  list: ReturnType<typeof useAsync<{ items: Edition[] }>>;
  kindLabel: (code: string) => string;
  onOpen: (id: number) => void;
}) {
  const s = S();
  const list = props.list;
  if (list.loading && !list.data) return <Loading />;
  if (list.error && !list.data) return <ErrorSummary error={explain(list.error)} />;
  const items = list.data?.items ?? [];
  if (items.length === 0) return <p class="empty">{s.noEditions}</p>;
  return (
    <div class="table-wrap">
      <table class="editions-table">
        <caption class="visually-hidden">{s.editionsH}</caption>
        <thead>
          <tr>
            <th scope="col">{s.name}</th>
            <th scope="col">{s.period}</th>
            <th scope="col">{s.asOf}</th>
            <th scope="col">{s.sha}</th>
            <th scope="col">
              <span class="visually-hidden">{s.open}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr>
              <th scope="row">
                {e.definition_name || props.kindLabel(e.kind)}
                <span class="muted small"> · {props.kindLabel(e.kind)}</span>
              </th>
              <td>
                {formatDate(e.period.from)} ~ {formatDate(e.period.to)}
              </td>
              <td>{formatDateTime(e.data_as_of)}</td>
              <td>
                <code>{e.content_sha256.slice(0, 12)}</code>
              </td>
              <td>
                <button type="button" aria-label={`${s.open}: ${e.definition_name} ${e.period.from} ~ ${e.period.to}`} onClick={() => props.onOpen(e.id)}>
                  {s.open}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EditionView(props: { id: number; onClose: () => void }) {
  const s = S();
  const view = useAsync((signal) => api.get<Report>(`/reports/editions/${props.id}`, { signal }), [props.id]);
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    h.current?.focus();
  }, [props.id, view.data]);
  const e = view.data?.edition;
  const base = `/api/v1/reports/editions/${props.id}`;
  return (
    <section class="card edition-view" aria-labelledby="edition-h">
      <div class="page-head">
        <h2 id="edition-h" tabIndex={-1} ref={h}>
          {fill(s.editionH, { id: props.id, name: e?.definition_name ?? '' })}
        </h2>
        <button type="button" onClick={props.onClose}>
          {s.closeEdition}
        </button>
      </div>
      {view.loading && <Loading />}
      <ErrorSummary error={view.error ? explain(view.error) : undefined} />
      {view.data && !view.error && (
        <>
          <p class="muted">
            {tr({ ko: view.data.title_ko, en: view.data.title_en })}
            {e && (
              <>
                {' '}
                · {s.produced}: <time dateTime={e.produced_at}>{formatDateTime(e.produced_at)}</time>
              </>
            )}
          </p>
          {e && (
            <p class="edition-sha">
              {s.editionSha}: <code>{e.content_sha256}</code>
            </p>
          )}
          <ReportView report={view.data} idPrefix="edition" downloads={{ csv: base + '?format=csv', xlsx: base + '?format=xlsx' }} />
        </>
      )}
    </section>
  );
}

function Definitions(props: {
  kinds: ReportKind[];
  kindLabel: (code: string) => string;
  period: { from: string; to: string };
  dongs: { id: number; name: string }[] | null;
  onProduced: (editionId: number) => void;
}) {
  const s = S();
  const list = useAsync(() => api.get<{ items: Definition[] }>('/reports/definitions'), []);
  const [form, setForm] = useState({ name: '', kind: 'summary', monthly: true, dong_id: '' });
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const dongName = (id: number | null) => (id ? (props.dongs?.find((d) => d.id === id)?.name ?? '#' + id) : s.wholeDistrict);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      await action();
      list.reload();
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  const items = list.data?.items ?? [];
  return (
    <section class="card" aria-labelledby="definitions-h">
      <h2 id="definitions-h">{s.definitionsH}</h2>
      <p class="muted">{s.definitionsIntro}</p>
      <ErrorSummary error={error} />
      {notice && <Notice>{notice}</Notice>}
      {list.loading && !list.data ? (
        <Loading />
      ) : list.error && !list.data ? (
        <ErrorSummary error={explain(list.error)} />
      ) : items.length === 0 ? (
        <p class="empty">{s.noDefinitions}</p>
      ) : (
        <div class="table-wrap">
          <table class="definitions-table">
            <caption class="visually-hidden">{s.definitionsH}</caption>
            <thead>
              <tr>
                <th scope="col">{s.name}</th>
                <th scope="col">{s.kind}</th>
                <th scope="col">{s.scope}</th>
                <th scope="col">{s.schedule}</th>
                <th scope="col">{s.created}</th>
                <th scope="col">
                  <span class="visually-hidden">{s.produce}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr>
                  <th scope="row">{d.name}</th>
                  <td>{props.kindLabel(d.kind)}</td>
                  <td>{dongName(d.scope.dong_id)}</td>
                  <td>{d.schedule === 'monthly' ? s.monthly : s.manual}</td>
                  <td>{formatDateTime(d.created_at)}</td>
                  <td class="row-actions">
                    <button
                      type="button"
                      class="primary"
                      disabled={busy}
                      aria-label={fill(s.produceFor, { name: d.name, from: props.period.from, to: props.period.to })}
                      onClick={() =>
                        run(async () => {
                          const made = await api.post<Edition>(`/reports/definitions/${d.id}/editions`, props.period);
                          setNotice(fill(s.producedNotice, { name: d.name, from: made.period.from, to: made.period.to }));
                          props.onProduced(made.id);
                        })
                      }
                    >
                      {s.produce}
                    </button>{' '}
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={fill(s.removeFor, { name: d.name })}
                      onClick={() =>
                        run(async () => {
                          await api.del(`/reports/definitions/${d.id}`);
                          setNotice(fill(s.removed, { name: d.name }));
                        })
                      }
                    >
                      {s.remove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        class="definition-form"
        aria-labelledby="definition-new-h"
        onSubmit={(e) => {
          e.preventDefault();
          run(async () => {
            const made = await api.post<Definition>('/reports/definitions', {
              name: form.name,
              kind: form.kind,
              scope: form.dong_id ? { dong_id: Number(form.dong_id) } : {},
              schedule: form.monthly ? 'monthly' : 'none',
            });
            setNotice(fill(s.saved, { name: made.name }));
            setForm((f) => ({ ...f, name: '' }));
          });
        }}
      >
        <h3 id="definition-new-h">{s.newH}</h3>
        <div class="row">
          <TextField
            label={s.name}
            name="definition_name"
            required
            maxLength={100}
            value={form.name}
            onValue={(v) => setForm((f) => ({ ...f, name: v }))}
            error={fieldError(error, 'name')}
          />
          <SelectField
            label={s.kind}
            name="definition_kind"
            value={form.kind}
            onValue={(v) => setForm((f) => ({ ...f, kind: v }))}
            options={props.kinds.map((k) => ({ value: k.code, label: tr({ ko: k.label_ko, en: k.label_en }) }))}
          />
          {props.dongs && (
            <SelectField
              label={s.scope}
              name="definition_dong"
              value={form.dong_id}
              onValue={(v) => setForm((f) => ({ ...f, dong_id: v }))}
              options={[{ value: '', label: s.wholeDistrict }, ...props.dongs.map((d) => ({ value: String(d.id), label: d.name }))]}
            />
          )}
        </div>
        <Checkbox label={s.monthlyBox} name="monthly" checked={form.monthly} onChecked={(v) => setForm((f) => ({ ...f, monthly: v }))} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {s.save}
          </button>
        </div>
      </form>
    </section>
  );
}
