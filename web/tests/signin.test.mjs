// Sign-in, the forced first password change, wrong passwords, language and
// large text, and the session-expired path that keeps what was typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { launch, newPage, signIn, inspect, assertNoProblems, screenshot } from './support/browser.mjs';

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

test('a wrong password is explained in Korean next to the form', async () => {
  const page = await newPage(browser, server.url);
  await page.goto('/');
  await inspect(page, '01-signin');
  await page.getByLabel('아이디').fill('seogyo.counselor');
  await page.getByLabel('비밀번호', { exact: true }).fill('wrong-password-1');
  await page.getByRole('button', { name: '로그인' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /아이디 또는 비밀번호/);
  // The login stays typed; the password is the user's to retype.
  assert.equal(await page.getByLabel('아이디').inputValue(), 'seogyo.counselor');
  assertNoProblems(page);
  await page.context().close();
});

test('first sign-in forces a new password, then lands on today', async () => {
  const page = await newPage(browser, server.url);
  await page.goto('/');
  await page.getByLabel('아이디').fill('mangwon1.counselor');
  await page.getByLabel('비밀번호', { exact: true }).fill('Demo-2026!care');
  await page.getByRole('button', { name: '로그인' }).click();
  await page.getByRole('heading', { name: '비밀번호 변경' }).waitFor();
  await inspect(page, '02-password-change');
  // Too weak: the server's policy message is shown beside the field.
  await page.getByLabel('현재 비밀번호').fill('Demo-2026!care');
  await page.getByLabel('새 비밀번호', { exact: true }).fill('short');
  await page.getByLabel('새 비밀번호 확인').fill('short');
  await page.getByRole('button', { name: '비밀번호 변경' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /10자 이상/);
  await page.getByLabel('새 비밀번호', { exact: true }).fill('Test-2026!desk');
  await page.getByLabel('새 비밀번호 확인').fill('Test-2026!desk');
  await page.getByRole('button', { name: '비밀번호 변경' }).click();
  await page.locator('header.top').waitFor();
  await page.waitForURL((u) => u.pathname === '/today');
  assertNoProblems(page);
  await page.context().close();
});

test('language and large text are kept per user', async () => {
  const page = await newPage(browser, server.url);
  await signIn(page, 'seogyo.counselor');
  await page.getByRole('link', { name: /서교동|상담/ }).first().waitFor();
  await page.goto('/account');
  await page.getByRole('heading', { name: '내 설정' }).waitFor();
  await inspect(page, '20-account');
  // Each choice applies at once and is saved on the server (PATCH /auth/me).
  const saved = (field) =>
    page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith('/api/v1/auth/me') && (r.request().postData() ?? '').includes(field));
  let stored = saved('large_text');
  await page.getByLabel('큰 글씨').check();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large-text')), true);
  assert.equal((await stored).status(), 200);
  stored = saved('locale');
  await page.getByLabel('English').check();
  await page.getByRole('heading', { name: 'My settings' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal((await stored).status(), 200);
  // A new sign-in elsewhere gets the same settings from the server.
  const other = await newPage(browser, server.url);
  await signIn(other, 'seogyo.counselor');
  await other.goto('/account');
  await other.getByRole('heading', { name: 'My settings' }).waitFor();
  assert.equal(await other.evaluate(() => document.documentElement.classList.contains('large-text')), true);
  await page.getByLabel('한국어').check();
  await page.getByLabel('큰 글씨').uncheck();
  assertNoProblems(page);
  await page.context().close();
  await other.context().close();
});
