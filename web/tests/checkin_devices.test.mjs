// 안부 확인 기기: a counselor registers a resident's care robot from the case
// screen and passes its secret on; the robot's signed reports (two no-responses
// in a row) put an urgent home visit in her Today; she stops the device.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
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

// What the robot sends: signed with its secret, a fresh nonce each time.
async function report(uid, secret, result) {
  const body = JSON.stringify({ result });
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = createHmac('sha256', secret).update(`POST\n/api/v1/checkins\n${ts}\n${nonce}\n${body}`).digest('hex');
  const r = await fetch(server.url + '/api/v1/checkins', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-device-id': uid, 'x-timestamp': ts, 'x-nonce': nonce, 'x-signature': signature },
    body,
  });
  return { status: r.status, body: await r.json() };
}

test('a counselor registers a care robot; its two missed check-ins become an urgent home visit; she stops it', async () => {
  const created = await counselorApi.post('/cases', {
    channel: 'visit',
    primary_category: 'welfare',
    summary: '혼자 사시는 어르신께 돌봄 로봇을 연결하기로 했습니다.',
    resident: { name: '박순자', birth_date: '1938-04-01', household: { living_alone: true, members: 1, disability: false, housing_type: 'detached' } },
    confirm_new_resident: true,
    follow_up: { kind: 'welfare_check' },
  });
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await page.goto(`/cases/${created.id}`);
  const card = page.locator('section[aria-labelledby="case-resident"]');
  await card.getByText('등록된 기기가 없습니다.').waitFor();
  await card.getByRole('button', { name: '기기 등록' }).click();
  const dialog = page.getByRole('dialog', { name: '기기 등록' });
  // Refused input is explained field by field.
  await dialog.getByLabel('기기 번호').fill('로봇 1');
  await dialog.getByRole('button', { name: '등록', exact: true }).click();
  await dialog.getByText(/기기 번호는 영문·숫자/).first().waitFor();
  await dialog.getByLabel('기기 번호').fill('HYODOL-2031');
  await dialog.getByLabel('기기 이름').fill('거실 돌봄 로봇');
  await dialog.getByRole('button', { name: '등록', exact: true }).click();
  const shown = page.getByRole('dialog', { name: '기기 비밀키 (지금 한 번만 보여 줍니다)' });
  const secret = (await shown.locator('code').innerText()).trim();
  assert.match(secret, /^[0-9a-f]{64}$/);
  await inspect(page, '19-checkin-device-secret');
  await shown.getByRole('button', { name: '확인했습니다' }).click();
  const device = card.getByRole('listitem').filter({ hasText: '거실 돌봄 로봇' });
  await device.getByText(/아직 보고 없음/).waitFor();

  // The robot reports: answered, then no answer twice.
  assert.equal((await report('HYODOL-2031', secret, 'responded')).status, 202);
  assert.equal((await report('HYODOL-2031', secret, 'no_response')).body.escalated, false);
  const second = await report('HYODOL-2031', secret, 'no_response');
  assert.equal(second.status, 202);
  assert.equal(second.body.escalated, true);
  const forged = await report('HYODOL-2031', 'f'.repeat(64), 'emergency_button');
  assert.equal(forged.status, 401);
  assert.equal(forged.body.error.details[0].code, 'bad_signature');

  await page.reload();
  await device.getByText(/응답 없음.*연속 무응답 2회/).waitFor();
  const today = await counselorApi.get('/work/today');
  const visits = [...today.due_today, ...today.overdue].filter((w) => w.step_kind === 'home_visit' && w.urgency === 'urgent');
  assert.equal(visits.length, 1, JSON.stringify(today));

  page.once('dialog', (d) => d.accept());
  await device.getByRole('button', { name: '중지' }).click();
  await device.getByText('중지됨').waitFor();
  assert.equal((await report('HYODOL-2031', secret, 'no_response')).body.error.details[0].code, 'inactive_device');
  assertNoProblems(page);
  await page.context().close();
});
