// The Intake and Case journeys: a walk-in registered by keyboard and worked
// to closure; the duplicate-resident warning; a third-party report whose
// resident stays masked until shown with a reason that lands in the access records;
// an escalation to the dong’s case manager, chosen by name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, apiSession } from './support/server.mjs';
import path from 'node:path';
import { launch, newPage, signIn, inspect, assertNoProblems, screenshot, screenshotDir } from './support/browser.mjs';

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

const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return {};
    const labelled = el.id ? document.querySelector(`label[for="${el.id}"]`) : el.closest('label');
    return {
      tag: el.tagName,
      type: el.getAttribute('type') ?? '',
      value: el.value ?? '',
      label: (labelled?.textContent ?? el.textContent ?? '').replace(/\s+/g, ' ').trim(),
    };
  });

async function openIntake(page) {
  await page.getByRole('navigation').getByRole('link', { name: '상담 접수', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '상담 접수' }).waitFor();
  await page.getByRole('radio', { name: '방문' }).waitFor();
}

async function caseCount() {
  const r = await counselorApi.get('/cases?limit=200');
  return r.items.length;
}

test('walk-in intake by keyboard, worked to closure', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await openIntake(page);

  // Focus starts on the heading; Tab walks the form in reading order.
  assert.equal((await focused(page)).tag, 'H1');
  await page.keyboard.press('Tab');
  let f = await focused(page);
  assert.deepEqual([f.tag, f.type, f.value], ['INPUT', 'radio', 'visit'], 'first: the channel (visit)');
  await page.keyboard.press('Tab');
  f = await focused(page);
  assert.equal(f.label, '이름', 'then the resident’s name');
  await page.keyboard.type('한새봄');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).label, '생년월일');
  await page.keyboard.type('19580704');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).label, '전화번호');
  await page.keyboard.type('010-3000-1001');
  await page.keyboard.press('Enter'); // searches, does not submit
  await page.getByRole('heading', { name: '찾은 주민 (0)' }).waitFor();
  assert.equal((await focused(page)).tag, 'H3', 'focus moves to the results');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).label, '새 주민으로 등록');
  await page.keyboard.press('Enter');
  // The new resident's fields, filled from the search, focus on the name.
  f = await focused(page);
  assert.deepEqual([f.label.replace(/\s*\*$/, ''), f.value], ['이름', '한새봄']);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).value, '1958-07-04');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).value, '010-3000-1001');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).label, '주소');
  await page.keyboard.type('서울 마포구 서교로 10');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).label, '동', 'the dong, preset to the counselor’s');
  assert.equal(await page.getByLabel('동', { exact: true }).locator('option:checked').innerText(), '서교동');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).label, '진행 안내 문자', 'how the resident wants to hear back');
  assert.equal((await focused(page)).value, 'sms');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).label, '1인 가구 (혼자 삶)');
  await page.keyboard.press('Space');

  await page.getByLabel('무엇이 어려우신가요').focus();
  await page.keyboard.type('무릎 수술 뒤 혼자 지내시는데 식사를 잘 못 챙기십니다.');
  await page.getByLabel('주 분야').selectOption('welfare');
  await page.getByLabel('상담 내용 기록').focus();
  await page.keyboard.type('도시락 배달 안내. 매주 안부 전화 드리기로 함.');

  // No next step yet: the form says so, and nothing is saved.
  const before = await caseCount();
  await page.getByRole('button', { name: '접수 저장' }).focus();
  await page.keyboard.press('Enter');
  const missing = page.getByText('다음 조치가 없습니다. 사후관리 일정을 잡거나 기관 연계를 선택해 주세요.').first();
  await missing.waitFor();
  assert.equal(await caseCount(), before, 'nothing saved without a next step');
  assert.match(page.url(), /\/intake$/);

  // A weekly welfare-check call as the next step (default: the next working day).
  await page.getByLabel('사후관리 일정 잡기').focus();
  await page.keyboard.press('Space');
  await page.getByLabel('무엇을').selectOption('welfare_check');
  assert.match(await page.getByLabel('언제까지').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
  await page.getByLabel('매주 반복').focus();
  await page.keyboard.press('Space');
  await inspect(page, '04-intake');
  await page.getByRole('button', { name: '접수 저장' }).focus();
  await page.keyboard.press('Enter');

  // The new case, with its number.
  await page.waitForURL(/\/cases\/\d+$/);
  const caseId = Number(page.url().match(/\/cases\/(\d+)$/)[1]);
  const notice = page.getByText(/상담을 접수했습니다\. 상담 번호: \d{4}-서교-\d{6}/);
  await notice.waitFor();
  const number = (await notice.innerText()).match(/\d{4}-서교-\d{6}/)[0];
  await page.getByRole('heading', { level: 1, name: `상담 ${number}` }).waitFor();
  assert.match(await page.locator('.case-next').innerText(), /안부 확인/);
  // The intake draft is gone.
  assert.equal(await page.evaluate(() => sessionStorage.getItem('caredesk.draft.intake')), null);

  // A further consultation.
  await page.getByRole('button', { name: '상담 기록 추가' }).click();
  let dialog = page.getByRole('dialog', { name: '상담 기록 추가' });
  await dialog.getByLabel('상담 방식').selectOption('call');
  await dialog.getByLabel('상담 내용').fill('전화로 도시락 배달 시작 확인.');
  await dialog.getByRole('button', { name: '상담 기록 추가' }).click();
  await page.getByText('상담 기록을 추가했습니다.').waitFor();
  await page.getByText('전화로 도시락 배달 시작 확인.').waitFor();

  // The welfare-check result: reached; the weekly check comes round again.
  await page.locator('.case-next').getByRole('button', { name: /결과 기록: 안부 확인/ }).click();
  dialog = page.getByRole('dialog', { name: '사후관리 결과 기록' });
  await dialog.getByLabel('연락됨', { exact: true }).check();
  await dialog.getByLabel('결과 메모 (선택)').fill('식사 잘 하고 계심.');
  await dialog.getByRole('button', { name: '사후관리 결과 기록' }).click();
  await page.getByText('결과를 기록했습니다.').waitFor();
  const rows = page.locator('section[aria-labelledby="case-followups"] tbody tr');
  await page.waitForFunction(() => document.querySelectorAll('section[aria-labelledby="case-followups"] tbody tr').length === 2);
  assert.match(await rows.nth(1).innerText(), /완료 · 연락됨/);
  await page.locator('.case-timeline').getByText('사후관리 결과: 안부 확인 — 연락됨').waitFor();
  await inspect(page, '05-case');

  // Resolved with a note; a resolution check is scheduled.
  await page.getByRole('button', { name: '해결 처리' }).click();
  dialog = page.getByRole('dialog', { name: '해결 처리' });
  await dialog.getByLabel('어떻게 해결되었나요').fill('도시락 배달과 주 1회 안부 전화로 안정되심.');
  await dialog.getByRole('button', { name: '해결 처리' }).click();
  await page.getByText('해결 처리했습니다.').waitFor();
  await page.locator('.case-badges').getByText('해결', { exact: true }).waitFor();

  // The resident confirms the resolution; then the case closes without a reason.
  await page.locator('.case-next').getByRole('button', { name: /결과 기록: 해결 확인/ }).click();
  dialog = page.getByRole('dialog', { name: '사후관리 결과 기록' });
  await dialog.getByLabel('해결됨', { exact: true }).check();
  await dialog.getByRole('button', { name: '사후관리 결과 기록' }).click();
  await page.getByText('결과를 기록했습니다.').waitFor();
  await page.getByRole('button', { name: '종결', exact: true }).click();
  dialog = page.getByRole('dialog', { name: '종결' });
  await dialog.getByText('주민이 해결을 확인했습니다. 종결할 수 있습니다.').waitFor();
  await dialog.getByRole('button', { name: '종결하기' }).click();
  await page.getByText('상담을 종결했습니다.').waitFor();
  await page.locator('.case-badges').getByText('종결', { exact: true }).waitFor();
  await page.locator('.case-timeline').getByText('종결 (해결 확인됨)').waitFor();

  const onServer = await counselorApi.get(`/cases/${caseId}`);
  assert.equal(onServer.status, 'closed');
  assert.equal(onServer.number, number);
  assert.equal(onServer.consultations.length, 2);
  assertNoProblems(page);
  await page.context().close();
});

