// The resident portal (/ask) on a phone: a resident asks without an account and
// gets a receipt; the 서교동 counselor finds it in Today and answers; the
// resident looks it up and sees the new status and the answer. Guessing the
// phone digits is stopped; the easy mode and the neighbour report pass axe too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { launch, newPage, signIn, inspect, checkA11y, assertNoProblems } from './support/browser.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 };

test('a resident asks on a phone, a counselor answers from Today, the resident sees it', async () => {
  const resident = await newPage(browser, server.url, phone);
  await resident.goto('/ask');
  await resident.getByRole('heading', { name: '온라인 주민 창구' }).waitFor();
  await inspect(resident, '40-portal-home');
  await resident.getByRole('link', { name: /무엇이든 물어보세요/ }).click();
  await resident.getByRole('heading', { name: '무엇이든 물어보세요' }).waitFor();

  // Sent empty: every missing answer is said next to its field, in plain words.
  await resident.getByRole('button', { name: '보내기' }).click();
  await resident.getByRole('alert').waitFor();
  await resident.getByText('사는 동(주민센터)을 골라 주세요.').first().waitFor();
  await resident.getByText('연락드릴 전화번호를 입력해 주세요.').first().waitFor();
  await checkA11y(resident, 'portal ask form with errors');

  await resident.getByLabel('사는 동').selectOption({ label: '서교동' });
  await resident.getByLabel('어떤 일인가요?').fill('윗집 소음 때문에 밤에 잠을 못 자요. 어떻게 해야 할지 모르겠습니다.');
  await resident.getByLabel('성함').fill('정하늘');
  await resident.getByLabel('전화번호').fill('010-7777-4321');
  await resident.getByLabel('문자', { exact: true }).check();
  await resident.getByLabel('저녁(18시 이후)').check();
  await resident.getByRole('button', { name: '보내기' }).click();
  await resident.getByRole('heading', { name: '잘 접수되었습니다' }).waitFor();
  const receipt = (await resident.getByTestId('receipt').innerText()).trim();
  assert.match(receipt, /^\d{4}-서교-\d{6}$/);
  await resident.getByText(/서교동 주민센터에서 연락드립니다/).waitFor();
  await inspect(resident, '41-portal-receipt');

  // The counselor: the new online case is in Today's queue of her dong.
  const counselor = await newPage(browser, server.url);
  await signIn(counselor, 'seogyo.counselor');
  await counselor.goto('/today');
  const row = counselor.locator('section[aria-labelledby="today-new"]').getByRole('link', { name: new RegExp(receipt) });
  await row.waitFor();
  assert.match(await row.innerText(), /온라인/);
  await row.click();
  await counselor.getByText('윗집 소음 때문에 밤에 잠을 못 자요.', { exact: false }).first().waitFor();
  await counselor.getByRole('button', { name: '상담 기록 추가' }).click();
  const dialog = counselor.getByRole('dialog', { name: '상담 기록 추가' });
  await dialog.getByLabel('상담 방식').selectOption('call');
  await dialog.getByLabel('상담 내용').fill('저녁에 통화. 이웃분쟁조정센터 연계 안내, 본인 동의 확인 예정. 수면 문제로 우울감 호소.');
  await dialog.getByLabel('주민에게 보낼 답변 (선택)').fill('이웃분쟁조정센터에서 도와드릴 수 있습니다. 내일 저녁에 다시 전화드리겠습니다.');
  await dialog.getByRole('button', { name: '상담 기록 추가' }).click();
  await counselor.getByText('상담 기록을 추가했습니다.').waitFor();
  await counselor.getByText('주민에게 보낸 답변').waitFor();
  assertNoProblems(counselor);

  // The resident looks it up: the status moved on, the answer is there, the notes are not.
  await resident.getByRole('link', { name: '처리 상황 확인하기' }).click();
  await resident.getByRole('heading', { name: '처리 상황 확인' }).waitFor();
  assert.equal(await resident.getByLabel('접수번호').inputValue(), receipt);
  await resident.getByLabel('전화번호 마지막 네 자리').fill('4321');
  await resident.getByRole('button', { name: '확인하기' }).click();
  await resident.getByTestId('public-status').waitFor();
  assert.equal(await resident.getByTestId('public-status').innerText(), '상담 중');
  await resident.getByText('이웃분쟁조정센터에서 도와드릴 수 있습니다.', { exact: false }).waitFor();
  const page = await resident.content();
  assert.ok(!page.includes('우울감'), 'the counselor notes must never reach the resident');
  await inspect(resident, '42-portal-lookup');
  assertNoProblems(resident);
});

