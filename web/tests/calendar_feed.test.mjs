// 내 설정 · 휴대폰 달력 연결: a counselor makes the secret calendar address, a calendar
// app (here: a plain HTTP client without the session) reads her follow-ups from it by case
// number only; a new address stops the old one, disconnecting stops it too.
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

test('a counselor connects her phone calendar; the feed shows her work by case number, and stops when renewed or disconnected', async () => {
  const created = await counselorApi.post('/cases', {
    channel: 'phone',
    primary_category: 'welfare',
    summary: '혼자 사시는 어르신 안부를 매주 확인하기로 했습니다.',
    follow_up: { kind: 'home_visit' },
  });
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await page.goto('/account');
  const card = page.locator('section[aria-labelledby="cal-h"]');
  await card.getByText('연결되어 있지 않습니다.').waitFor();
  await card.getByRole('button', { name: '달력 주소 만들기' }).click();
  const field = card.getByLabel('달력 주소 (지금 한 번만 보여 줍니다)');
  await field.waitFor();
  const url = await field.inputValue();
  assert.match(url, new RegExp(`^${server.url}/api/v1/calendar-feeds/[0-9a-f]{64}\\.ics$`));
  await card.getByText(/연결되어 있습니다/).waitFor();
  assert.match(await card.getByRole('link', { name: '이 기기의 달력에 추가' }).getAttribute('href'), /^webcal:\/\//);
  await inspect(page, '18-account-calendar');

  // What a calendar app gets, without the session.
  const feed = await fetch(url);
  assert.equal(feed.status, 200);
  assert.equal(feed.headers.get('content-type'), 'text/calendar; charset=utf-8');
  const ics = await feed.text();
  assert.match(ics, new RegExp(`SUMMARY:가정 방문 · ${created.number}\\r\\n`));
  assert.doesNotMatch(ics, /어르신|안부를/, 'no words of the case in the calendar');

  // A new address: the old one stops.
  await card.getByRole('button', { name: '새 주소 만들기 (이전 주소는 끊김)' }).click();
  await page.waitForFunction((old) => document.querySelector('.calendar-url input')?.value !== old, url);
  const renewed = await field.inputValue();
  assert.equal((await fetch(url)).status, 404);
  assert.equal((await fetch(renewed)).status, 200);
  // Disconnected: nothing any more.
  await card.getByRole('button', { name: '연결 끊기' }).click();
  await card.getByText('연결을 끊었습니다. 이전 주소로는 더 이상 일정을 볼 수 없습니다.').waitFor();
  await card.getByText('연결되어 있지 않습니다.').waitFor();
  assert.equal((await fetch(renewed)).status, 404);
  assertNoProblems(page);
  await page.context().close();
});