test('a possible duplicate resident is offered instead of a second record', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await openIntake(page);
  await page.getByRole('button', { name: '새 주민으로 등록' }).click();
  await page.getByLabel('이름', { exact: false }).first().fill('이소음');
  await page.getByLabel('생년월일').fill('1971-05-12');
  await page.getByLabel('무엇이 어려우신가요').fill('층간소음이 다시 심해졌습니다.');
  await page.getByLabel('주 분야').selectOption('neighbour_dispute');
  await page.getByLabel('사후관리 일정 잡기').check();
  await page.getByRole('button', { name: '접수 저장' }).click();

  const warning = page.locator('.intake-dupes');
  await warning.getByRole('heading', { name: '이미 등록된 주민일 수 있습니다' }).waitFor();
  assert.match(await warning.innerText(), /이\*음/);
  assert.doesNotMatch(await page.locator('main').innerText(), /2000-0001/, 'the existing record stays masked');
  await screenshot(page, '04c-intake-duplicate');
  await warning.getByRole('button', { name: '이 주민으로 접수' }).first().click();
  await page.getByText(/선택한 주민:.*이\*음/).waitFor();
  await page.getByRole('button', { name: '접수 저장' }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  const caseId = Number(page.url().match(/\/cases\/(\d+)$/)[1]);

  const existing = await counselorApi.get('/residents?name=' + encodeURIComponent('이소음') + '&birth_date=1971-05-12');
  assert.equal(existing.items.length, 1, 'still one 이소음');
  const c = await counselorApi.get(`/cases/${caseId}`);
  assert.equal(c.resident_id, existing.items[0].id);
  assertNoProblems(page);
  await page.context().close();
});