test('guessing the phone digits of a receipt is stopped', async () => {
  const page = await newPage(browser, server.url, phone);
  // A real receipt to guess at.
  const choices = await (await fetch(server.url + '/api/v1/portal/choices')).json();
  const dongId = choices.dongs[0].id;
  const sent = await fetch(server.url + '/api/v1/portal/requests', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'ask', text: '기초연금 신청 방법이 궁금합니다.', dong_id: dongId, name: '한가람', phone: '010-1212-3434' }),
  });
  assert.equal(sent.status, 201);
  const { receipt } = await sent.json();
  await page.goto('/ask/lookup');
  await page.getByLabel('접수번호').fill(receipt);
  const digits = page.getByLabel('전화번호 마지막 네 자리');
  for (let i = 0; i < 4; i++) {
    await digits.fill(`000${i}`);
    await page.getByRole('button', { name: '확인하기' }).click();
    await page.getByText('찾지 못했습니다').waitFor();
  }
  await digits.fill('0004');
  await page.getByRole('button', { name: '확인하기' }).click();
  await page.getByText('잠시 뒤에 다시 해 주세요').waitFor();
  await page.getByText(/틀린 입력이 너무 많습니다/).waitFor();
  // Locked: even the right digits are refused now.
  await digits.fill('3434');
  await page.getByRole('button', { name: '확인하기' }).click();
  await page.getByText(/틀린 입력이 너무 많습니다/).waitFor();
  assert.equal(await page.getByTestId('public-status').count(), 0);
  await inspect(page, '43-portal-lookup-locked');
  assertNoProblems(page);
});

test('the easy mode asks less with bigger type, and a neighbour can be reported', async () => {
  const page = await newPage(browser, server.url, phone);
  await page.goto('/ask/new');
  await page.getByRole('heading', { name: '무엇이든 물어보세요' }).waitFor();
  const normalSize = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.equal(await page.getByLabel('분야 (몰라도 됩니다)').count(), 1);
  await page.getByRole('button', { name: '쉬운 화면' }).click();
  assert.equal(await page.getByRole('button', { name: '쉬운 화면' }).getAttribute('aria-pressed'), 'true');
  const easySize = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.ok(easySize > normalSize, `easy mode is larger (${easySize} > ${normalSize})`);
  assert.equal(await page.getByLabel('분야 (몰라도 됩니다)').count(), 0);
  assert.equal(await page.getByRole('group', { name: '언제 연락드리면 좋을까요?' }).count(), 0);
  await inspect(page, '44-portal-easy');

  // The neighbour report, in easy mode (kept on this device).
  await page.goto('/ask/report');
  await page.getByRole('heading', { name: '도움이 필요한 이웃 알리기' }).waitFor();
  await page.getByLabel('이웃이 사는 동').selectOption({ label: '서교동' });
  await page.getByLabel('무엇을 보셨나요?').fill('옆집 할아버지가 일주일째 안 보이시고 문 앞에 우유가 쌓여 있어요.');
  await page.getByLabel('어디에서 보셨나요?').fill('서교동 ○○빌라 3층');
  await checkA11y(page, 'portal report form');
  await page.getByRole('button', { name: '보내기' }).click();
  await page.getByRole('heading', { name: '잘 접수되었습니다' }).waitFor();
  await page.getByText(/연락처를 남기지 않으셔서/).waitFor();
  await checkA11y(page, 'portal report received');
  assertNoProblems(page);
});
