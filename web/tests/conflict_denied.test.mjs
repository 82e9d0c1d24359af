// Two staff editing the same case (the stale edit is explained, nothing typed
// is lost, reload-and-re-apply saves both changes), and a counselor of another
// dong who opens a 서교동 case URL (a calm denied page, no personal data).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, apiSession } from './support/server.mjs';
import { launch, newPage, signIn, inspect, assertNoProblems } from './support/browser.mjs';

let server;
let browser;
let counselorApi;
before(async () => {
  server = await startServer();
  browser = await launch();
  counselorApi = await apiSession(server.url, 'seogyo.counselor');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('two users change the same case: the second sees the conflict, keeps the text, re-applies', async () => {
  const created = await counselorApi.post('/cases', {
    channel: 'phone',
    primary_category: 'housing',
    summary: '겨울마다 보일러가 자주 고장 나서 집이 춥습니다.',
    resident: { name: '문난방', birth_date: '1950-01-15', phone: '010-3100-0001' },
    confirm_new_resident: true,
    follow_up: { kind: 'counseling' },
  });
  const counselor = await newPage(browser, server.url);
  const manager = await newPage(browser, server.url);
  await signIn(counselor, 'seogyo.counselor');
  await signIn(manager, 'seogyo.casemanager');
  const heading = `상담 ${created.number}`;
  await counselor.goto(`/cases/${created.id}`);
  await manager.goto(`/cases/${created.id}`);
  await counselor.getByRole('heading', { level: 1, name: heading }).waitFor();
  await manager.getByRole('heading', { level: 1, name: heading }).waitFor();

  // Both open the edit form on the same version.
  await counselor.getByRole('button', { name: '내용 수정' }).click();
  await manager.getByRole('button', { name: '내용 수정' }).click();

  // The counselor raises the urgency and saves first.
  await counselor.locator('form.case-edit').getByRole('radio', { name: '긴급' }).check();
  await counselor.locator('form.case-edit').getByRole('button', { name: '저장' }).click();
  await counselor.getByText('저장했습니다.').waitFor();
  await counselor.locator('.case-badges').getByText('긴급').waitFor();

  // The case manager, still on the old version, rewrites the summary.
  const mine = '보일러 교체 지원(주거 개선)을 신청하기로 했습니다. 집주인 동의 필요.';
  const edit = manager.locator('form.case-edit');
  await edit.getByRole('textbox', { name: '상담 내용' }).fill(mine);
  await edit.getByRole('button', { name: '저장' }).click();
  const alert = edit.getByRole('alert');
  await alert.getByText(/다른 직원이 먼저 이 상담을 수정했습니다/).waitFor();
  // The other person's current values are shown …
  await alert.getByText('지금 저장되어 있는 내용 (다른 직원이 바꾼 값)').waitFor();
  assert.match(await alert.locator('.case-theirs').innerText(), /긴급도\s*긴급/);
  // … and what this user typed is still in the form.
  assert.equal(await edit.getByRole('textbox', { name: '상담 내용' }).inputValue(), mine);
  await inspect(manager, '05c-case-conflict');

  // Reload and re-apply: saved on top of the counselor's change.
  await alert.getByRole('button', { name: '새로 불러와 다시 적용' }).click();
  await manager.getByText('최신 내용을 불러와 내가 바꾼 항목만 다시 적용해 저장했습니다.').waitFor();
  await manager.locator('.case-summary').first().getByText(mine).waitFor();
  await manager.locator('.case-badges').getByText('긴급').waitFor();

  const onServer = await counselorApi.get(`/cases/${created.id}`);
  assert.equal(onServer.urgency, 'urgent', "the counselor's change is kept");
  assert.equal(onServer.summary, mine, "the case manager's change is saved");
  assert.equal(await manager.evaluate((id) => sessionStorage.getItem(`caredesk.draft.case.${id}.edit`), created.id), null);
  assertNoProblems(counselor);
  assertNoProblems(manager);
  await counselor.context().close();
  await manager.context().close();
});

test('a counselor of another dong opening a 서교동 case sees a calm denied page and no personal data', async () => {
  const list = await counselorApi.get('/cases?limit=200');
  const noise = list.items.find((c) => c.primary_category === 'neighbour_dispute');
  assert.ok(noise, 'the demo 층간소음 case of 서교동');
  const page = await newPage(browser, server.url);
  await signIn(page, 'mangwon1.counselor');
  await page.goto(`/cases/${noise.id}`);
  await page.getByRole('heading', { level: 1, name: '상담을 열 수 없습니다' }).waitFor();
  const text = await page.locator('body').innerText();
  assert.match(text, /이 상담을 볼 권한이 없거나 없는 상담입니다/);
  for (const secret of ['이소음', '이*음', '2000-0001', '층간소음', noise.number]) {
    assert.ok(!text.includes(secret), `the page does not show ${secret}`);
  }
  await page.getByRole('link', { name: '상담 목록으로' }).waitFor();
  await inspect(page, '05d-case-denied');
  assertNoProblems(page);
  await page.context().close();
});