test('a neighbour’s report: reporter shown, resident masked until shown with a recorded reason', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await openIntake(page);
  await page.getByRole('radio', { name: '제3자 신고' }).check();
  assert.equal(await page.getByRole('radio', { name: '다른 사람 (제3자)' }).isChecked(), true);
  await page.getByLabel('대상자와의 관계').fill('이웃');
  await page.getByLabel('신고자 이름 (선택)').fill('옆집 주민');
  await page.getByLabel('신고자 연락처 (선택)').fill('010-3000-2002');

  await page.getByRole('button', { name: '새 주민으로 등록' }).click();
  await page.getByLabel('이름', { exact: false }).first().fill('최고독');
  await page.getByLabel('생년월일').fill('1944-02-03');
  await page.getByLabel('전화번호').fill('010-3000-2003');
  await page.getByLabel('1인 가구 (혼자 삶)').check();
  await page.getByLabel('홀로 사는 어르신').check();
  await page
    .getByLabel('무엇이 어려우신가요')
    .fill('옆집 할아버지가 며칠째 보이지 않고 현관 앞에 우편물이 쌓여 있어요. 지난주에 죽고 싶다는 말씀도 하셨어요.');
  await page.getByLabel('주 분야').selectOption('welfare');
  await page.getByRole('radio', { name: '위기' }).check();
  const protocol = page.getByRole('region', { name: '위기 대응 절차' });
  await protocol.waitFor();
  assert.match(await protocol.innerText(), /1393[\s\S]*129[\s\S]*112[\s\S]*119/);
  await protocol.scrollIntoViewIfNeeded();
  await protocol.screenshot({ path: path.join(screenshotDir, '04b-intake-crisis.png') });
  await page.getByLabel('사후관리 일정 잡기').check();
  await page.getByLabel('무엇을').selectOption('home_visit');
  await page.getByRole('button', { name: '접수 저장' }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  const caseId = Number(page.url().match(/\/cases\/(\d+)$/)[1]);

  // The reporter is on the case; the resident is masked.
  const reporter = page.locator('section[aria-labelledby="case-reporter"]');
  await reporter.getByText('옆집 주민').waitFor();
  assert.match(await reporter.innerText(), /이웃[\s\S]*010-3000-2002/);
  const residentCard = page.locator('section[aria-labelledby="case-resident"]');
  await residentCard.getByText('최*독').waitFor();
  const masked = await page.locator('main').innerText();
  assert.doesNotMatch(masked, /최고독/);
  assert.doesNotMatch(masked, /3000-2003|30002003/);
  await page.getByRole('region', { name: '위기 대응 절차' }).waitFor();

  // "Show" asks for a reason, records it, then shows the data.
  await residentCard.getByRole('button', { name: '개인정보 보기' }).click();
  const dialog = page.getByRole('dialog', { name: '개인정보 보기' });
  await dialog.getByRole('button', { name: '사유 기록하고 보기' }).click();
  await dialog.getByText('열람 사유를 적어 주세요.').waitFor();
  await dialog.getByLabel('열람 사유').selectOption('visit');
  await dialog.getByRole('button', { name: '사유 기록하고 보기' }).click();
  await residentCard.getByText('최고독').waitFor();
  assert.match(await residentCard.innerText(), /010-3000-2003/);
  assert.match(await residentCard.innerText(), /열람 사유가 접속기록에 남았습니다: 가정 방문 주소 확인/);
  await inspect(page, '05b-case-unmasked');

  // The unmask is in the access records, with its reason.
  const c = await counselorApi.get(`/cases/${caseId}`);
  const admin = await apiSession(server.url, 'admin');
  const records = await admin.get(`/access-records?action=unmask&target_type=resident&target_id=${c.resident_id}`);
  assert.equal(records.items.length, 1);
  assert.equal(records.items[0].purpose, '가정 방문 주소 확인');
  assert.equal(c.reporter.relation, '이웃');
  assert.equal(c.urgency, 'crisis');

  // Masking again hides it.
  await residentCard.getByRole('button', { name: '다시 가리기' }).click();
  await residentCard.getByText('최*독').waitFor();

  // The home visit is the last next step: without a new one the server's 422
  // is shown in the dialog, next to what caused it, and the next step opens.
  await page.locator('.case-next').getByRole('button', { name: /결과 기록: 가정 방문/ }).click();
  const result = page.getByRole('dialog', { name: '사후관리 결과 기록' });
  await result.getByText(/이 일정이 남은 마지막 다음 조치입니다/).waitFor();
  await result.getByLabel('다음 조치도 함께 정하기').uncheck();
  await result.getByLabel('결과 메모 (선택)').fill('방문했으나 부재. 이웃에게 연락처 남김.');
  await result.getByLabel('연락 안 됨').check();
  await result.getByRole('button', { name: '사후관리 결과 기록' }).click();
  await result.getByRole('alert').getByText(/진행 중인 상담 건에는 항상 다음 조치가 있어야 합니다/).waitFor();
  assert.equal(await result.getByLabel('다음 조치도 함께 정하기').isChecked(), true);
  assert.equal(await result.getByLabel('결과 메모 (선택)').inputValue(), '방문했으나 부재. 이웃에게 연락처 남김.');
  await result.getByLabel('무엇을').selectOption('home_visit');
  await result.getByRole('button', { name: '사후관리 결과 기록' }).click();
  await page.getByText('결과를 기록했습니다.').waitFor();
  const after = await counselorApi.get(`/cases/${caseId}`);
  assert.deepEqual(
    after.follow_ups.map((x) => [x.kind, x.status, x.result]),
    [
      ['home_visit', 'done', 'not_reached'],
      ['home_visit', 'open', null],
    ],
  );
  assertNoProblems(page);
  await page.context().close();
});

