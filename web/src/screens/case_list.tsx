// Cases (상담 목록): filters kept in the URL (bookmarkable, the back button
// works), Korean full-text search, "더 보기" cursor paging and saved filters.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError, query } from '../api';
import { strings, label, vocab, formatDate, locale } from '../i18n';
import { me } from '../session';
import {
  Page,
  ErrorSummary,
  Loading,
  Notice,
  TextField,
  SelectField,
  Checkbox,
  useAsync,
  usePages,
  fieldError,
  type Option,
  type CursorPage,
} from '../ui';
import { useDirectory, categoryLabel, categoryOptions, dongName, staffName, useStaff } from '../directory';
import {
  colleagueOptions,
  districtWide,
  UrgencyBadge,
  OverdueBadge,
  type CaseSummary,
} from '../components/work_common';
import './work.css';

const S = () =>
  strings({
    title: { ko: '상담 목록', en: 'Cases' },
    searchH: { ko: '내용으로 찾기', en: 'Search by content' },
    searchLabel: { ko: '찾을 말', en: 'Words to find' },
    searchHint: {
      ko: '상담 내용과 상담 기록에서 찾습니다. 한글은 두 글자 이상을 이어서 입력해 주세요 (예: 소음, 월세).',
      en: 'Searches what was told and the consultation notes. Type at least two characters in a row (e.g. 소음).',
    },
    searchBtn: { ko: '찾기', en: 'Search' },
    searchOf: { ko: '검색 결과', en: 'Search results for' },
    clearSearch: { ko: '검색 지우기', en: 'Clear the search' },
    searchIgnoresFilters: {
      ko: '검색할 때는 아래 조회 조건을 쓰지 않습니다.',
      en: 'The filters below do not apply to a search.',
    },
    filterH: { ko: '조회 조건', en: 'Filters' },
    status: { ko: '상태', en: 'Status' },
    openOnly: { ko: '진행 중인 건만 (해결·종결 제외)', en: 'Open cases only' },
    category: { ko: '상담 분야', en: 'Category' },
    urgency: { ko: '긴급도', en: 'Urgency' },
    channel: { ko: '접수 경로', en: 'Channel' },
    dong: { ko: '동', en: 'Dong' },
    counselor: { ko: '담당자', en: 'Counselor' },
    from: { ko: '접수일 (부터)', en: 'Received from' },
    to: { ko: '접수일 (까지)', en: 'Received until' },
    overdueOnly: { ko: '기한이 지난 건만', en: 'Overdue only' },
    any: { ko: '전체', en: 'Any' },
    apply: { ko: '조회', en: 'Show' },
    reset: { ko: '조건 지우기', en: 'Clear filters' },
    savedH: { ko: '저장한 조회 조건', en: 'Saved filters' },
    savedNone: { ko: '저장한 조회 조건이 없습니다.', en: 'No saved filters yet.' },
    savedMissing: {
      ko: '조회 조건 저장 기능은 아직 서버에 준비되지 않았습니다. 지금은 이 화면의 주소(URL)를 즐겨찾기에 넣어 두면 같은 조건으로 다시 볼 수 있습니다.',
      en: 'Saving filters is not available on this server yet. Bookmark this page’s address to come back to the same filters.',
    },
    saveName: { ko: '저장할 이름', en: 'Name' },
    saveHint: {
      ko: '지금 목록에 적용된 조건을 이 이름으로 저장합니다.',
      en: 'Saves the filters applied to the list now.',
    },
    save: { ko: '현재 조건 저장', en: 'Save these filters' },
    saved: { ko: '조회 조건을 저장했습니다', en: 'Saved the filters' },
    deleted: { ko: '조회 조건을 지웠습니다', en: 'Deleted the filters' },
    del: { ko: '삭제', en: 'Delete' },
    searchNotSaved: {
      ko: '검색어는 주민을 알아볼 수 있는 말이 들어갈 수 있어 저장하지 않습니다. 검색을 지우고 조회 조건으로 목록을 만든 뒤 저장해 주세요.',
      en: 'Search words are not saved: they may identify a resident. Clear the search and save list filters instead.',
    },
    resultsH: { ko: '조회 결과', en: 'Results' },
    caption: { ko: '상담 건 목록', en: 'List of cases' },
    found: { ko: '건을 보여 드립니다', en: ' cases shown' },
    moreExist: { ko: '더 있습니다', en: 'more are available' },
    none: { ko: '조건에 맞는 상담이 없습니다.', en: 'No case matches.' },
    noneSearch: { ko: '이 말이 들어간 상담이 없습니다.', en: 'No case contains these words.' },
    more: { ko: '더 보기', en: 'Show more' },
    loadingMore: { ko: '불러오는 중…', en: 'Loading…' },
    number: { ko: '상담 번호', en: 'Case number' },
    received: { ko: '접수일', en: 'Received' },
    next: { ko: '다음 조치 기한', en: 'Next step due' },
    noNext: { ko: '없음', en: 'None' },
  });

