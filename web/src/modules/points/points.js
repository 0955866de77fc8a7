// What both faces share about contribution points (贡献积分) and the exchange
// (积分兑换): the colours of award and voucher statuses, the leaderboard's
// periods, and the idempotency keys that make a retried request harmless. The
// kinds and statuses themselves, with their words, are the server's (meta.js:
// points.event_kind, points.award_status, points.voucher_status …).

export const PERIODS = ['month', 'year', 'all'];

const AWARD_TONES = { pending: 'warning', notice: 'primary', paid: 'success', rejected: 'danger', capped: 'info' };
const VOUCHER_TONES = { issued: 'success', fulfilled: 'info', cancelled: 'danger' };
export const awardTone = (s) => AWARD_TONES[s] || 'info';
export const voucherTone = (s) => VOUCHER_TONES[s] || 'info';

// A fresh idempotency key. crypto.randomUUID exists only on secure pages
// (https, localhost); on a plain-http intranet address the same shape is made
// from crypto.getRandomValues, which every browser offers.
export function newIdempotencyKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Whether a failed request may be retried with the same key: the server never
// answered (network) or failed itself (5xx). A refusal (4xx) was an answer:
// the next attempt is a new request with a new key.
export const retryable = (err) => !err?.status || err.status >= 500;

// Milliseconds from a time the server sends (ISO 8601 text or milliseconds).
export const toMillis = (v) => (v === null || v === undefined || v === '' ? null : new Date(v).getTime());

// "+20" / "-15" for a posting's amount.
export const signed = (n) => (n > 0 ? `+${n}` : String(n ?? 0));

// A voucher code from what was typed or scanned: the code itself, or a text
// (a URL, say) that carries it as `code=…` or as its last path segment.
export function codeFromScan(text) {
  const s = String(text || '').trim();
  if (!s) return '';
  const param = /[?&#]code=([^&#\s]+)/i.exec(s);
  if (param) return decodeURIComponent(param[1]).trim();
  if (/^https?:\/\//i.test(s)) return s.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop();
  return s.replace(/\s+/g, '');
}
