// Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core;
// never a downloaded browser. Every page fails its test on a console error or a
// CSP violation; axe-core checks WCAG 2.1 AA; screenshots go to docs/screenshots.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import assert from 'node:assert/strict';
import { repoDir, DEMO_PASSWORD, NEW_PASSWORD } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const screenshotDir = path.join(repoDir, 'docs', 'screenshots');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
      // The browser's own UI language: native date and month fields read in Korean.
      '--lang=ko-KR',
    ],
  });
}

// A fresh browser context (its own cookies) at a desk PC's screen size.
export async function newPage(browser, baseURL, options = {}) {
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? { width: 1366, height: 768 },
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.problems.push(msg.text());
  });
  page.on('pageerror', (err) => page.problems.push(String(err)));
  page.setDefaultTimeout(10000);
  return page;
}

// Fails on console errors (except expected HTTP error statuses the app handles).
export function assertNoProblems(page, allow = [/the server responded with a status of (401|403|404|409|412|422|429)/]) {
  const real = page.problems.filter((p) => !allow.some((re) => re.test(p)));
  assert.deepEqual(real, [], 'console errors on the page');
}

// Signs in through the UI; on first sign-in changes the demo password.
export async function signIn(page, login, { expectHome } = {}) {
  await page.goto('/');
  await page.getByLabel('아이디').fill(login);
  await page.getByLabel('비밀번호', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: '로그인' }).click();
  const changed = page.getByRole('heading', { name: '비밀번호 변경' });
  const failed = page.getByRole('alert');
  const home = page.locator('header.top');
  await Promise.race([changed.waitFor(), failed.waitFor(), home.waitFor()]);
  if (await failed.isVisible()) {
    // Not changed yet: the demo password, then the forced change.
    await page.getByLabel('비밀번호', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '로그인' }).click();
    await changed.waitFor();
  }
  if (await changed.isVisible()) {
    await page.getByLabel('현재 비밀번호').fill(DEMO_PASSWORD);
    await page.getByLabel('새 비밀번호', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('새 비밀번호 확인').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '비밀번호 변경' }).click();
  }
  await home.waitFor();
  if (expectHome) await page.waitForURL((u) => u.pathname === expectHome);
}

// axe-core over the whole page: no WCAG 2.0/2.1 A or AA violation.
// page.evaluate runs outside the page's CSP, which stays strict.
export async function checkA11y(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`,
  );
  assert.deepEqual(summary, [], `axe violations on ${name}`);
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, name + '.png'), fullPage: true });
}

// axe + a screenshot: what every screen gets once it shows its content.
export async function inspect(page, name) {
  await checkA11y(page, name);
  await screenshot(page, name);
}
