import { en, zh } from '../i18n/messages.ts';

/**
 * The one way the web app talks to the API: JSON in and out, the user's language in
 * Accept-Language, the session's CSRF token on every state change, and the server's
 * `{ code, message, field }` errors turned into an ApiFailure whose message can be shown as is.
 */

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

let apiLang: 'zh' | 'en' = 'zh';
let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setApiLang(lang: 'zh' | 'en'): void {
  apiLang = lang;
}
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
/** Called when a request other than the sign-in itself answers 401 (the session ended). */
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** `path?query` with empty values left out. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

interface RequestOptions {
  query?: Query;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': apiLang };
  let body: BodyInit | undefined;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    body = opts.form; // the browser sets the multipart boundary
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const messages = apiLang === 'zh' ? zh : en;
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiFailure(0, 'network', messages['common.networkError'], null);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    const failure = new ApiFailure(
      res.status,
      typeof e.code === 'string' ? e.code : `http.${res.status}`,
      typeof e.message === 'string' && e.message
        ? e.message
        : `${messages['common.error']} (HTTP ${res.status})`,
      typeof e.field === 'string' ? e.field : null,
    );
    if (res.status === 401 && path !== '/api/auth/login' && path !== '/api/auth/me') onUnauthorized?.();
    throw failure;
  }
  // A 2xx that is not JSON (e.g. the web app's index.html for a route the server lacks) is no answer.
  if (data === undefined || !(res.headers.get('content-type') ?? '').includes('json'))
    throw new ApiFailure(
      res.status,
      'http.not_json',
      `${messages['common.error']} (${method} ${path})`,
      null,
    );
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, json?: unknown) => request<T>('POST', path, { json }),
  patch: <T>(path: string, json?: unknown) => request<T>('PATCH', path, { json }),
  put: <T>(path: string, json?: unknown) => request<T>('PUT', path, { json }),
  delete: <T>(path: string, query?: Query) => request<T>('DELETE', path, { query }),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
};

export function isApiFailure(e: unknown, status?: number): e is ApiFailure {
  return e instanceof ApiFailure && (status === undefined || e.status === status);
}
