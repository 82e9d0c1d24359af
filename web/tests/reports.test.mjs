// 실적 보고 and 주간 업무 보고: the district supervisor runs the intake report for last
// month; every number and every "*" (a suppressed count) is where the API's JSON says;
// the CSV download starts with the UTF-8 BOM; a monthly definition is saved, published
// for the period and its edition opened (SHA-256 as the API gives it). A counselor sees
// their week, saves a comment that is there after a reload, and a stale save (412) is
// explained. Auditors see the reports only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, apiSession } from './support/server.mjs';
import { launch, newPage, signIn, inspect, assertNoProblems } from './support/browser.mjs';

let server;
let browser;
let supervisor;
before(async () => {
  // Twelve weeks of past work, as in `make demo`: last month has cases to count.
  server = await startServer({ historyWeeks: 12 });
  browser = await launch();
  supervisor = await apiSession(server.url, 'district.supervisor');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const kstDay = (d = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(d);
const pad = (n) => String(n).padStart(2, '0');
// The previous calendar month in Korea, the screen's default period.
function lastMonth() {
  const today = kstDay();
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7)) - 1;
  if (m === 0) {
    m = 12;
    y -= 1;
  }
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(last)}` };
}
function mondayOf(day) {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

// What a value cell should read: "*" suppressed, "–" no value, else the number
// (percentages and changes with one decimal).
function expected(kind, cell) {
  if (cell.suppressed) return '*';
  if (cell.value === null) return '–';
  const digits = kind === 'percent' || kind === 'change' ? 1 : Number.isInteger(cell.value) ? 0 : 1;
  const text = new Intl.NumberFormat('ko-KR', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(cell.value);
  return kind === 'change' && cell.value > 0 ? '+' + text : text;
}

// Every row of a shown report table: the visible text of each cell ("*" for a
// suppressed one, whose spoken explanation is hidden from sight).
async function shownTable(page, id) {
  return page.locator('#' + id).evaluate((t) => {
    const read = (tr) =>
      [...tr.children].map((c) => {
        const shown = c.querySelector('[aria-hidden="true"]');
        return { text: (shown ?? c).textContent.trim(), suppressed: c.dataset.suppressed === 'true' };
      });
    return {
      caption: t.querySelector('caption')?.textContent.trim(),
      body: [...t.querySelectorAll('tbody tr')].map(read),
      total: [...t.querySelectorAll('tfoot tr.total-row')].map(read),
    };
  });
}

function assertTableMatches(shown, table, what) {
  const body = table.has_total ? table.rows.slice(0, -1) : table.rows;
  assert.equal(shown.caption, table.title_ko, `${what}: caption`);
  assert.equal(shown.body.length, body.length, `${what}: body rows`);
  const check = (row, cells, where) =>
    cells.forEach((cell, k) => {
      if ('text' in cell) {
        assert.equal(row[k].text, cell.text, `${where} col ${k}`);
      } else {
        assert.equal(row[k].text, expected(table.columns[k].kind, cell), `${where} col ${k}`);
        assert.equal(row[k].suppressed, !!cell.suppressed, `${where} col ${k} suppressed`);
      }
    });
  body.forEach((cells, j) => check(shown.body[j], cells, `${what} row ${j}`));
  if (table.has_total) {
    assert.equal(shown.total.length, 1, `${what}: one total row`);
    check(shown.total[0], table.rows.at(-1), `${what} total`);
  }
}

test('the district supervisor runs the intake report, downloads it, saves a monthly report and opens its edition', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'district.supervisor');
  await page.getByRole('link', { name: '실적 보고' }).click();
  await page.getByRole('heading', { name: '실적 보고', level: 1 }).waitFor();

  // The default period is last month; 지난달 is the pressed quick button.
  const period = lastMonth();
  assert.equal(await page.getByLabel('기간 (부터)').inputValue(), period.from);
  assert.equal(await page.getByLabel('기간 (까지)').inputValue(), period.to);
  assert.equal(await page.getByRole('button', { name: '지난달' }).getAttribute('aria-pressed'), 'true');

  await page.getByLabel('보고서 종류').first().selectOption('intake');
  await page.getByRole('button', { name: '보고서 보기' }).click();
  await page.getByRole('heading', { name: '경로·분야별 접수', level: 2 }).waitFor();
  await page.locator('#report-0 tfoot tr.total-row').waitFor();

  const api = await supervisor.get(`/reports/run?kind=intake&from=${period.from}&to=${period.to}`);
  assert.ok(api.tables.length >= 2, 'intake has the channel and the category table');
  assert.ok(api.tables[0].rows.at(-1)[1].value > 0, 'last month has cases');
  for (const [i, table] of api.tables.entries()) {
    assertTableMatches(await shownTable(page, `report-${i}`), table, table.code);
  }
  // The total row says 합계 with the month's number, in bold.
  const total = page.locator('#report-0 tfoot tr.total-row');
  assert.equal((await total.locator('th').textContent()).trim(), '합계');
  assert.equal(Number((await total.locator('td').first().textContent()).replace(/,/g, '')), api.tables[0].rows.at(-1)[1].value);
  assert.equal(await total.locator('td').first().evaluate((td) => getComputedStyle(td).fontWeight), '700');
  assert.equal(await page.locator('#report-0 tbody td.num').first().evaluate((td) => getComputedStyle(td).textAlign), 'right');

  // Every "*" is a suppressed cell of the JSON, and the note explains it.
  const stars = await page.locator('.report td[data-suppressed="true"]').count();
  assert.equal(stars, api.suppressed_cells, 'as many * as suppressed cells');
  assert.ok(api.suppressed_cells > 0, 'the demo month has small counts to hide');
  await page.locator('.report-suppression', { hasText: '3건 미만은 *로 표시' }).waitFor();
  assert.match(await page.locator('.report-facts').innerText(), /구 전체/);
  assert.match(await page.locator('.report-facts').innerText(), /자료 기준 시각/);

  // The bar chart of the channel table: one bar per shown (not suppressed) count.
  const channelRows = api.tables[0].rows.slice(0, -1).filter((r) => !r[1].suppressed && r[1].value !== null);
  assert.equal(await page.locator('#report-0-bars').locator('xpath=..').locator('li').count(), channelRows.length);

  // The CSV link: the same report, as text that starts with the UTF-8 BOM.
  const csvHref = await page.getByRole('link', { name: 'CSV 파일' }).first().getAttribute('href');
  assert.match(csvHref, /format=csv/);
  assert.ok(csvHref.includes(`from=${period.from}`) && csvHref.includes('kind=intake'));
  const csv = await page.context().request.get(csvHref);
  assert.equal(csv.status(), 200);
  const bytes = await csv.body();
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with the BOM');
  const xlsxHref = await page.getByRole('link', { name: '엑셀 파일 (XLSX)' }).first().getAttribute('href');
  const xlsx = await page.context().request.get(xlsxHref);
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString('latin1'), 'PK', 'XLSX is a zip');

  // A wrong period: the server's message is shown.
  await page.getByLabel('기간 (까지)').fill('2020-01-01');
  await page.getByRole('button', { name: '보고서 보기' }).click();
  await page.getByRole('alert').filter({ hasText: '기간의 끝이 시작보다 앞섭니다.' }).first().waitFor();
  await page.getByRole('button', { name: '지난달' }).click();
  await page.getByRole('button', { name: '보고서 보기' }).click();
  await page.locator('#report-0 tfoot tr.total-row').waitFor();
  await inspect(page, '46-reports');

  // A monthly definition, published for last month, opened.
  const name = '월간 접수 현황 (시험)';
  await page.getByLabel('이름', { exact: true }).fill(name);
  await page.locator('select[name="definition_kind"]').selectOption('intake');
  assert.ok(await page.getByLabel('매월 자동 발행 (지난달 실적)').isChecked(), 'monthly by default');
  await page.getByRole('button', { name: '저장', exact: true }).click();
  await page.getByRole('status').filter({ hasText: `‘${name}’을(를) 저장했습니다.` }).waitFor();
  const definitions = (await supervisor.get('/reports/definitions')).items;
  const def = definitions.find((d) => d.name === name);
  assert.ok(def, 'the definition is saved');
  assert.equal(def.schedule, 'monthly');
  assert.equal(def.kind, 'intake');
  await page.locator('.definitions-table tr', { hasText: name }).getByText('매월').waitFor();

  await page.getByRole('button', { name: `${name}: ${period.from} ~ ${period.to} 발행` }).click();
  await page.getByRole('heading', { name: new RegExp(`^발행본 #\\d+ · ${name.replace(/[()]/g, '\\$&')}$`) }).waitFor();
  await page.locator('#edition-0 tfoot tr.total-row').waitFor();
  const edition = (await supervisor.get('/reports/editions')).items.find((e) => e.definition_id === def.id);
  assert.ok(edition, 'the edition is listed');
  assert.deepEqual(edition.period, period);
  assert.equal((await page.locator('.edition-sha code').textContent()).trim(), edition.content_sha256);
  await page.locator('.editions-table code', { hasText: edition.content_sha256.slice(0, 12) }).waitFor();
  const published = await supervisor.get(`/reports/editions/${edition.id}`);
  for (const [i, table] of published.tables.entries()) {
    assertTableMatches(await shownTable(page, `edition-${i}`), table, `edition ${table.code}`);
  }
  assert.match(await page.locator('.edition-view').getByRole('link', { name: 'CSV 파일' }).getAttribute('href'), new RegExp(`/reports/editions/${edition.id}\\?format=csv`));

  // Closed and opened again from the list.
  await page.getByRole('button', { name: '발행본 닫기' }).click();
  await page.locator('.edition-view').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: `열기: ${name} ${period.from} ~ ${period.to}` }).click();
  await page.locator('#edition-0 tfoot tr.total-row').waitFor();
  await page.locator('#edition-h').evaluate((h) => h.scrollIntoView());
  await inspect(page, '47-report-edition');

  // The same period again: the server's 409 message.
  await page.getByRole('button', { name: `${name}: ${period.from} ~ ${period.to} 발행` }).click();
  await page.getByRole('alert').filter({ hasText: '이 보고서는 해당 기간의 발행본이 이미 있습니다.' }).waitFor();

  // Deleted; the edition stays.
  await page.getByRole('button', { name: `${name} 삭제` }).click();
  await page.getByRole('status').filter({ hasText: `‘${name}’을(를) 삭제했습니다.` }).waitFor();
  await page.locator('.definitions-table tr', { hasText: name }).waitFor({ state: 'detached' });
  assert.ok((await supervisor.get('/reports/editions')).items.some((e) => e.id === edition.id));
  assertNoProblems(page);
  await page.context().close();
});

