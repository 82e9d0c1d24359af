// 관리: the administrator creates a counselor account (temporary password shown
// once, changed at first sign-in in a second browser), deactivates it (the
// sign-in then fails), adds a sub-category, adds and changes an agency, changes a statutory
// deadline, adds a holiday, finds the new user's sign-in in the access
// records and opens the monthly review, and retrains the triage model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, apiSession, NEW_PASSWORD } from './support/server.mjs';
import { launch, newPage, signIn, inspect, checkA11y, assertNoProblems } from './support/browser.mjs';

let server;
let browser;
let admin; // the browser page of the administrator, kept across the tests
let adminApi;
const LOGIN = 'mangwon1.lee';
const NAME = '이망원';

before(async () => {
  server = await startServer();
  browser = await launch();
  adminApi = await apiSession(server.url, 'admin');
  admin = await newPage(browser, server.url);
  await signIn(admin, 'admin', { expectHome: '/admin' });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signInAs(login, password) {
  const page = await newPage(browser, server.url);
  await page.goto('/');
  await page.getByLabel('아이디').fill(login);
  await page.getByLabel('비밀번호', { exact: true }).fill(password);
  await page.getByRole('button', { name: '로그인' }).click();
  return page;
}

test('admin creates a counselor for 망원1동 who signs in with the temporary password and must change it', async () => {
  await admin.getByRole('heading', { name: '관리 · 사용자', level: 1 }).waitFor();
  await admin.locator('tr[data-login="seogyo.counselor"]').waitFor();
  await inspect(admin, '12-admin-users');

  await admin.getByRole('button', { name: '새 계정 만들기' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('아이디').waitFor();
  await checkA11y(admin, 'new-account dialog');
  await dialog.getByLabel('아이디').fill(LOGIN);
  await dialog.getByLabel('이름', { exact: true }).fill(NAME);
  await dialog.getByLabel('역할').selectOption({ label: '상담 전담직원' });
  await dialog.getByLabel('소속 동').selectOption({ label: '망원1동' });
  await dialog.getByRole('button', { name: '계정 만들기' }).click();
  await dialog.getByRole('heading', { name: '계정을 만들었습니다' }).waitFor();
  const temporary = (await dialog.locator('#temp-password').innerText()).trim();
  assert.match(temporary, /^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
  assert.match(await dialog.innerText(), /한 번만 보입니다/);
  await dialog.getByRole('button', { name: /닫기/ }).click();
  const row = admin.locator(`tr[data-login="${LOGIN}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /이망원[\s\S]*상담 전담직원[\s\S]*망원1동[\s\S]*사용 중/);
  // Shown once: the password is not on the screen any more.
  assert.equal(await admin.getByText(temporary).count(), 0);
  const created = (await adminApi.get('/users')).items.find((u) => u.login === LOGIN);
  assert.equal(created.role, 'counselor');
  assert.equal(created.must_change_password, true);

  // The new counselor, in a second browser, must change the password first.
  const page = await signInAs(LOGIN, temporary);
  await page.getByRole('heading', { name: '비밀번호 변경' }).waitFor();
  await page.getByLabel('현재 비밀번호').fill(temporary);
  await page.getByLabel('새 비밀번호', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('새 비밀번호 확인').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '비밀번호 변경' }).click();
  await page.locator('header.top').waitFor();
  assert.match(await page.locator('header.top').innerText(), /이망원/);
  assertNoProblems(page);
  await page.context().close();
  assertNoProblems(admin);
});

test('admin deactivates the account and its sign-in then fails', async () => {
  const row = admin.locator(`tr[data-login="${LOGIN}"]`);
  await row.getByRole('button', { name: /변경/ }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('이 계정으로 로그인할 수 있음').waitFor();
  await checkA11y(admin, 'change-account dialog');
  // Meanwhile another administrator renames the account: the first save is
  // refused as stale, the change typed here stays, the second save goes through.
  const id = (await adminApi.get('/users')).items.find((u) => u.login === LOGIN).id;
  await adminApi.patch(`/users/${id}`, { display_name: '이망원 주무관' });
  await dialog.getByLabel('이 계정으로 로그인할 수 있음').uncheck();
  await dialog.getByRole('button', { name: '저장' }).click();
  await dialog.getByRole('alert').filter({ hasText: '다른 관리자가 이 계정을 바꿨습니다' }).waitFor();
  assert.equal(await dialog.getByLabel('이 계정으로 로그인할 수 있음').isChecked(), false, 'the typed change is kept');
  await dialog.getByRole('button', { name: '저장' }).click();
  await admin.getByRole('status').filter({ hasText: '저장했습니다' }).waitFor();
  await row.filter({ hasText: '사용 중지' }).waitFor();
  const user = (await adminApi.get('/users')).items.find((u) => u.login === LOGIN);
  assert.equal(user.active, false);

  const page = await signInAs(LOGIN, NEW_PASSWORD);
  await page.getByRole('alert').waitFor();
  assert.equal(await page.locator('header.top').count(), 0, 'not signed in');
  await page.context().close();
  assertNoProblems(admin);
});

test('admin adds an agency to the directory and changes it', async () => {
  await admin.getByRole('navigation', { name: '관리 메뉴' }).getByRole('link', { name: '연계 기관' }).click();
  await admin.getByRole('heading', { name: '관리 · 연계 기관', level: 1 }).waitFor();
  await admin.getByRole('rowheader', { name: '서민금융통합지원센터' }).waitFor();
  await inspect(admin, '13-admin-agencies');

  await admin.getByRole('button', { name: '기관 추가' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('기관명').waitFor();
  await checkA11y(admin, 'new-agency dialog');
  await dialog.getByLabel('기관명').fill('마포 푸드뱅크');
  await dialog.getByLabel('외부 기관').check();
  await dialog.getByLabel('복지', { exact: true }).check();
  await dialog.getByLabel('연락처').fill('데모 02-000-2001');
  await dialog.getByLabel('응답 기한 (시간)').fill('48');
  await dialog.getByRole('button', { name: '저장' }).click();
  const row = admin.getByRole('row', { name: /마포 푸드뱅크/ });
  await row.waitFor();
  assert.match(await row.innerText(), /외부 기관[\s\S]*복지[\s\S]*데모 02-000-2001[\s\S]*2일 \(48시간\)/);
  const agency = (await adminApi.get('/agencies')).items.find((a) => a.name === '마포 푸드뱅크');
  assert.deepEqual(agency.categories, ['welfare']);
  assert.equal(agency.response_hours, 48);

  // Changed through PATCH /agencies/{id} (with the version it was based on).
  await row.getByRole('button', { name: /변경/ }).click();
  await dialog.getByLabel('응답 기한 (시간)').waitFor();
  assert.equal(await dialog.getByLabel('기관명').inputValue(), '마포 푸드뱅크', 'the form starts from the stored values');
  await dialog.getByLabel('응답 기한 (시간)').fill('24');
  await dialog.getByLabel('보건·의료', { exact: true }).check();
  await dialog.getByRole('button', { name: '저장' }).click();
  await admin.getByRole('status').filter({ hasText: '마포 푸드뱅크 정보를 저장했습니다.' }).waitFor();
  const changedRow = admin.getByRole('row', { name: /마포 푸드뱅크/ });
  await changedRow.filter({ hasText: '1일 (24시간)' }).waitFor();
  const cells = await changedRow.locator('td').allInnerTexts();
  assert.equal(cells[0], '외부 기관');
  assert.deepEqual(cells[1].split(', ').sort(), ['보건·의료', '복지'].sort());
  assert.deepEqual(cells.slice(2, 4), ['데모 02-000-2001', '1일 (24시간)']);
  const changed = (await adminApi.get('/agencies')).items.find((a) => a.id === agency.id);
  assert.equal(changed.response_hours, 24);
  assert.deepEqual([...changed.categories].sort(), ['health', 'welfare']);
  assert.equal(changed.version, agency.version + 1);
  assertNoProblems(admin);
});

test('admin adds a sub-category and it appears under its parent', async () => {
  await admin.getByRole('navigation', { name: '관리 메뉴' }).getByRole('link', { name: '상담 분야' }).click();
  await admin.getByRole('heading', { name: '관리 · 상담 분야', level: 1 }).waitFor();
  await admin.getByRole('rowheader', { name: '이웃 분쟁' }).waitFor();
  assert.equal(await admin.locator('#categories-table tbody tr').count(), 16);
  await inspect(admin, '14-admin-categories');

  await admin.getByLabel('상위 분야').selectOption({ label: '복지' });
  await admin.getByLabel('코드').fill('emergency_support');
  await admin.getByLabel('한국어 이름').fill('긴급지원');
  await admin.getByLabel('영어 이름 (선택)').fill('Emergency support');
  await admin.getByRole('button', { name: '추가', exact: true }).click();
  await admin.getByRole('status').filter({ hasText: 'welfare.emergency_support' }).waitFor();
  const welfare = admin.getByRole('row', { name: /^복지/ });
  await welfare.filter({ hasText: '긴급지원' }).waitFor();
  const categories = (await adminApi.get('/categories')).items;
  assert.deepEqual(
    categories.find((c) => c.code === 'welfare').subcategories.map((s) => s.code),
    ['welfare.emergency_support'],
  );
  // A bad code is explained beside the field, and what was typed stays.
  await admin.getByLabel('상위 분야').selectOption({ label: '주거' });
  await admin.getByLabel('코드').fill('Bad Code!');
  await admin.getByLabel('한국어 이름').fill('임대 분쟁');
  await admin.getByRole('button', { name: '추가', exact: true }).click();
  await admin.getByRole('alert').waitFor();
  assert.match(await admin.locator('.field-invalid').innerText(), /영문 소문자/);
  assert.equal(await admin.getByLabel('한국어 이름').inputValue(), '임대 분쟁');
  assertNoProblems(admin);
});

test('admin changes a statutory deadline and adds a holiday', async () => {
  await admin.getByRole('navigation', { name: '관리 메뉴' }).getByRole('link', { name: '기한·공휴일' }).click();
  await admin.getByRole('heading', { name: '관리 · 기한·공휴일', level: 1 }).waitFor();
  await admin.locator('#clock-rules tr[data-category="housing"]').waitFor();
  await admin.locator('#holidays-table').waitFor();
  await inspect(admin, '15-admin-settings');

  const housing = admin.locator('#clock-rules tr[data-category="housing"]');
  await housing.getByRole('button', { name: /변경/ }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('답변 기한 (근무일)').fill('10');
  await dialog.getByLabel('연장 가능 (근무일)').fill('5');
  await dialog.getByRole('button', { name: '저장' }).click();
  await admin.getByRole('status').filter({ hasText: '주거의 기한을 저장했습니다' }).waitFor();
  await housing.locator('td').first().filter({ hasText: /^10$/ }).waitFor();
  const rule = (await adminApi.get('/clock-rules')).items.find((r) => r.category === 'housing');
  assert.equal(rule.answer_working_days, 10);
  assert.equal(rule.extension_working_days, 5);

  await admin.getByLabel('날짜').fill('2026-11-19');
  await admin.getByLabel('이름', { exact: true }).fill('마포구민의 날 (시험)');
  await admin.getByRole('button', { name: '추가', exact: true }).click();
  await admin.getByRole('status').filter({ hasText: '공휴일로 저장했습니다' }).waitFor();
  const row = admin.locator('#holidays-table tr[data-date="2026-11-19"]');
  await row.waitFor();
  assert.match(await row.innerText(), /마포구민의 날 \(시험\)/);
  assert.ok((await adminApi.get('/holidays')).items.some((h) => h.date === '2026-11-19' && h.name === '마포구민의 날 (시험)'));

  // Removing asks first.
  await row.getByRole('button', { name: /삭제/ }).click();
  await admin.getByRole('dialog').getByRole('button', { name: '삭제' }).click();
  await admin.getByRole('status').filter({ hasText: '공휴일에서 뺐습니다' }).waitFor();
  // The list is read again after the removal: the row goes.
  await row.waitFor({ state: 'detached' });
  assert.ok(!(await adminApi.get('/holidays')).items.some((h) => h.date === '2026-11-19'));
  assertNoProblems(admin);
});

test("admin finds the new user's sign-in in the access records and opens the monthly review", async () => {
  await admin.getByRole('navigation', { name: '관리 메뉴' }).getByRole('link', { name: '접속기록' }).click();
  await admin.getByRole('heading', { name: '관리 · 접속기록', level: 1 }).waitFor();
  await admin.getByLabel('사용자').selectOption({ label: `${NAME} (${LOGIN})` });
  await admin.getByLabel('작업').selectOption('login');
  await admin.getByRole('button', { name: '검색', exact: true }).click();
  await admin.getByRole('status').filter({ hasText: /건을 보여 줍니다/ }).waitFor();
  const rows = admin.locator('#access-records tbody tr');
  assert.ok((await rows.count()) >= 1);
  for (const text of await rows.allInnerTexts()) {
    assert.match(text, new RegExp(`${NAME} \\(${LOGIN}\\)[\\s\\S]*상담 전담직원[\\s\\S]*로그인[\\s\\S]*허용`));
  }

  await admin.getByRole('button', { name: '점검하기' }).click();
  await admin.getByRole('status').filter({ hasText: /기록 \d+건, 사용자 \d+명/ }).waitFor();
  const review = admin.locator('#access-review');
  await review.getByRole('rowheader', { name: `${NAME} (${LOGIN})` }).waitFor();
  await admin.getByRole('heading', { name: '주의 표시의 뜻' }).waitFor();
  assert.match(await admin.locator('.admin-flag-list').innerText(), /관할 밖 열람[\s\S]*소속 동이 아닌 곳/);
  await inspect(admin, '16-admin-access-records');
  assertNoProblems(admin);
});

test('admin retrains the triage model; the new model is in use and its held-out figures are shown', async () => {
  await admin.getByRole('navigation', { name: '관리 메뉴' }).getByRole('link', { name: '분류 모델' }).click();
  await admin.getByRole('heading', { name: '관리 · 분류 모델', level: 1 }).waitFor();
  const facts = admin.locator('.admin-facts');
  await facts.getByText('키워드 규칙 (학습된 모델 없음)').waitFor();
  assert.match(await admin.locator('#triage-corrections').innerText(), /^\d+건$/);
  await admin.getByText('아직 재학습한 적이 없습니다.').waitFor();

  await admin.getByRole('button', { name: '수정 사례로 재학습' }).click();
  const last = admin.locator('#triage-last');
  // Running first (the button waits), then the new model: polled, no reload needed.
  await last.getByText('새 모델 적용').waitFor({ timeout: 90000 });
  assert.equal(await admin.getByRole('button', { name: '수정 사례로 재학습' }).isDisabled(), false);
  const version = (await facts.locator('code').innerText()).trim();
  assert.match(version, /^v1-[0-9a-f]{8}$/);
  assert.match(await last.innerText(), new RegExp(version));
  const figures = admin.locator('#triage-figures');
  const recall = figures.getByRole('row', { name: /위기 문장 찾아냄/ });
  // The held-out crisis file: every crisis line caught (the acceptance floor of the classifier).
  const [caught, total] = (await recall.locator('td').first().innerText()).match(/\((\d+)\/(\d+)\)/).slice(1).map(Number);
  assert.ok(total > 0);
  assert.equal(caught, total);
  const top3 = Number((await figures.getByRole('row', { name: /3순위 안/ }).locator('td').first().innerText()).replace('%', ''));
  assert.ok(top3 >= 90, `held-out top-3 ${top3}%`);

  // The read of the corrections is in the access records, with its purpose.
  const records = await adminApi.get('/access-records?target_type=triage_corrections');
  assert.equal(records.items[0].purpose, 'triage retraining');
  // Counselors' triage now answers from the new model.
  const answer = await adminApi.post('/triage', { text: '전세 보증금을 집주인이 안 돌려줘요' });
  assert.equal(answer.model, version);
  await inspect(admin, '17-admin-triage');
  assertNoProblems(admin);
});
