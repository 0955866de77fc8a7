// The HTTP client both faces share. Every call goes to the same origin with
// the session cookie, carries the UI language (so the server translates its
// messages), and echoes the CSRF token on unsafe methods. A failed call throws
// an ApiError whose message is the server's translated message; unless the
// caller asks for `quiet`, the error is also shown through the face's reporter.
// An error is shown at most once: `showError` skips one already shown.
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
    // Set once the user has seen it (or, for an ended session, once the sign-in page took over).
    this.shown = false;
  }
}

// Shows a failed call's message through the face's reporter, unless it was
// shown already. Anything that is not an ApiError is a bug, not a message for
// the user: it is thrown on, so it reaches the console.
export function showError(err) {
  if (!(err instanceof ApiError)) throw err;
  if (err.shown) return;
  err.shown = true;
  reportError(err.message);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// When the last request left (Date.now()): each one renews the session on
// the server, so the console warns of expiry from here.
let lastRequestAt = Date.now();
export const lastActivity = () => lastRequestAt;

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
  lastRequestAt = Date.now();
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
  if (res.status === 401 && !path.startsWith('/api/auth/login')) {
    err.shown = true;
    onUnauthenticated(err);
  }
  return err;
}

// Calls the JSON API: returns the parsed body, or throws an ApiError.
export async function api(method, path, opts = {}) {
  let res;
  try {
    res = await send(method, path, opts);
  } catch (err) {
    if (!opts.quiet) showError(err);
    throw err;
  }
  if (!res.ok) {
    const err = await failure(res, path);
    if (!opts.quiet) showError(err);
    throw err;
  }
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

// Optional data: the value of `promise`, or `fallback` when the API refused
// (pass `quiet` to the call when the user need not hear of it). A bug is
// thrown on.
export async function orElse(promise, fallback = null) {
  try {
    return await promise;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return fallback;
  }
}

// orElse for several promises at once: their values, `fallback` for those refused.
export const settled = (promises, fallback = null) => Promise.all(promises.map((p) => orElse(p, fallback)));

export const get = (path, query, opts) => api('GET', path, { ...opts, query });
export const post = (path, body, opts) => api('POST', path, { ...opts, body });
export const put = (path, body, opts) => api('PUT', path, { ...opts, body });
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
  let res;
  try {
    res = await send('GET', path, { query });
  } catch (err) {
    showError(err);
    throw err;
  }
  if (!res.ok) {
    const err = await failure(res, path);
    showError(err);
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
