// 현황판: the district supervisor sees the dashboard; every number in the
// charts' tables is the number the API gives; a case received over the API
// moves the counts; every chart canvas has a summary for screen readers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, apiSession } from './support/server.mjs';
import { launch, newPage, signIn, inspect, assertNoProblems } from './support/browser.mjs';

let server;
let browser;
let supervisor;
before(async () => {
  // Twelve weeks of past work, as in `make demo`: the charts have something to show.
  server = await startServer({ historyWeeks: 12 });
  browser = await launch();
  supervisor = await apiSession(server.url, 'district.supervisor');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const STATUS_KO = {
  received: '접수',
  in_consultation: '상담 중',
  referred: '연계 중',
  ongoing: '사후관리 중',
  case_management: '사례관리',
  resolved: '해결',
  closed: '종결',
};

// The rows of a chart's "표로 보기" table as {row header: [numbers]}, opening it first.
async function tableOf(page, id) {
  const details = page.locator(`section:has(#${id}-table) details`);
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  await page.locator(`#${id}-table`).waitFor();
  return page.locator(`#${id}-table`).evaluate((t) => {
    const rows = {};
    for (const tr of t.querySelectorAll('tbody tr')) {
      rows[tr.querySelector('th').textContent.trim()] = [...tr.querySelectorAll('td')].map((td) => Number(td.textContent));
    }
    const foot = t.querySelector('tfoot tr');
    const total = foot ? [...foot.querySelectorAll('td')].map((td) => Number(td.textContent)) : [];
    return { rows, total };
  });
}

const statusMap = (items) => Object.fromEntries(items.map((i) => [STATUS_KO[i.status] ?? i.status, [i.count]]));
// intake_by_channel: [{week_start, counts: {channel: n}, total}]
const intakeTotal = (weeks) => weeks.reduce((a, w) => a + Object.values(w.counts).reduce((x, y) => x + y, 0), 0);

async function expectMatches(page, stats, categories) {
  const catLabel = (code) => {
    for (const c of categories) {
      if (c.code === code) return c.label_ko;
      for (const s of c.subcategories) if (s.code === code) return `${c.label_ko} › ${s.label_ko}`;
    }
    return code;
  };
  const byStatus = await tableOf(page, 'by-status');
  assert.deepEqual(byStatus.rows, statusMap(stats.open_by_status), 'status table = API');
  const byCategory = await tableOf(page, 'by-category');
  assert.deepEqual(
    byCategory.rows,
    Object.fromEntries(stats.open_by_category.filter((c) => c.count > 0).map((c) => [catLabel(c.category), [c.count]])),
    'category table = API',
  );
  const overdue = stats.overdue_by_owner.filter((o) => o.count > 0);
  if (overdue.length > 0) {
    const byOwner = await tableOf(page, 'overdue');
    assert.deepEqual(byOwner.rows, Object.fromEntries(overdue.map((o) => [o.display_name, [o.count]])), 'overdue table = API');
  }
  const intake = await tableOf(page, 'intake');
  assert.equal(intake.total.at(-1), intakeTotal(stats.intake_by_channel), 'intake total = API');
  return { byStatus, intake };
}

test('the district supervisor sees the dashboard; its tables match the API and a new case moves them', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'district.supervisor');
  await page.getByRole('link', { name: '현황판' }).click();
  await page.getByRole('heading', { name: '현황판', level: 1 }).waitFor();
  await page.locator('canvas[role="img"]').first().waitFor();
  const categories = (await supervisor.get('/categories')).items;
  const before = await supervisor.get('/stats/dashboard?weeks=12');
  await expectMatches(page, before, categories);

  // Every chart is a picture with a sentence for screen readers.
  const labels = await page.locator('canvas').evaluateAll((cs) => cs.map((c) => [c.getAttribute('role'), c.getAttribute('aria-label')]));
  assert.ok(labels.length >= 3, 'at least three charts drawn');
  for (const [role, label] of labels) {
    assert.equal(role, 'img');
    assert.match(label, /\d/, 'the summary carries the numbers');
  }
  assert.match(await page.locator('.dash-asof').innerText(), /기준 시각/);
  await page.waitForFunction(() => [...document.querySelectorAll('canvas')].every((c) => c.width > 0));
  await inspect(page, '11-dashboard');

  // A phone call received in 서교동 shows after a reload.
  const counselor = await apiSession(server.url, 'seogyo.counselor');
  await counselor.post('/cases', {
    channel: 'phone',
    primary_category: 'housing',
    summary: '현황판 시험: 전세 계약 만료 후 이사할 곳을 찾지 못했다는 전화',
    consultation: { kind: 'call', notes: '전세 계약 만료 안내' },
    follow_up: { kind: 'counseling' },
  });
  const after = await supervisor.get('/stats/dashboard?weeks=12');
  await page.reload();
  await page.locator('canvas[role="img"]').first().waitFor();
  const shown = await expectMatches(page, after, categories);
  assert.equal(shown.byStatus.total[0], before.open_by_status.reduce((a, s) => a + s.count, 0) + 1, 'one more open case');
  assert.equal(shown.intake.total.at(-1), intakeTotal(before.intake_by_channel) + 1, 'one more intake');
  assertNoProblems(page);
  await page.context().close();
});

test('a district-wide supervisor narrows the dashboard to one dong', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'district.supervisor');
  await page.goto('/dashboard');
  await page.locator('canvas[role="img"]').first().waitFor();
  const dongs = (await supervisor.get('/dongs')).items;
  const seogyo = dongs.find((d) => d.name === '서교동');
  await page.getByLabel('범위').selectOption({ label: '서교동' });
  await page.locator('.dash-asof', { hasText: '서교동' }).waitFor();
  const stats = await supervisor.get(`/stats/dashboard?dong_id=${seogyo.id}&weeks=12`);
  const byStatus = await tableOf(page, 'by-status');
  assert.deepEqual(byStatus.rows, statusMap(stats.open_by_status));
  assertNoProblems(page);
  await page.context().close();
});
