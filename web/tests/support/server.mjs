// Starts a real `caredesk serve` on SQLite with the demo district, on a free
// port, in a throw-away directory. The binary is CAREDESK_BIN (default
// ../build/caredesk), the web app WEB_ROOT (default web/dist).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const webDir = path.resolve(here, '../..');
export const repoDir = path.resolve(webDir, '..');

export const DEMO_PASSWORD = 'Demo-2026!care';
// What the tests change every demo password to at first sign-in.
export const NEW_PASSWORD = 'Test-2026!desk';

// `historyWeeks`: also seed that many weeks of past cases (as `make demo` does),
// for screens whose point is the numbers over time.
// `notifications`: messages go to a file gateway (server.notificationsFile), looked at every
// second.
export async function startServer({ historyWeeks = 0, notifications = false } = {}) {
  const bin = process.env.CAREDESK_BIN ?? path.join(repoDir, 'build', 'caredesk');
  const webRoot = process.env.WEB_ROOT ?? path.join(webDir, 'dist');
  if (!existsSync(bin)) throw new Error(`no server binary at ${bin}: run make build`);
  if (!existsSync(path.join(webRoot, 'index.html'))) throw new Error(`no web app at ${webRoot}: run npm run build`);
  const dir = mkdtempSync(path.join(tmpdir(), 'caredesk-web-'));
  const env = {
    ...process.env,
    CAREDESK_DATABASE_URL: `sqlite://${dir}/caredesk.db`,
    CAREDESK_KEY_FILE: `${dir}/caredesk.key`,
    CAREDESK_LOG_LEVEL: 'warn',
    CAREDESK_WEB_ROOT: webRoot,
    // No model yet (keyword rules); a retraining from the admin screen writes it here, from the
    // shipped training files.
    CAREDESK_TRIAGE_MODEL_FILE: `${dir}/triage.model`,
    CAREDESK_TRIAGE_DATA_DIR: path.join(repoDir, 'data', 'triage'),
    CAREDESK_OPEN311_DONG_BOUNDARIES_FILE: path.join(repoDir, 'data', 'open311', 'dong_boundaries.geojson'),
    ...(notifications
      ? {
          CAREDESK_NOTIFICATIONS_GATEWAY: 'file',
          CAREDESK_NOTIFICATIONS_FILE: `${dir}/notifications.jsonl`,
          CAREDESK_NOTIFICATIONS_INTERVAL_SECONDS: '1',
        }
      : {}),
  };
  execFileSync(bin, ['keygen'], { env, stdio: 'pipe' });
  execFileSync(bin, ['seed-demo', '--history-weeks', String(historyWeeks)], { env, stdio: 'pipe' });
  const child = spawn(bin, ['serve', '--port', '0', '--address', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + out + log)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}${log}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    dir,
    notificationsFile: `${dir}/notifications.jsonl`,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A small API client for test set-up (cookie + CSRF), e.g. a first password
// change for an account a test only needs in the background.
export async function apiSession(url, login, password = NEW_PASSWORD) {
  let cookie = '';
  let csrf = '';
  const call = async (method, p, body) => {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (cookie) headers.Cookie = cookie;
    if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
    const res = await fetch(url + '/api/v1' + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    const text = await res.text();
    const data = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const err = new Error(`${method} ${p} → ${res.status} ${text}`);
      err.status = res.status;
      err.data = data;
      throw err;
    }
    return data;
  };
  let login1;
  try {
    login1 = await call('POST', '/auth/login', { login, password });
  } catch (e) {
    if (password !== NEW_PASSWORD || e.status !== 401) throw e;
    login1 = await call('POST', '/auth/login', { login, password: DEMO_PASSWORD });
  }
  csrf = login1.csrf_token;
  if (login1.must_change_password) {
    await call('POST', '/auth/password', { current_password: DEMO_PASSWORD, new_password: NEW_PASSWORD });
    const again = await call('GET', '/auth/me');
    csrf = again.csrf_token;
  }
  return {
    get: (p) => call('GET', p),
    post: (p, b = {}) => call('POST', p, b),
    patch: (p, b) => call('PATCH', p, b),
    put: (p, b) => call('PUT', p, b),
    del: (p) => call('DELETE', p),
  };
}
