// 복지 사각지대 발굴: agencies' files (a synthetic district from `caredesk screen
// simulate`) are imported with the CLI; the district-wide supervisor runs the
// screening from the web app (a refused capacity is explained, a preview opens
// nothing), opens the run, reads why a household was listed and records what
// the contact found (a missing reason is explained); the funnel moves. A dong
// counselor sees only her dong's list and no run form; a household already
// under management has no outcome control.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, apiSession, repoDir } from './support/server.mjs';
import { launch, newPage, signIn, checkA11y, inspect, assertNoProblems } from './support/browser.mjs';

let server;
let browser;
let dongsWithHouseholds;
before(async () => {
  server = await startServer();
  browser = await launch();
  const bin = process.env.CAREDESK_BIN ?? path.join(repoDir, 'build', 'caredesk');
  const env = { ...process.env, CAREDESK_LOG_LEVEL: 'warn' };
  const sim = path.join(server.dir, 'sim');
  execFileSync(bin, ['screen', 'simulate', '--households', '3000', '--seed', '5', '--out-dir', sim], { env, stdio: 'pipe' });
  execFileSync(
    bin,
    [
      'screen',
      'import',
      '--households',
      path.join(sim, 'households.csv'),
      '--indicators',
      path.join(sim, 'indicators.csv'),
      '--database-url',
      `sqlite://${server.dir}/caredesk.db`,
      '--key-file',
      `${server.dir}/caredesk.key`,
    ],
    { env, stdio: 'pipe' },
  );
  // household_id,dong,head_birth_year,…: the dongs that have households.
  const rows = readFileSync(path.join(sim, 'households.csv'), 'utf8').trim().split('\n').slice(1);
  dongsWithHouseholds = new Set(rows.map((r) => r.split(',')[1])).size;
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const funnelStep = (page, step, n) =>
  page.locator(`#screening-funnel li[data-step="${step}"] .sc-step-n`, { hasText: new RegExp(`^${n}$`) }).waitFor();

test('the district supervisor runs the screening and records outcomes; a dong counselor sees only her dong', async () => {
  const supervisorApi = await apiSession(server.url, 'district.supervisor');
  const page = await newPage(browser, server.url);
  await signIn(page, 'district.supervisor');
  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '발굴', exact: true }).click();
  await page.getByRole('heading', { name: '복지 사각지대 발굴', level: 1 }).waitFor();
  await page.getByText('아직 선별을 실행하지 않았습니다.').waitFor();

  // A capacity out of range: the server's words beside the field.
  const capacity = page.getByLabel('동마다 발굴할 가구 수');
  assert.equal(await capacity.inputValue(), '10');
  await capacity.fill('0');
  await page.getByRole('button', { name: '선별 실행', exact: true }).click();
  await page.locator('.field-invalid').getByText('1~1000 사이의 값이어야 합니다.').waitFor();

  // A preview stores nothing.
  await capacity.fill('3');
  await page.getByRole('button', { name: '미리 보기' }).click();
  const expected = 3 * dongsWithHouseholds;
  await page.getByText(`${expected}가구가 발굴 대상에 오릅니다`).waitFor();
  assert.equal((await supervisorApi.get('/screening/runs')).items.length, 0);

  await page.getByRole('button', { name: '선별 실행', exact: true }).click();
  await page.getByText(`${expected}가구를 발굴 대상으로 올리고 찾아가는 상담 건 ${expected}건을 열었습니다.`).waitFor();
  const row = page.locator('#screening-runs tbody tr').first();
  assert.equal(await row.locator('[data-col="listed"]').innerText(), String(expected));
  assert.equal(await row.locator('[data-col="cases_created"]').innerText(), String(expected));
  assert.equal(await row.locator('[data-col="under_management"]').innerText(), '0');
  await page.getByText(/선별 기준 보기/).click();
  await page.getByRole('table', { name: '위기 정보별 점수' }).getByRole('rowheader', { name: '건강보험료' }).waitFor();
  await checkA11y(page, 'the screening runs');

  // The run: the whole district's funnel, a dong's list.
  await page.getByRole('link', { name: '이번 선별 결과 보기' }).click();
  await page.getByRole('heading', { name: '발굴 결과 #1', level: 1 }).waitFor();
  await page.getByRole('heading', { name: '진행 상황 · 구 전체' }).waitFor();
  await funnelStep(page, 'flagged', expected);
  await funnelStep(page, 'contacted', 0);
  await page.getByLabel('동', { exact: true }).selectOption({ label: '서교동' });
  await page.getByRole('heading', { name: '발굴 대상 목록 · 서교동' }).waitFor();
  const flags = page.locator('li.sc-flag');
  await flags.first().waitFor();
  assert.equal(await flags.count(), 3);
  const first = flags.nth(0);
  const second = flags.nth(1);
  assert.match(await first.locator('h3').innerText(), /^1순위\s+가구 H\d{7}$/);
  assert.match(await first.locator('.sc-facts').innerText(), /가구주 \d+세/);
  assert.match(await first.getByRole('link', { name: /찾아가는 상담 건 보기/ }).getAttribute('href'), /^\/cases\/\d+$/);
  await first.getByText(/점수 근거 보기/).click();
  await first.getByRole('table').getByText(/서로 다른 위기 영역 \d개/).waitFor();

  // 지원 불필요 without a reason is explained; with one it is saved.
  await first.getByRole('radio', { name: '지원 불필요' }).check();
  await first.getByRole('button', { name: /결과 저장/ }).click();
  await first.locator('.field-invalid').getByText('지원이 필요 없는 사유를 고르세요.').waitFor();
  await first.getByLabel('지원이 필요 없는 사유').selectOption({ label: '상황 회복' });
  await first.getByRole('button', { name: /결과 저장/ }).click();
  await first.getByText('저장했습니다.').waitFor();
  await first.locator('.sc-outcome-done').getByText('상황 회복').waitFor();

  // 지원 연계 needs to say which support.
  await second.getByRole('radio', { name: '지원 연계' }).check();
  await second.getByRole('button', { name: /결과 저장/ }).click();
  await second.getByText('어떤 지원을 연계했는지 쓰세요.').first().waitFor();
  await second.getByLabel('어떤 지원을 연계했나요?').fill('긴급지원 생계비, 마포 푸드뱅크');
  await second.getByRole('button', { name: /결과 저장/ }).click();
  await second.getByText('저장했습니다.').waitFor();
  await second.locator('.sc-outcome-done').getByText('긴급지원 생계비, 마포 푸드뱅크').waitFor();

  await funnelStep(page, 'contacted', 2);
  await funnelStep(page, 'linked', 1);
  await funnelStep(page, 'outcome', 2);
  await page.getByText('발굴 대상 3가구 · 결과 기록 2가구 · 이미 관리 중 0가구').waitFor();

  const seogyo = (await supervisorApi.get('/dongs')).items.find((d) => d.name === '서교동');
  const stored = (await supervisorApi.get(`/screening/runs/1/flags?dong_id=${seogyo.id}`)).items;
  assert.deepEqual(
    stored.map((f) => [f.outcome, f.no_need_reason, f.outcome_detail]),
    [
      ['no_need', 'recovered', ''],
      ['support_linked', '', '긴급지원 생계비, 마포 푸드뱅크'],
      [null, '', ''],
    ],
  );
  await inspect(page, '21-screening-run');
  assertNoProblems(page);
  await page.context().close();

  // A second run: households with an open case are shown apart, with no outcome control.
  const again = await supervisorApi.post('/screening/runs', { capacity_per_dong: 3 });
  assert.ok(again.run.under_management > 0, JSON.stringify(again.run));

  // The dong counselor: her dong only, no run form, no dong picker.
  const counselor = await newPage(browser, server.url);
  await signIn(counselor, 'seogyo.counselor');
  await counselor.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '발굴', exact: true }).click();
  await counselor.locator('#screening-runs tbody tr').nth(1).waitFor();
  assert.equal(await counselor.getByRole('button', { name: '선별 실행' }).count(), 0);
  assert.equal(await counselor.getByLabel('동마다 발굴할 가구 수').count(), 0);
  await counselor.getByRole('link', { name: /^#1 · / }).click();
  await counselor.getByRole('heading', { name: '발굴 대상 목록 · 서교동' }).waitFor();
  await counselor.getByRole('heading', { name: '진행 상황 · 서교동' }).waitFor();
  assert.equal(await counselor.getByLabel('동', { exact: true }).count(), 0);
  await counselor.locator('li.sc-flag').first().waitFor();
  assert.deepEqual(
    await counselor.locator('li.sc-flag').evaluateAll((els) => els.map((e) => e.dataset.household)),
    stored.map((f) => f.household_id),
  );
  await funnelStep(counselor, 'flagged', 3);
  await funnelStep(counselor, 'contacted', 2);
  await counselor.locator('li.sc-flag').nth(1).getByText('긴급지원 생계비, 마포 푸드뱅크').waitFor();
  // Each household's outreach case is one click away.
  await counselor.locator('li.sc-flag').nth(2).getByRole('link', { name: /찾아가는 상담 건 보기/ }).click();
  await counselor.waitForURL(`**/cases/${stored[2].case_id}`);
  await counselor.getByRole('heading', { level: 1, name: /서교-\d{6}/ }).waitFor();
  await counselor.getByText('찾아가는 발굴').first().waitFor();
  const mine = (await (await apiSession(server.url, 'seogyo.counselor')).get('/screening/runs/2/flags')).items;
  assert.ok(mine.length > 0 && mine.every((f) => f.dong_id === seogyo.id));

  await counselor.goto('/screening/2');
  await counselor.getByRole('heading', { name: '발굴 대상 목록 · 서교동' }).waitFor();
  await counselor.locator('li.sc-flag').first().waitFor();
  const managed = counselor.locator('li.sc-state-under_management');
  assert.equal(await managed.count(), mine.filter((f) => f.state === 'under_management').length);
  assert.ok((await managed.count()) > 0, 'seogyo has a household under management in the second run');
  await managed.first().getByText('이미 관리 중', { exact: true }).waitFor();
  assert.equal(await managed.first().getByRole('radio').count(), 0);
  assert.equal(await managed.first().getByRole('button', { name: /결과 저장/ }).count(), 0);
  await checkA11y(counselor, 'a dong outreach list');
  assertNoProblems(counselor);
  await counselor.context().close();

  // At 200% zoom the run page reflows without scrolling sideways.
  const zoomed = await newPage(browser, server.url, { viewport: { width: 683, height: 384 } });
  await signIn(zoomed, 'seogyo.counselor');
  await zoomed.goto('/screening/1');
  await zoomed.locator('li.sc-flag').first().waitFor();
  const overflow = await zoomed.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the run page scrolls sideways by ${overflow}px at 200% zoom`);
  await checkA11y(zoomed, 'a screening run at 200%');
  assertNoProblems(zoomed);
  await zoomed.context().close();
});