test('a counselor sees their dong only; an auditor has the reports but no work report', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await page.getByRole('link', { name: '실적 보고' }).click();
  await page.locator('#report-0').waitFor();
  assert.match(await page.locator('.report-facts').innerText(), /서교동/);
  assert.equal(await page.locator('select[name="dong_id"]').count(), 0, 'no dong choice');
  assert.equal(await page.getByRole('heading', { name: '저장한 보고서' }).count(), 0, 'no definitions for counselors');
  assertNoProblems(page);
  await page.context().close();

  const audit = await newPage(browser, server.url);
  await signIn(audit, 'auditor');
  await audit.getByRole('link', { name: '실적 보고' }).waitFor();
  assert.equal(await audit.getByRole('link', { name: '주간 업무 보고' }).count(), 0);
  assertNoProblems(audit);
  await audit.context().close();
});

test('a counselor sees their week, saves a comment that stays after a reload; a stale save is explained', async () => {
  const counselor = await apiSession(server.url, 'seogyo.counselor');
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await page.getByRole('link', { name: '주간 업무 보고' }).click();
  await page.getByRole('heading', { name: '주간 업무 보고', level: 1 }).waitFor();
  await page.locator('#work-lines').waitFor();

  const week = mondayOf(kstDay());
  assert.equal(await page.getByLabel('주 (고른 날짜가 속한 주)').inputValue(), week);
  const api = await counselor.get('/work-reports');
  assert.equal(api.week, week);
  const rows = await page.locator('#work-lines tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th').textContent.trim(), Number(tr.querySelector('td').textContent.replace(/,/g, ''))]),
  );
  assert.deepEqual(rows, api.lines.map((l) => [l.label_ko, l.value]));
  await page.getByRole('heading', { name: /^김서교 · / }).waitFor();

  const comment = '이번 주 신규 접수가 많았습니다. 다음 주에는 기한이 지난 후속조치부터 정리하겠습니다.';
  await page.getByLabel('의견', { exact: true }).fill(comment);
  await page.getByRole('button', { name: '의견 저장' }).click();
  await page.getByRole('status').filter({ hasText: '의견을 저장했습니다.' }).waitFor();
  await page.locator('#work-comment-saved', { hasText: '마지막 저장' }).waitFor();
  await page.reload();
  await page.locator('#work-lines').waitFor();
  assert.equal(await page.getByLabel('의견', { exact: true }).inputValue(), comment);
  assert.equal((await counselor.get('/work-reports')).comment.text, comment);
  await inspect(page, '48-work-report');

  // Another tab saves first; this tab's save is stale (412) and says what to do.
  const other = await page.context().newPage();
  other.problems = [];
  other.on('console', (msg) => msg.type() === 'error' && other.problems.push(msg.text()));
  other.on('pageerror', (err) => other.problems.push(String(err)));
  await other.goto('/work-report');
  await other.locator('#work-lines').waitFor();
  await other.getByLabel('의견', { exact: true }).fill(comment + ' (다른 창)');
  await other.getByRole('button', { name: '의견 저장' }).click();
  await other.getByRole('status').filter({ hasText: '의견을 저장했습니다.' }).waitFor();
  await page.getByLabel('의견', { exact: true }).fill('늦게 저장한 의견');
  await page.getByRole('button', { name: '의견 저장' }).click();
  await page.getByRole('alert').filter({ hasText: '다른 사람이 의견을 먼저 저장했습니다' }).waitFor();
  await page.getByRole('button', { name: '최신 의견 불러오기' }).click();
  await page.locator('.comment-theirs', { hasText: '(다른 창)' }).waitFor();
  assert.equal(await page.getByLabel('의견', { exact: true }).inputValue(), '늦게 저장한 의견', 'typed text kept');
  await page.getByRole('button', { name: '의견 저장' }).click();
  await page.getByRole('status').filter({ hasText: '의견을 저장했습니다.' }).waitFor();
  assert.equal((await counselor.get('/work-reports')).comment.text, '늦게 저장한 의견');

  // The previous week: its own numbers, no comment yet.
  await page.getByRole('button', { name: '이전 주' }).click();
  const prev = await counselor.get(`/work-reports?week=${mondayOf(new Date(Date.parse(week) - 7 * 86400000).toISOString().slice(0, 10))}`);
  await page.locator('#work-comment-saved', { hasText: '아직 저장한 의견이 없습니다.' }).waitFor();
  assert.equal(await page.getByLabel('주 (고른 날짜가 속한 주)').inputValue(), prev.week);
  assert.equal(await page.getByLabel('의견', { exact: true }).inputValue(), '');
  assertNoProblems(page);
  assertNoProblems(other);
  await page.context().close();
});

test('the district-wide supervisor reads a dong’s week', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'district.supervisor');
  await page.goto('/work-report');
  await page.locator('#work-lines').waitFor();
  await page.getByLabel('동 전체').check();
  await page.getByText('동 전체 보고를 보려면 동을 고르세요.').waitFor();
  await page.getByLabel('동', { exact: true }).selectOption({ label: '서교동' });
  await page.getByRole('heading', { name: /^서교동 · / }).waitFor();
  const dongs = (await supervisor.get('/dongs')).items;
  const seogyo = dongs.find((d) => d.name === '서교동');
  const api = await supervisor.get(`/work-reports?dong_id=${seogyo.id}`);
  const shown = await page.locator('#work-lines tbody td').evaluateAll((tds) => tds.map((td) => Number(td.textContent.replace(/,/g, ''))));
  assert.deepEqual(shown, api.lines.map((l) => l.value));
  assertNoProblems(page);
  await page.context().close();
});
