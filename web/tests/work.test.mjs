// Today, the Cases list with filters in the URL, Korean search, saved filters
// and the follow-up calendar, as the demo counselor of 서교동.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, apiSession } from './support/server.mjs';
import { launch, newPage, signIn, inspect, checkA11y, assertNoProblems } from './support/browser.mjs';

let server;
let browser;
let api;
let page;
before(async () => {
  server = await startServer();
  browser = await launch();
  api = await apiSession(server.url, 'seogyo.counselor');
  page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor', { expectHome: '/today' });
});
after(async () => {
  await page?.context().close();
  await browser?.close();
  await server?.stop();
});

const kstDay = (d = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(d);
const addDays = (day, n) => {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const mondayOf = (day) => {
  const wd = new Date(day + 'T00:00:00Z').getUTCDay();
  return addDays(day, wd === 0 ? -6 : 1 - wd);
};

async function crisisCase() {
  const list = await api.get('/cases?urgency=crisis');
  assert.equal(list.items.length, 1, 'the demo district has one crisis case');
  return list.items[0];
}

test('Today shows the crisis case first, with a count, and one click opens it', async () => {
  const crisis = await crisisCase();
  await page.goto('/today');
  const heading = page.getByRole('heading', { name: /위기 상담/ });
  await heading.waitFor();
  assert.match(await heading.innerText(), /1건/);
  // The first case link on the screen is the crisis case, in the crisis section.
  const rows = page.locator('main a.work-row');
  await rows.first().waitFor();
  const first = rows.first();
  assert.equal(await first.getAttribute('href'), `/cases/${crisis.id}`);
  const text = await first.innerText();
  assert.match(text, new RegExp(crisis.number));
  assert.match(text, /위기/);
  // Sections follow in order: crisis, overdue, due today, new cases.
  const h2s = await page.locator('main h2').allInnerTexts();
  const order = ['위기 상담', '기한이 지난 일', '오늘 할 일', '우리 동 새 접수'].map((t) => h2s.findIndex((h) => h.startsWith(t)));
  assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), `sections in order: ${h2s.join(' | ')}`);
  // New cases of the dong are listed with their count (the demo has received cases).
  const fresh = await api.get('/work/today');
  assert.match(await page.getByRole('heading', { name: /우리 동 새 접수/ }).innerText(), new RegExp(`${fresh.new_in_dong.length}건`));
  await inspect(page, '03-today');
  await first.click();
  await page.waitForURL((u) => u.pathname === `/cases/${crisis.id}`);
  assertNoProblems(page);
});

