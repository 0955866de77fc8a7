// What both faces share about events and honours (EVT-1 … EVT-3): times in
// Beijing, a date in words, the tones of the statuses, a station's result in
// words, and a ticket's code read from what a scanner typed or a camera saw.
// The statuses themselves, with their words, are the server's (meta.js:
// event.kind, event.status, event.audience, event.registration_status,
// event.number_status, honour.kind, honour.status, honour.nominee_status).
import { beijingTime, w3cBeijing } from '../councils/councils.js';

// "2026-12-08 09:00" (Beijing) of a time the server sends.
export const when = (at) => beijingTime(at);
// "09:00" of it.
export const hhmm = (at) => beijingTime(at).slice(11, 16);
// The W3C date-time the server takes, from a picker's "YYYY-MM-DDTHH:mm:ss" (Beijing time).
export const w3c = (local) => w3cBeijing(local);
// A picker's "YYYY-MM-DDTHH:mm:ss" (Beijing) of a time the server sends.
export const pickerTime = (at) => (at ? `${beijingTime(at).replace(' ', 'T')}:00` : '');

// "2026-12-08 09:00–21:00", or with both days when it spans more than one.
export function span(starts, ends) {
  const a = when(starts);
  const b = when(ends);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a}–${b.slice(11)}` : `${a} – ${b}`;
}
// "泉星社区 · 2026-12-08 09:00–21:00" of a date ({place, starts_at, ends_at}).
export const dateLabel = (d) => (d ? `${d.place?.name || d.place_name || ''} · ${span(d.starts_at, d.ends_at)}` : '');

// Whether a date is on now, to come, or over.
export function phaseOf(d, now = Date.now()) {
  if (!d) return '';
  if (d.cancelled) return 'cancelled';
  if (now < Date.parse(d.starts_at)) return 'coming';
  if (now > Date.parse(d.ends_at)) return 'over';
  return 'now';
}
// The date a desk or a station most likely wants: the one on now, else the next to come, else the last.
export function currentDate(dates, now = Date.now()) {
  const live = (dates || []).filter((d) => !d.cancelled);
  return (
    live.find((d) => phaseOf(d, now) === 'now') ||
    live.filter((d) => phaseOf(d, now) === 'coming').sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at))[0] ||
    live[live.length - 1] ||
    null
  );
}

// Element Plus tones (the phone's through vantTone in format.js).
const TONES = {
  event: { draft: 'info', published: 'success', cancelled: 'danger', finished: 'info' },
  registration: { registered: 'success', waiting: 'warning', cancelled: 'info', invited: 'primary', declined: 'danger' },
  number: { waiting: 'warning', called: 'primary', served: 'success', skipped: 'info' },
  honour: { nominating: 'primary', voting: 'success', closed: 'warning', published: 'info' },
  nominee: { pending: 'warning', approved: 'success', rejected: 'danger' },
};
export const eventTone = (s) => TONES.event[s] || 'info';
export const registrationTone = (s) => TONES.registration[s] || 'info';
export const numberTone = (s) => TONES.number[s] || 'info';
export const honourTone = (s) => TONES.honour[s] || 'info';
export const nomineeTone = (s) => TONES.nominee[s] || 'info';

// A station's result in words, by how it scores ({value_kind, unit}):
// "118 次", "3 级", 达标 / 未达标, 已检测 (a check with no score).
export function resultText(t, value, station) {
  const kind = station?.value_kind;
  if (kind === 'pass') return value === null || value === undefined ? '—' : t(value > 0 ? 'evt.passed' : 'evt.failed');
  if (kind === 'none') return t('evt.checked');
  if (value === null || value === undefined) return '—';
  const n = Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  if (kind === 'level') return t('evt.levelN', { n });
  return station?.unit ? `${n} ${station.unit}` : n;
}

// A ticket's code from what was typed or scanned: the code itself (16
// characters of base64url), or a text (a URL, say) that carries it as
// `code=…` or as its last path segment. Case is kept: codes are case-sensitive.
export function ticketCode(text) {
  const s = String(text || '').trim();
  if (!s) return '';
  const param = /[?&#]code=([^&#\s]+)/i.exec(s);
  if (param) return decodeURIComponent(param[1]).trim();
  if (/^https?:\/\//i.test(s)) return s.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop();
  return s.replace(/\s+/g, '');
}

// The next step of an honours round ({nominating: 'voting', …}), from the
// server's order of its statuses; none after the last.
export function nextStatus(statuses, status) {
  const i = statuses.indexOf(status);
  return i >= 0 && i < statuses.length - 1 ? statuses[i + 1] : null;
}

// A new date's fields (DateFields.vue), at `place` ({id, name}) to begin with.
export const blankDate = (place) => ({ place_id: place?.id ?? null, place_name: place?.name ?? '', venue: '', starts_at: '', ends_at: '', capacity: 100, waitlist: true, exit_scan: false });
// Its body as the server takes it (POST /api/events, POST /api/events/{id}/dates).
export const dateBody = (d) => ({
  place_id: d.place_id,
  venue: d.venue.trim() || null,
  starts_at: w3c(d.starts_at),
  ends_at: w3c(d.ends_at),
  capacity: d.capacity,
  waitlist: d.waitlist,
  exit_scan: d.exit_scan,
});
// Whether a date's fields are filled enough to send.
export const dateReady = (d) => Boolean(d.place_id && d.starts_at && d.ends_at && d.capacity);