test('category suggestions as chips while typing, and a crisis proposal', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await openIntake(page);
  await page.getByLabel('무엇이 어려우신가요').focus();
  await page.keyboard.type('카드빚 독촉 때문에 잠을 못 자고, 요즘은 죽고 싶다는 생각까지 듭니다.');
  // Suggestions arrive after a pause in typing, as chips.
  const chips = page.getByRole('group', { name: /추천 분야/ });
  const finance = chips.getByRole('button', { name: /부채·금융/ });
  const mind = chips.getByRole('button', { name: /심리 상담/ });
  await finance.waitFor();
  assert.match(await finance.innerText(), /카드빚/, 'the chip says which words matched');
  // The first chip pressed becomes the main category, the next a secondary one.
  await finance.click();
  assert.equal(await page.getByLabel('주 분야').inputValue(), 'finance');
  assert.equal(await finance.getAttribute('aria-pressed'), 'true');
  await mind.click();
  assert.equal(await mind.getAttribute('aria-pressed'), 'true');
  await page.locator('.intake-secondary summary').click();
  assert.equal(await page.getByLabel('심리 상담').isChecked(), true);
  // Agencies that handle the suggested categories, with the reason; one press makes it the referral.
  const agencies = page.getByRole('list', { name: '추천 연계 기관' });
  const fincenter = agencies.getByRole('listitem').filter({ hasText: '서민금융통합지원센터' });
  await fincenter.waitFor();
  assert.match(await fincenter.innerText(), /부채·금융 분야 담당/);
  await fincenter.getByRole('button', { name: '이 기관에 연계' }).click();
  assert.equal(await page.getByLabel('기관에 연계하기').isChecked(), true);
  assert.match(await page.getByLabel('연계 기관').locator('option:checked').innerText(), /서민금융통합지원센터/);
  await fincenter.getByText('연계 기관으로 선택됨').waitFor();
  // A crisis word: saving makes it a crisis; the words that fired are marked, the protocol shown.
  const proposal = page.locator('.intake-crisis');
  await proposal.getByText(/저장하면 긴급도 "위기"로 접수되어/).waitFor();
  assert.deepEqual(await proposal.locator('mark.crisis-term').allInnerTexts(), ['죽고 싶']);
  await page.getByRole('region', { name: '위기 대응 절차' }).waitFor();
  await screenshot(page, '04d-intake-suggestions');
  await page.getByRole('button', { name: '긴급도를 "위기"로 정하기' }).click();
  assert.equal(await page.getByRole('radio', { name: '위기' }).isChecked(), true);
  await page.getByRole('region', { name: '위기 대응 절차' }).waitFor();
  assertNoProblems(page);
  await page.context().close();
});

