// The referral journey across two browser contexts: the counselor refers
// (over the API, with consent), the agency officer sees it in the inbox,
// opens it (only the consented fields), accepts and completes it — the
// counselor then has the resolution check; a declined referral gives the
// counselor the re-link task.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, apiSession } from './support/server.mjs';
import { launch, newPage, signIn, inspect, assertNoProblems } from './support/browser.mjs';

const kstDay = (d = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(d);
const mondayOf = (day) => {
  const d = new Date(day + 'T00:00:00Z');
  const wd = d.getUTCDay();
  d.setUTCDate(d.getUTCDate() + (wd === 0 ? -6 : 1 - wd));
  return d.toISOString().slice(0, 10);
};

let server;
let browser;
let counselor;
let agency;
before(async () => {
  server = await startServer();
  browser = await launch();
  counselor = await apiSession(server.url, 'seogyo.counselor');
  await apiSession(server.url, 'finance.officer'); // the first password change
  agency = (await counselor.get('/agencies')).items.find((a) => a.name === '서민금융통합지원센터');
  assert.ok(agency, 'the demo finance agency');
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A new walk-in about debt, referred at intake with the resident's consent
// to share the name, phone and the concern — not the address.
async function referredCase(name, phone) {
  const c = await counselor.post('/cases', {
    channel: 'visit',
    primary_category: 'finance',
    urgency: 'urgent',
    summary: `${name} 님: 카드 돌려막기로 빚이 늘어 채무조정을 원합니다.`,
    resident: { name, birth_date: '1975-03-04', phone, address: '서울 마포구 비밀로 77' },
    confirm_new_resident: true,
    consultation: { kind: 'visit', notes: '채무 약 2,000만원. 신용회복 상담 희망.' },
    referral: {
      agency_id: agency.id,
      consent: { given_by: '본인', scope: ['name', 'phone', 'summary'] },
      request_note: '채무조정 상담 부탁드립니다.',
    },
  });
  const referral = c.referrals.find((r) => r.agency_id === agency.id);
  assert.equal(referral.status, 'sent');
  return { c, referral };
}

test('an agency officer accepts and completes a referral; the counselor gets the resolution check', async () => {
  const { c, referral } = await referredCase('오연계', '010-3000-0101');
  const officer = await newPage(browser, server.url);
  await signIn(officer, 'finance.officer', { expectHome: '/referrals' });
  await officer.getByRole('heading', { name: '연계 요청함' }).waitFor();
  const row = officer.locator('tbody tr', { hasText: c.number });
  await row.waitFor();
  // The inbox lists work, not people.
  const inbox = await officer.locator('main').innerText();
  assert.doesNotMatch(inbox, /오연계|010-?3000-?0101/);
  assert.match(await row.innerText(), /요청/);
  assert.match(await officer.getByRole('link', { name: /^요청/ }).innerText(), /[1-9]건/);
  await inspect(officer, '08-referral-inbox');

  await row.getByRole('link', { name: c.number }).click();
  await officer.waitForURL((u) => u.pathname === `/referrals/${referral.id}`);
  await officer.getByRole('heading', { name: '동의받은 정보' }).waitFor();
  await officer.getByText('오연계', { exact: true }).waitFor();
  const detail = await officer.locator('main').innerText();
  assert.match(detail, /010-3000-0101/);
  assert.match(detail, /채무조정을 원합니다/);
  assert.match(detail, /채무조정 상담 부탁드립니다/);
  // Not consented: the address and the birth date stay with the desk.
  assert.doesNotMatch(detail, /비밀로 77/);
  assert.doesNotMatch(detail, /1975/);
  await inspect(officer, '09-referral');

  await officer.getByRole('button', { name: '수락' }).click();
  await officer.getByRole('status').filter({ hasText: '수락했습니다' }).waitFor();
  await officer.waitForFunction(() => document.activeElement?.classList.contains('notice-anchor'));
  // Completing needs an outcome: the server's message beside the field.
  await officer.getByRole('button', { name: '완료 처리' }).click();
  await officer.locator('.field-invalid .error-text').waitFor();
  await officer.getByLabel('처리 결과').fill('채무조정 신청 접수, 신용회복위원회 상담 예약(다음 주 화요일).');
  await officer.getByRole('button', { name: '완료 처리' }).click();
  await officer.getByRole('status').filter({ hasText: '완료로 처리했습니다' }).waitFor();
  assert.match(await officer.locator('main').innerText(), /신용회복위원회 상담 예약/);

  // The list shows it under 완료.
  await officer.getByRole('link', { name: /연계 요청함으로 돌아가기/ }).click();
  await officer.getByRole('link', { name: /^완료/ }).click();
  await officer.waitForURL((u) => u.searchParams.get('status') === 'completed');
  await officer.locator('tbody tr', { hasText: c.number }).waitFor();
  assertNoProblems(officer);

  // The counselor: the referral is completed and a resolution check is scheduled for them.
  const after1 = await counselor.get(`/cases/${c.id}`);
  assert.equal(after1.referrals.find((r) => r.id === referral.id).status, 'completed');
  const me = (await counselor.get('/auth/me')).user;
  const check = after1.follow_ups.find((f) => f.kind === 'resolution_check' && f.status === 'open');
  assert.ok(check, 'a resolution check follow-up');
  assert.equal(check.owner_id, me.id);

  // And in the counselor's own calendar: the resolution check on its day.
  const due = kstDay(new Date(check.due_at));
  const desk = await newPage(browser, server.url);
  await signIn(desk, 'seogyo.counselor', { expectHome: '/today' });
  await desk.goto(`/calendar?week=${mondayOf(due)}`);
  const item = desk.locator(`section[aria-labelledby="day-${due}"] li`, { hasText: c.number });
  await item.waitFor();
  assert.match(await item.innerText(), /해결 확인/);
  assertNoProblems(desk);
  await desk.context().close();
  await officer.context().close();
});

test('a declined referral (coded reason + note) gives the counselor the re-link task', async () => {
  const { c, referral } = await referredCase('남거절', '010-3000-0202');
  const officer = await newPage(browser, server.url);
  await signIn(officer, 'finance.officer', { expectHome: '/referrals' });
  await officer.goto(`/referrals/${referral.id}`);
  await officer.getByRole('heading', { name: '동의받은 정보' }).waitFor();
  await officer.getByRole('button', { name: '거절' }).click();
  const dialog = officer.getByRole('dialog', { name: '연계 요청 거절' });
  await dialog.waitFor();
  // No reason chosen: the server says so beside the select, inside the dialog.
  await dialog.getByRole('button', { name: '거절 보내기' }).click();
  await dialog.locator('.field-invalid .error-text').first().waitFor();
  await dialog.getByLabel('거절 사유').selectOption('no_capacity');
  await dialog.getByLabel('설명').fill('이번 달 상담 예약이 모두 찼습니다. 마포 금융복지상담센터를 권합니다.');
  await dialog.getByRole('button', { name: '거절 보내기' }).click();
  await officer.getByRole('status').filter({ hasText: '거절했습니다' }).waitFor();
  assert.equal(await dialog.isVisible(), false);
  // The buttons are gone with the answer: the focus is on what happened.
  await officer.waitForFunction(() => document.activeElement?.classList.contains('notice-anchor'));
  const text = await officer.locator('main').innerText();
  assert.match(text, /수용 여력 없음/);
  assert.match(text, /마포 금융복지상담센터를 권합니다/);
  await officer.goto('/referrals?status=declined');
  await officer.locator('tbody tr', { hasText: c.number }).waitFor();
  assertNoProblems(officer);
  await officer.context().close();

  const after1 = await counselor.get(`/cases/${c.id}`);
  const r = after1.referrals.find((x) => x.id === referral.id);
  assert.equal(r.status, 'declined');
  assert.equal(r.decline_reason, 'no_capacity');
  const me = (await counselor.get('/auth/me')).user;
  const relink = after1.follow_ups.find((f) => f.kind === 'relink' && f.status === 'open');
  assert.ok(relink, 'a re-link follow-up');
  assert.equal(relink.owner_id, me.id);
});