// The filters GET /cases understands, as they appear in the URL.
const FILTER_KEYS = [
  'status',
  'open',
  'category',
  'urgency',
  'channel',
  'dong_id',
  'counselor_id',
  'from',
  'to',
  'overdue',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filter = Record<FilterKey, string>;
const PAGE = 50;

function filterFrom(q: Record<string, string>): Filter {
  const f = {} as Filter;
  for (const k of FILTER_KEYS) f[k] = q[k] ?? '';
  if (f.open !== 'true') f.open = '';
  if (f.overdue !== 'true') f.overdue = '';
  return f;
}

function filterParams(f: Filter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) if (f[k]) out[k] = f[k];
  return out;
}

// Only the parameters this screen knows, in a stable order: for links and comparison.
function cleanQuery(q: Record<string, string>): string {
  const params: Record<string, string> = {};
  if (q.q) params.q = q.q;
  else Object.assign(params, filterParams(filterFrom(q)));
  return query(params);
}

type ListPage = CursorPage<CaseSummary>;

interface SavedFilter {
  id: number;
  name: string;
  query: Record<string, string>;
}

export function CaseList() {
  const s = S();
  const loc = useLocation();
  const q = loc.query as Record<string, string>;
  const searching = (q.q ?? '') !== '';
  const key = cleanQuery(q);
  const dir = useDirectory({ lenient: true });
  const staff = useStaff();

  const [form, setForm] = useState<Filter>(() => filterFrom(q));
  const [text, setText] = useState(q.q ?? '');
  useEffect(() => {
    setForm(filterFrom(q));
    setText(q.q ?? '');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const pathFor = (before?: number | null) =>
    searching
      ? `/cases/search${query({ q: q.q, limit: PAGE, before_id: before })}`
      : `/cases${query({ ...filterParams(filterFrom(q)), limit: PAGE, before_id: before })}`;
  // "더 보기": later pages, appended, for this query only.
  const results = usePages<CaseSummary>(key, (before, signal) => api.get<ListPage>(pathFor(before), { signal }));
  const items = results.items ?? [];
  const next = results.next;
  const tableRef = useRef<HTMLTableSectionElement>(null);

  // After "더 보기" the focus goes to the first new row, so keyboard and
  // screen-reader users continue there (as soon as that row is in the page).
  const [focusRow, setFocusRow] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (focusRow === null) return;
    const link = tableRef.current?.querySelectorAll<HTMLAnchorElement>('tr a')[focusRow];
    if (!link) return;
    link.focus();
    setFocusRow(null);
  }, [focusRow, items.length]);
  const loadMore = async () => {
    const firstNew = await results.more();
    if (firstNew !== null) setFocusRow(firstNew);
  };

  const applyFilters = (e: Event) => {
    e.preventDefault();
    loc.route('/cases' + query(filterParams(form)));
  };
  const search = (e: Event) => {
    e.preventDefault();
    const t = text.trim();
    loc.route('/cases' + query({ q: t }));
  };

  const searchError = searching && results.error instanceof ApiError && results.error.status === 422 ? results.error : null;
  const set = (k: FilterKey) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const opts = (table: Record<string, { ko: string; en: string }>): Option[] =>
    Object.keys(table).map((code) => ({ value: code, label: label(table, code) }));

  return (
    <Page title={s.title} wide>
      <div class="cases-top">
        <section aria-labelledby="cases-search-h" class="card">
          <h2 id="cases-search-h">{s.searchH}</h2>
          <form onSubmit={search} noValidate role="search" aria-labelledby="cases-search-h" class="search-form">
            <TextField
              label={s.searchLabel}
              name="q"
              type="search"
              value={text}
              onValue={setText}
              hint={s.searchHint}
              maxLength={100}
              error={searchError ? fieldError(searchError, 'q') ?? searchError.text(locale.value) : undefined}
            />
            <div class="actions">
              <button type="submit" class="primary">
                {s.searchBtn}
              </button>
              {searching && (
                <a class="button-link" href="/cases">
                  {s.clearSearch}
                </a>
              )}
            </div>
          </form>
        </section>
        <SavedFilters current={q} currentKey={key} />
      </div>

      <section aria-labelledby="cases-filter-h" class="card">
        <h2 id="cases-filter-h">{s.filterH}</h2>
        {searching && <p class="hint">{s.searchIgnoresFilters}</p>}
        <form onSubmit={applyFilters} noValidate class="filter-form">
          <div class="filter-grid">
            <SelectField label={s.status} name="status" value={form.status} onValue={set('status')} placeholder={s.any} options={opts(vocab.status)} />
            <SelectField
              label={s.category}
              name="category"
              value={form.category}
              onValue={set('category')}
              placeholder={s.any}
              options={categoryOptions(dir.data)}
            />
            <SelectField label={s.urgency} name="urgency" value={form.urgency} onValue={set('urgency')} placeholder={s.any} options={opts(vocab.urgency)} />
            <SelectField label={s.channel} name="channel" value={form.channel} onValue={set('channel')} placeholder={s.any} options={opts(vocab.channel)} />
            {districtWide() && (
              <SelectField
                label={s.dong}
                name="dong_id"
                value={form.dong_id}
                onValue={set('dong_id')}
                placeholder={s.any}
                options={(dir.data?.dongs ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
              />
            )}
            <SelectField
              label={s.counselor}
              name="counselor_id"
              value={form.counselor_id}
              onValue={set('counselor_id')}
              placeholder={s.any}
              options={colleagueOptions(staff, districtWide() ? null : me.value?.dong_id, form.counselor_id)}
            />
            <TextField label={s.from} name="from" type="date" value={form.from} onValue={set('from')} error={fieldError(results.error, 'from')} />
            <TextField label={s.to} name="to" type="date" value={form.to} onValue={set('to')} error={fieldError(results.error, 'to')} />
          </div>
          <div class="filter-checks">
            <Checkbox label={s.openOnly} name="open" checked={form.open === 'true'} onChecked={(v) => set('open')(v ? 'true' : '')} />
            <Checkbox label={s.overdueOnly} name="overdue" checked={form.overdue === 'true'} onChecked={(v) => set('overdue')(v ? 'true' : '')} />
          </div>
          <div class="actions">
            <button type="submit" class="primary">
              {s.apply}
            </button>
            <a class="button-link" href="/cases">
              {s.reset}
            </a>
          </div>
        </form>
      </section>

      <section aria-labelledby="cases-results-h" class="card">
        <h2 id="cases-results-h">{searching ? `${s.searchOf}: ‘${q.q}’` : s.resultsH}</h2>
        {!searchError && <ErrorSummary error={results.error} />}
        {results.loading && <Loading />}
        {results.data && !results.loading && (
          <p role="status" class="muted">
            {items.length}
            {s.found}
            {next ? ` · ${s.moreExist}` : ''}
          </p>
        )}
        {results.data && items.length === 0 && !results.loading && (
          <p class="empty">{searching ? s.noneSearch : s.none}</p>
        )}
        {items.length > 0 && !searchError && (
          <div class="table-wrap">
            <table class="work-table cases-table">
              <caption class="visually-hidden">{s.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.number}</th>
                  <th scope="col">{s.received}</th>
                  <th scope="col">{s.status}</th>
                  <th scope="col">{s.urgency}</th>
                  <th scope="col">{s.category}</th>
                  <th scope="col">{s.dong}</th>
                  <th scope="col">{s.counselor}</th>
                  <th scope="col">{s.next}</th>
                </tr>
              </thead>
              <tbody ref={tableRef}>
                {items.map((c) => (
                  <tr key={c.id} class={c.urgency === 'crisis' ? 'row-crisis' : undefined}>
                    <th scope="row">
                      <a href={`/cases/${c.id}`}>{c.number}</a>
                      {c.summary_excerpt && searching && <div class="small muted">{c.summary_excerpt}</div>}
                    </th>
                    <td>{formatDate(c.opened_at)}</td>
                    <td>{label(vocab.status, c.status)}</td>
                    <td>
                      <UrgencyBadge urgency={c.urgency} />
                    </td>
                    <td>{categoryLabel(dir.data, c.primary_category)}</td>
                    <td>{dongName(dir.data, c.dong_id)}</td>
                    <td>{staffName(c.counselor_id)}</td>
                    <td>
                      {c.next_due_at ? formatDate(c.next_due_at) : <span class="muted">{s.noNext}</span>}{' '}
                      <OverdueBadge dueAt={c.next_due_at} overdue={c.overdue} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ErrorSummary error={results.moreError} />
        {next && !results.loading && !searchError && (
          <div class="actions">
            <button type="button" onClick={loadMore} disabled={results.moreBusy}>
              {results.moreBusy ? s.loadingMore : s.more}
            </button>
          </div>
        )}
      </section>
    </Page>
  );
}

// Saved filters (GET/POST/DELETE /saved-filters): links that apply them, a
// form to save the current one. Hidden with a note where the server lacks them.
function SavedFilters(props: { current: Record<string, string>; currentKey: string }) {
  const s = S();
  const list = useAsync((signal) => api.get<{ items: SavedFilter[] }>('/saved-filters', { signal }), []);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const missing = list.error instanceof ApiError && (list.error.status === 404 || list.error.status === 405);

  // Search words are never saved (they may name a resident): list filters only.
  const currentQuery = (): Record<string, string> => filterParams(filterFrom(props.current));

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const created = await api.post<SavedFilter>('/saved-filters', { name: name.trim(), query: currentQuery() });
      setDone(`${s.saved}: ${created?.name ?? name.trim()}`);
      setName('');
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (f: SavedFilter) => {
    setError(null);
    setDone('');
    try {
      await api.del(`/saved-filters/${f.id}`);
      setDone(`${s.deleted}: ${f.name}`);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="cases-saved-h" class="card">
      <h2 id="cases-saved-h">{s.savedH}</h2>
      {missing ? (
        <p class="muted">{s.savedMissing}</p>
      ) : (
        <>
          <ErrorSummary error={error ?? list.error} />
          {done && <Notice>{done}</Notice>}
          {list.loading && !list.data && <Loading />}
          {list.data && list.data.items.length === 0 && <p class="empty">{s.savedNone}</p>}
          {list.data && list.data.items.length > 0 && (
            <ul class="saved-list">
              {list.data.items.map((f) => {
                const href = '/cases' + cleanQuery(f.query ?? {});
                const active = cleanQuery(f.query ?? {}) === props.currentKey;
                return (
                  <li>
                    <a href={href} aria-current={active ? 'true' : undefined}>
                      {f.name}
                    </a>
                    <button type="button" class="link" aria-label={`${f.name} ${s.del}`} onClick={() => remove(f)}>
                      {s.del}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {props.current.q ? (
            <p class="hint">{s.searchNotSaved}</p>
          ) : (
            <form onSubmit={save} noValidate class="save-form">
              <TextField
                label={s.saveName}
                name="saved_name"
                value={name}
                onValue={setName}
                hint={s.saveHint}
                maxLength={60}
                required
                error={fieldError(error, 'name', 'query')}
              />
              <button type="submit" disabled={busy}>
                {s.save}
              </button>
            </form>
          )}
        </>
      )}
    </section>
  );
}