async function quickIntake(page, summary) {
  await openIntake(page);
  await page.getByRole('button', { name: '대상자 미상으로 접수' }).click();
  await page.getByLabel('무엇이 어려우신가요').fill(summary);
  await page.getByLabel('주 분야').selectOption('welfare');
  await page.getByLabel('사후관리 일정 잡기').check();
}

test('crisis words make the saved case a crisis with the words on its timeline, unless the counselor says why not', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  // Left at "보통": the server makes it a crisis, and says which words.
  await quickIntake(page, '며칠째 굶고 있어요. 이제 그만 죽고 싶어요.');
  await page.locator('.intake-crisis').waitFor();
  assert.equal(await page.getByRole('radio', { name: '보통' }).isChecked(), true);
  await page.getByRole('button', { name: '접수 저장' }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  await page.getByRole('region', { name: '위기 대응 절차' }).waitFor();
  const timeline = page.locator('section[aria-labelledby="case-timeline"]');
  const flagged = timeline.getByText(/위기 표현 감지로 긴급도 "위기"/);
  await flagged.waitFor();
  assert.match(await flagged.innerText(), /죽고 싶/);
  assert.match(await flagged.innerText(), /며칠째 굶/);
  await screenshot(page, '04e-case-crisis-flagged');

  // A story about someone else: the counselor picks the reason; the urgency stays.
  await quickIntake(page, '드라마 주인공이 죽고 싶다고 해서 마음이 안 좋았대요. 본인은 기초연금 문의입니다.');
  const notice = page.locator('.intake-crisis');
  await notice.waitFor();
  await notice.getByLabel('위기가 아니라고 판단한 이유').selectOption('quoted');
  assert.equal(await page.getByRole('region', { name: '위기 대응 절차' }).count(), 0, 'no protocol once judged not a crisis');
  await screenshot(page, '04f-intake-crisis-dismissed');
  await page.getByRole('button', { name: '접수 저장' }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  const dismissed = page.locator('section[aria-labelledby="case-timeline"]').getByText(/상담사가 위기가 아니라고 판단/);
  await dismissed.waitFor();
  assert.match(await dismissed.innerText(), /다른 사람의 말이나 드라마·뉴스 이야기/);
  assert.equal(await page.getByRole('region', { name: '위기 대응 절차' }).count(), 0);
  assertNoProblems(page);
  await page.context().close();
});

test('escalation offers the dong’s case managers by name; the case then shows her, and its counselor by name', async () => {
  const created = await counselorApi.post('/cases', {
    channel: 'visit',
    primary_category: 'welfare',
    summary: '혼자 사시는 어르신이 치매 초기 진단을 받으셨고, 돌봄과 병원 동행이 함께 필요합니다.',
    follow_up: { kind: 'counseling' },
  });
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await page.goto(`/cases/${created.id}`);
  await page.getByRole('heading', { level: 1, name: `상담 ${created.number}` }).waitFor();
  const overview = page.locator('.case-overview');
  assert.match(await overview.innerText(), /담당 상담사\s*김서교 \(나\)/);

  await page.getByRole('button', { name: '사례관리 의뢰' }).click();
  const dialog = page.getByRole('dialog', { name: '사례관리 의뢰' });
  const manager = dialog.getByLabel('사례관리사');
  // Only the case managers of 서교동, by name (no staff numbers to type).
  await manager.locator('option', { hasText: '이사례' }).waitFor({ state: 'attached' });
  assert.deepEqual(await manager.locator('option').allInnerTexts(), ['선택해 주세요', '이사례']);
  assert.equal(await dialog.getByRole('textbox', { name: /직원 번호/ }).count(), 0);
  await manager.selectOption({ label: '이사례' });
  await dialog.getByLabel('사유').fill('돌봄 계획과 병원 동행 연계가 함께 필요합니다.');
  await dialog.getByRole('button', { name: '사례관리 의뢰' }).click();
  await page.getByText('사례관리로 의뢰했습니다.').waitFor();
  await overview.getByText('이사례', { exact: true }).waitFor();
  assert.match(await overview.innerText(), /사례관리사\s*이사례/);
  await page.locator('.case-timeline').getByText('사례관리로 의뢰 (담당: 이사례)').waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /직원 #\d/, 'no staff numbers instead of names');

  const staff = (await counselorApi.get('/staff')).items;
  const lee = staff.find((u) => u.display_name === '이사례');
  const kim = staff.find((u) => u.display_name === '김서교');
  const onServer = await counselorApi.get(`/cases/${created.id}`);
  assert.equal(onServer.case_manager_id, lee.id);
  assert.equal(onServer.counselor_id, kim.id);
  assertNoProblems(page);
  await page.context().close();

  // The case manager sees the counselor by name, and herself.
  const cm = await newPage(browser, server.url);
  await signIn(cm, 'seogyo.casemanager');
  await cm.goto(`/cases/${created.id}`);
  const cmOverview = cm.locator('.case-overview');
  await cmOverview.getByText('김서교', { exact: true }).waitFor();
  assert.match(await cmOverview.innerText(), /담당 상담사\s*김서교[\s\S]*사례관리사\s*이사례 \(나\)/);
  // The timeline names who did what: the counselor received and escalated it.
  const timeline = cm.locator('.case-timeline');
  await timeline.getByText('사례관리로 의뢰 (담당: 이사례 (나))').waitFor();
  assert.match(await timeline.innerText(), /김서교/);
  assertNoProblems(cm);
  await cm.context().close();
});