test('Cases: the urgency filter lives in the URL, survives a reload and the back button', async () => {
  const crisis = await crisisCase();
  await page.goto('/cases');
  await page.getByRole('heading', { name: '조회 조건', exact: true }).waitFor();
  await page.locator('table tbody tr').first().waitFor();
  const allRows = await page.locator('table tbody tr').count();
  assert.ok(allRows >= 6, `the demo counselor sees the dong's cases (${allRows})`);
  // Counselors by name: the column, and the filter (me first, then the dong's case workers).
  assert.match(await page.locator('table tbody tr').first().innerText(), /김서교 \(나\)/);
  await page.getByLabel('담당자').locator('option', { hasText: '이사례' }).waitFor({ state: 'attached' });
  assert.deepEqual(await page.getByLabel('담당자').locator('option').allInnerTexts(), ['전체', '김서교 (나)', '이사례']);
  await page.getByLabel('긴급도').selectOption('crisis');
  await page.getByRole('button', { name: '조회', exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get('urgency') === 'crisis');
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
  const row = page.locator('table tbody tr').first();
  assert.match(await row.innerText(), new RegExp(crisis.number));
  assert.match(await row.innerText(), /위기/);
  await inspect(page, '06-cases');
  await page.reload();
  await page.locator('table tbody tr').first().waitFor();
  assert.equal(await page.getByLabel('긴급도').inputValue(), 'crisis');
  assert.equal(await page.locator('table tbody tr').count(), 1);
  // Back to the unfiltered list.
  await page.goBack();
  await page.waitForURL((u) => !u.searchParams.has('urgency'));
  await page.waitForFunction((n) => document.querySelectorAll('table tbody tr').length === n, allRows);
  assert.equal(await page.getByLabel('긴급도').inputValue(), '');
  // The case number is a link to the case.
  await page.goto('/cases?urgency=crisis&open=true');
  await page.getByRole('link', { name: crisis.number }).click();
  await page.waitForURL((u) => u.pathname === `/cases/${crisis.id}`);
  assertNoProblems(page);
});

test('Search finds the inter-floor noise case by "소음" and explains a one-syllable query', async () => {
  await page.goto('/cases');
  await page.getByLabel('찾을 말').fill('소음');
  await page.getByRole('button', { name: '찾기' }).click();
  await page.waitForURL((u) => u.searchParams.get('q') === '소음');
  await page.getByRole('heading', { name: /검색 결과/ }).waitFor();
  await page.locator('table tbody tr').first().waitFor();
  const text = await page.locator('table tbody').innerText();
  assert.match(text, /층간소음/);
  assert.equal(await page.locator('table tbody tr').count(), 1);
  await inspect(page, '07-search');
  // One syllable: the server's two-character rule, beside the search box.
  await page.getByLabel('찾을 말').fill('소');
  await page.getByRole('button', { name: '찾기' }).click();
  await page.waitForURL((u) => u.searchParams.get('q') === '소');
  const err = page.locator('.field-invalid .error-text');
  await err.waitFor();
  assert.match(await err.innerText(), /두 글자 이상/);
  assert.equal(await page.locator('table').count(), 0);
  assertNoProblems(page);
});

test('A saved filter is saved, listed after a reload, applied by a click and deleted', async () => {
  await page.goto('/cases?urgency=crisis&open=true');
  await page.getByRole('heading', { name: '저장한 조회 조건' }).waitFor();
  await page.getByText('저장한 조회 조건이 없습니다.').waitFor();
  // No name: the server's rule beside the name field.
  await page.getByRole('button', { name: '현재 조건 저장' }).click();
  const nameError = page.locator('.save-form .error-text');
  await nameError.waitFor();
  assert.match(await nameError.innerText(), /1~60자/);
  await page.getByLabel('저장할 이름').fill('진행 중 위기 상담');
  await page.getByRole('button', { name: '현재 조건 저장' }).click();
  await page.getByRole('status').filter({ hasText: '조회 조건을 저장했습니다' }).waitFor();
  await checkA11y(page, 'cases with a saved filter');
  await page.goto('/cases');
  const link = page.getByRole('link', { name: '진행 중 위기 상담' });
  await link.waitFor();
  await page.reload();
  await link.waitFor();
  await link.click();
  await page.waitForURL((u) => u.searchParams.get('urgency') === 'crisis' && u.searchParams.get('open') === 'true');
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
  assert.equal(await page.getByLabel('긴급도').inputValue(), 'crisis');
  assert.equal(await page.getByLabel('진행 중인 건만 (해결·종결 제외)').isChecked(), true);
  await page.getByRole('button', { name: '진행 중 위기 상담 삭제' }).click();
  await page.getByRole('status').filter({ hasText: '조회 조건을 지웠습니다' }).waitFor();
  await page.reload();
  await page.getByText('저장한 조회 조건이 없습니다.').waitFor();
  assert.equal(await page.getByRole('link', { name: '진행 중 위기 상담' }).count(), 0);
  // Search words may name a resident: they are never saved.
  await page.goto('/cases?q=' + encodeURIComponent('소음'));
  await page.getByText('검색어는 주민을 알아볼 수 있는 말이', { exact: false }).waitFor();
  assert.equal(await page.getByLabel('저장할 이름').count(), 0);
  assertNoProblems(page);
});

test('The calendar shows this week’s follow-ups; the week buttons move the range', async () => {
  const today = kstDay();
  const tomorrow = addDays(today, 1);
  const target = (await api.get('/cases?category=district_program')).items[0];
  assert.ok(target, 'the demo school-uniform case');
  await api.post(`/cases/${target.id}/follow-ups`, { kind: 'home_visit', due: tomorrow, note: '달력 확인용 방문' });

  await page.goto('/calendar');
  await page.getByRole('heading', { name: '일정', exact: true }).waitFor();
  const range = page.locator('.week-range');
  const sunday = mondayOf(tomorrow) !== mondayOf(today);
  if (sunday) {
    // Today is Sunday: tomorrow is in next week.
    await page.getByRole('button', { name: '다음 주' }).click();
    await page.waitForURL((u) => u.searchParams.get('week') === mondayOf(tomorrow));
  }
  const day = page.locator(`section[aria-labelledby="day-${tomorrow}"]`);
  await day.waitFor();
  const item = day.locator('li', { hasText: target.number });
  await item.waitFor();
  const itemText = await item.innerText();
  assert.match(itemText, /가정 방문/);
  assert.match(itemText, /김서교/);
  assert.match(itemText, /예정/);
  assert.equal(await item.getByRole('link', { name: target.number }).getAttribute('href'), `/cases/${target.id}`);
  // Seven days, Monday first, today marked.
  assert.equal(await page.locator('.week > section').count(), 7);
  assert.match(await page.locator('.week > section h2').first().innerText(), /\(월\)/);
  if (!sunday) {
    assert.match(await page.locator('.day-today h2').innerText(), /오늘/);
    await inspect(page, '10-calendar');
  }
  // Next week: another range; "this week" comes back to this one.
  await page.goto('/calendar');
  await range.locator('.muted').waitFor();
  const thisWeek = await range.innerText();
  await page.getByRole('button', { name: '다음 주' }).click();
  await page.waitForURL((u) => u.searchParams.get('week') === addDays(mondayOf(today), 7));
  await page.waitForFunction((t) => document.querySelector('.week-range')?.innerText !== t, thisWeek);
  assert.equal(await page.locator(`section[aria-labelledby="day-${addDays(mondayOf(today), 7)}"]`).count(), 1);
  await page.getByRole('button', { name: '이번 주' }).click();
  await page.waitForURL((u) => !u.searchParams.has('week'));
  await page.waitForFunction((t) => document.querySelector('.week-range')?.innerText === t, thisWeek);
  // The dong view lists the same follow-up too.
  await page.getByLabel('우리 동 전체').check();
  await page.getByRole('button', { name: '보기', exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get('view') === 'dong');
  if (!sunday) await day.locator('li', { hasText: target.number }).waitFor();
  assertNoProblems(page);
});

test('A district-wide supervisor: overdue per counselor on Today, and a dong filter on Cases', async () => {
  const sup = await newPage(browser, server.url);
  const supApi = await apiSession(server.url, 'district.supervisor');
  await signIn(sup, 'district.supervisor', { expectHome: '/today' });
  const perOwner = sup.getByRole('heading', { name: /담당자별 기한 지난 일 \(구 전체\)/ });
  await perOwner.waitFor();
  const overdue = await supApi.get('/work/overdue');
  assert.match(await perOwner.innerText(), new RegExp(`${overdue.items.length}건`));
  await sup.goto('/cases');
  await sup.getByLabel('동', { exact: true }).selectOption({ label: '망원1동' });
  await sup.getByRole('button', { name: '조회', exact: true }).click();
  await sup.waitForURL((u) => u.searchParams.has('dong_id'));
  await sup.waitForFunction(() => {
    const rows = [...document.querySelectorAll('table tbody tr')];
    return rows.length > 0 && rows.every((r) => r.textContent.includes('망원1동'));
  });
  assert.match(await sup.locator('table tbody').innerText(), /2026-망원1-/);
  assert.doesNotMatch(await sup.locator('table tbody').innerText(), /서교-/);
  // Other staff by name, not by number (GET /staff).
  await sup.locator('table tbody').getByText('박망원').first().waitFor();
  assert.doesNotMatch(await sup.locator('table tbody').innerText(), /직원 #\d/);
  assertNoProblems(sup);
  await sup.context().close();
});

test('"더 보기" pages through a long list and moves the focus to the first new row', async () => {
  const before = (await api.get('/cases?limit=200')).items.length;
  const extra = 51 - before;
  for (let i = 0; i < extra; i++) {
    await api.post('/cases', {
      channel: 'third_party',
      reporter: { kind: 'third_party', name: '이웃 주민', relation: '이웃', contact: '010-2000-0100' },
      primary_category: 'welfare',
      summary: `페이지 확인용 제보 ${i + 1}: 옆집에 며칠째 인기척이 없습니다.`,
      follow_up: { kind: 'home_visit' },
    });
  }
  const total = before + extra;
  await page.goto('/cases');
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 50);
  await page.getByText(/50건을 보여 드립니다 · 더 있습니다/).waitFor();
  await page.getByRole('button', { name: '더 보기' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('table tbody tr').length === n, total);
  const focused = await page.evaluate(() => document.activeElement?.closest('tr')?.rowIndex);
  assert.equal(focused, 51, 'the focus is on the first row that came in');
  assert.equal(await page.getByRole('button', { name: '더 보기' }).count(), 0);
  // Newest first, and no row twice.
  const numbers = await page.locator('table tbody th a').allInnerTexts();
  assert.equal(new Set(numbers).size, total);
  assertNoProblems(page);
});
