// The one way the app talks to the CareDesk API: same origin, session cookie,
// CSRF token on every write, errors as ApiError with the server's Korean and
// English messages and per-field details.

export interface FieldViolation {
  field: string;
  code: string;
  message: string;
  message_ko: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageKo: string;
  readonly details: FieldViolation[];
  readonly requestId: string;
  readonly body: unknown;

  constructor(status: number, body: any) {
    const e = body?.error ?? {};
    super(e.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = e.code ?? (status === 0 ? 'network' : 'http_' + status);
    this.messageKo = e.message_ko ?? '';
    this.details = Array.isArray(e.details) ? e.details : [];
    this.requestId = e.request_id ?? '';
    this.body = body;
  }

  // The message in the user's language; Korean unless English was chosen.
  text(locale: string): string {
    if (locale === 'en') return this.message;
    return this.messageKo || this.message;
  }

  // The violation for one request field, if the server named it.
  field(name: string): FieldViolation | undefined {
    return this.details.find((d) => d.field === name);
  }
}

// True when the route itself is missing on this server (not a missing record):
// a server older than the web app answers 404 "No such resource." or 405.
export function endpointMissing(e: unknown): boolean {
  return e instanceof ApiError && ((e.status === 404 && e.message === 'No such resource.') || e.status === 405);
}

let csrfToken = '';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string) {
  csrfToken = token;
}

// Called when a request answers 401 (session expired or revoked).
export function setUnauthorizedHandler(handler: (() => void) | null) {
  onUnauthorized = handler;
}

export interface RequestOptions {
  ifMatch?: string;
  signal?: AbortSignal;
  // Do not call the unauthorized handler (sign-in itself answers 401).
  quiet401?: boolean;
}

export interface Answer<T> {
  data: T;
  etag: string;
  status: number;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  let res: Response;
  try {
    res = await fetch('/api/v1' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, {
      error: {
        code: 'network',
        message: 'The server cannot be reached. Check the network and try again.',
        message_ko: '서버에 연결할 수 없습니다. 네트워크를 확인한 뒤 다시 시도해 주세요.',
      },
    });
  }
  const text = await res.text();
  let parsed: any = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !options.quiet401 && onUnauthorized) onUnauthorized();
    throw new ApiError(res.status, parsed);
  }
  return { data: parsed as T, etag: res.headers.get('ETag') ?? '', status: res.status };
}

export const api = {
  get: async <T>(path: string, o?: RequestOptions) => (await request<T>('GET', path, undefined, o)).data,
  post: async <T>(path: string, body: unknown = {}, o?: RequestOptions) =>
    (await request<T>('POST', path, body, o)).data,
  put: async <T>(path: string, body: unknown = {}, o?: RequestOptions) =>
    (await request<T>('PUT', path, body, o)).data,
  patch: async <T>(path: string, body: unknown, o?: RequestOptions) =>
    (await request<T>('PATCH', path, body, o)).data,
  del: async <T>(path: string, o?: RequestOptions) => (await request<T>('DELETE', path, undefined, o)).data,
};

// Builds "?a=1&b=2" from the defined, non-empty values.
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
