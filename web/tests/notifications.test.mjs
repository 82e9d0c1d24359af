// 알림: a counselor's intake texts the resident a receipt and the next contact
// date (through the outbox and the file gateway); the resident opts out on the
// case screen; the admin reads the outbox, edits the receipt text (an unknown
// placeholder is refused, the preview shows example values); a counselor sets
// the e-mail their overdue work goes to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { startServer, apiSession } from './support/server.mjs';
import { launch, newPage, signIn, inspect, assertNoProblems } from './support/browser.mjs';

let server;
let browser;
let counselorApi;
before(async () => {
  server = await startServer({ notifications: true });
  browser = await launch();
  counselorApi = await apiSession(server.url, 'seogyo.counselor');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

function sent() {
  if (!existsSync(server.notificationsFile)) return [];
  return readFileSync(server.notificationsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function until(what, check, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('intake texts the resident, who can opt out; the admin edits the texts and reads the outbox', async () => {
  const created = await counselorApi.post('/cases', {
    channel: 'visit',
    primary_category: 'finance',
    summary: '카드빚 독촉 전화 때문에 잠을 못 잡니다.',
    resident: { name: '문자영', birth_date: '1961-07-02', phone: '010-4321-8765' },
    confirm_new_resident: true,
    follow_up: { kind: 'counseling' },
  });
  const mine = await until('the receipt and next-contact texts', () => {
    const m = sent().filter((x) => x.text.includes(created.number));
    return m.length >= 2 ? m : null;
  });
  assert.deepEqual(mine.map((x) => x.kind).sort(), ['next_contact', 'receipt']);
  for (const m of mine) {
    assert.equal(m.to, '01043218765');
    assert.equal(m.channel, 'sms');
  }

  // The counselor records that the resident does not want texts.
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await page.goto(`/cases/${created.id}`);
  const card = page.locator('section[aria-labelledby="case-resident"]');
  const choice = card.getByLabel('진행 안내 문자');
  assert.equal(await choice.inputValue(), 'sms');
  await choice.selectOption('none');
  await card.getByText('바꿨습니다.').waitFor();
  const resident = await counselorApi.get(`/residents/${created.resident_id}`);
  assert.equal(resident.contact_by, 'none');

  // Their own e-mail, for overdue work: a wrong address is explained.
  await page.goto('/account');
  await page.getByLabel('이메일 주소').fill('서교 상담사');
  await page.getByRole('button', { name: '이메일 저장' }).click();
  await page.getByText(/같은 이메일 주소를 입력해 주세요/).first().waitFor();
  await page.getByLabel('이메일 주소').fill('seogyo@mapo.go.kr');
  await page.getByRole('button', { name: '이메일 저장' }).click();
  await page.getByText('저장했습니다.').waitFor();
  assert.equal((await counselorApi.get('/auth/me')).user.email, 'seogyo@mapo.go.kr');
  assertNoProblems(page);
  await page.close();

  // The admin: the outbox and the texts.
  const admin = await newPage(browser, server.url);
  await signIn(admin, 'admin');
  await admin.goto('/admin/notifications');
  await admin.getByRole('heading', { name: '알림 문구와 발송 현황' }).waitFor();
  const table = admin.locator('#outbox-table');
  await table.getByRole('row').filter({ hasText: created.number }).first().waitFor();
  assert.ok(Number(await admin.locator('#outbox-count-sent').innerText()) >= 2);
  // No phone number anywhere on the screen.
  assert.ok(!(await admin.locator('main').innerText()).includes('4321'));

  await admin.getByLabel('알림', { exact: true }).selectOption('receipt/sms');
  const text = admin.getByLabel('문구', { exact: true });
  await text.fill('{{name}}님, 접수되었습니다.');
  await admin.getByRole('button', { name: '문구 저장' }).click();
  await admin.getByText(/\{\{name\}\} 는 이 알림에서 쓸 수 없습니다/).first().waitFor();
  await text.fill('[{{district}}] {{dong}} 주민센터에 상담이 접수되었습니다. 접수번호 {{case_number}}');
  await admin.getByRole('button', { name: '미리 보기' }).click();
  await admin.locator('#template-preview').getByText('[마포구] 서교동 주민센터에 상담이 접수되었습니다. 접수번호 2026-서교-000123').waitFor();
  await admin.getByRole('button', { name: '문구 저장' }).click();
  await admin.getByText('저장했습니다. 다음에 보내는 알림부터 이 문구를 씁니다.').waitFor();
  await inspect(admin, '20-admin-notifications');

  // The next receipt reads the new text.
  const next = await counselorApi.post('/cases', {
    channel: 'phone',
    primary_category: 'housing',
    summary: '월세가 두 달 밀렸습니다.',
    resident: { name: '한결', birth_date: '1975-01-09', phone: '010-2222-3333' },
    confirm_new_resident: true,
    follow_up: { kind: 'counseling' },
  });
  const receipt = await until('the edited receipt', () =>
    sent().find((x) => x.kind === 'receipt' && x.text.includes(next.number)),
  );
  assert.match(receipt.text, /^\[마포구\] 서교동 주민센터에 상담이 접수되었습니다\. 접수번호 2026-서교-\d{6}$/);
  assertNoProblems(admin);
});
