// The HTTP client both faces share. Every call goes to the same origin with
// the session cookie, carries the UI language (so the server translates its
// messages), and echoes the CSRF token on unsafe methods. A failed call throws
// an ApiError whose message is the server's translated message; unless the
// caller asks for `quiet`, the error is also shown through the face's reporter.
import { currentLanguage, t } from './i18n.js';

let csrfToken = null;
let reportError = (message) => console.warn(message);
let onUnauthenticated = () => {};

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// `fn(message)` shows an error to the user (ElMessage on the console, a toast on mobile).
export function setErrorReporter(fn) {
  reportError = fn;
}

// `fn()` runs when the server says the session is gone (401 on anything but login).
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn;
}

export class ApiError extends Error {
  constructor(status, error, body) {
    super(error?.message || t('error.network'));
    this.status = status;
    this.code = error?.code || 'network';
    this.field = error?.field;
    this.body = body;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function buildUrl(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(method, path, { query, body, contentType } = {}) {
  const headers = {
    Accept: 'application/json',
    'Accept-Language': currentLanguage() === 'en' ? 'en' : 'zh-CN',
  };
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let payload;
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    payload = body;
    headers['Content-Type'] = contentType || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  try {
    return await fetch(buildUrl(path, query), { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null, null);
  }
}

async function failure(res, path) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's error page, say): fall back to a generic message.
  }
  const err = new ApiError(res.status, body?.error || { code: 'http', message: t('error.http', { status: res.status }) }, body);
  if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthenticated(err);
  return err;
}

// Calls the JSON API: returns the parsed body, or throws an ApiError.
export async function api(method, path, opts = {}) {
  const res = await send(method, path, opts);
  if (!res.ok) {
    const err = await failure(res, path);
    if (!opts.quiet && err.status !== 401) reportError(err.message);
    throw err;
  }
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path, query, opts) => api('GET', path, { ...opts, query });
export const post = (path, body, opts) => api('POST', path, { ...opts, body });
export const patch = (path, body, opts) => api('PATCH', path, { ...opts, body });
export const del = (path, opts) => api('DELETE', path, opts);

function filenameOf(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

// Downloads a file the API produces (exports, templates) and hands it to the
// browser as a download; errors are shown like any other.
export async function download(path, query, fallbackName = 'export') {
  const res = await send('GET', path, { query });
  if (!res.ok) {
    const err = await failure(res, path);
    if (err.status !== 401) reportError(err.message);
    throw err;
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filenameOf(res, fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
