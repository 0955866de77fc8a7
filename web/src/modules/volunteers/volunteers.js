// What both faces share about volunteer service (志愿服务): times in Beijing
// (an occurrence's day, its hours, the minute a missed check-out is closed
// at), the schedule presets an activity is made with and an RRULE in words,
// hours from minutes, the tones of the statuses, where an occurrence stands
// for the caller (报名 / 候补 / 已报名 …), and the rotating codes of check-in
// (the leader's, and a volunteer's own) read again as each one changes. The
// statuses themselves, with their words, are the server's (meta.js:
// volunteer.status, volunteer.service, activity.signup, activity.status).
import { onBeforeUnmount, reactive, watch } from 'vue';
import QRCode from 'qrcode';
import { ApiError, get } from '../../api.js';
import { currentLanguage } from '../../i18n.js';
import { beijingClock, beijingTime } from '../councils/councils.js';

// "2026-12-07 06:30" (Beijing time) from a time the server sends.
export const when = (at) => beijingTime(at);
// "06:30", the time of day in Beijing.
export const hhmm = (at) => (at ? beijingClock(at).slice(0, 5) : '');
// "YYYY-MM-DD" in Beijing, `days` after today.
export const beijingDay = (days = 0) => new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10);
// "YYYY-MM", this month in Beijing.
export const beijingMonth = () => beijingDay().slice(0, 7);
// The instant (ISO 8601) of `date` ("YYYY-MM-DD") at `time` ("HH:MM"), Beijing time.
export const beijingInstant = (date, time) => new Date(`${date}T${time}:00+08:00`).toISOString();

// A missed check-out closed: the minute chosen on the occurrence's day, kept
// within the check-in and now (the server takes no time outside them; a
// minute only names the second within it).
export function closedAt(o, signup, time) {
  const at = new Date(beijingInstant(beijingTime(o.starts_at).slice(0, 10), time)).getTime();
  const checkedIn = new Date(signup.checked_in_at).getTime();
  const now = Date.now();
  const minute = 60000;
  if (at < checkedIn && checkedIn - at < minute) return new Date(checkedIn).toISOString();
  if (at > now && at - now < minute) return new Date(now).toISOString();
  return new Date(at).toISOString();
}
// The time offered for a missed check-out: the end, or now if it has not come.
export const closeDefault = (o) => hhmm(new Date(Math.min(new Date(o.ends_at).getTime(), Date.now())).toISOString());

const WEEKDAY = new Map();
// "周一" / "Mon" of a time, in Beijing and in the UI language.
function weekday(at) {
  const lang = currentLanguage() === 'en' ? 'en' : 'zh-CN';
  if (!WEEKDAY.has(lang)) WEEKDAY.set(lang, new Intl.DateTimeFormat(lang, { timeZone: 'Asia/Shanghai', weekday: 'short' }));
  return WEEKDAY.get(lang).format(new Date(at));
}
// "2026-12-07 周一 06:30–06:45": an occurrence's day and hours.
export const span = (starts, ends) => (starts ? `${beijingTime(starts).slice(0, 10)} ${weekday(starts)} ${hhmm(starts)}–${hhmm(ends)}` : '');

// Names of a list ([{name}]) in a row, as the UI language joins them: "泉星花园、泉水花园" (— for none).
export const names = (t, list) => (list || []).map((x) => x.name).join(t('vol.listJoin')) || '—';

// Hours from minutes, one decimal at most: 90 → "1.5".
export const hours = (minutes) => String(Math.round(((minutes || 0) / 60) * 10) / 10);

// --- schedules ---------------------------------------------------------------------------
// The repeats an activity is made with (vol.repeat.<key>); `custom` takes an RRULE as written.
export const REPEATS = [
  { key: 'once', rrule: null },
  { key: 'daily', rrule: 'FREQ=DAILY' },
  { key: 'saturday', rrule: 'FREQ=WEEKLY;BYDAY=SA' },
  { key: 'weekdays', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
  { key: 'monthly', rrule: 'FREQ=MONTHLY' },
  { key: 'custom', rrule: '' },
];
// The RRULE of a preset and an optional last day ("YYYY-MM-DD"): ";UNTIL=YYYYMMDD" appended.
export function rruleOf(repeat, until, custom = '') {
  const base = repeat === 'custom' ? custom.trim().replace(/^RRULE:/i, '') : REPEATS.find((r) => r.key === repeat)?.rrule;
  if (!base) return null;
  return until && !/UNTIL=|COUNT=/i.test(base) ? `${base};UNTIL=${until.replace(/-/g, '')}` : base;
}
// An activity's schedule in words: "每天 06:30、18:00，至 2027-01-31" (or the RRULE as written).
export function scheduleOf(t, a) {
  if (!a) return '';
  const times = (a.times || []).join(t('vol.listJoin'));
  if (!a.rrule) return t('vol.scheduleOnce', { date: a.first_date, times });
  const until = /UNTIL=(\d{4})(\d{2})(\d{2})/.exec(a.rrule);
  const base = a.rrule.replace(/;?UNTIL=[^;]*/, '');
  const preset = REPEATS.find((r) => r.rrule && r.rrule === base);
  const rule = preset ? t(`vol.repeat.${preset.key}`) : a.rrule;
  const text = t('vol.scheduleRepeat', { rule, times, from: a.first_date });
  return until ? t('vol.scheduleUntil', { text, until: `${until[1]}-${until[2]}-${until[3]}` }) : text;
}

// --- tones ------------------------------------------------------------------------------
const VOLUNTEER_TONES = { applied: 'warning', confirmed: 'success', declined: 'danger' };
export const volunteerTone = (s) => VOLUNTEER_TONES[s] || 'info';
const SIGNUP_TONES = { signed: 'success', waiting: 'warning', cancelled: 'info' };
export const signupTone = (s) => SIGNUP_TONES[s] || 'info';
export const activityTone = (s) => (s === 'active' ? 'success' : 'info');

// Where an occurrence stands for the caller: 'cancelled' (the occurrence),
// the caller's own sign-up ('signed', 'waiting'), 'ended', 'started' (under
// way), 'full' (only the waitlist is left) or 'open'.
export function standing(o, now = Date.now()) {
  if (o.cancelled) return 'cancelled';
  if (o.my && o.my.status !== 'cancelled') return o.my.status;
  if (now >= new Date(o.ends_at).getTime()) return 'ended';
  if (now >= new Date(o.starts_at).getTime()) return 'started';
  return o.signed >= o.capacity ? 'full' : 'open';
}
// Whether the caller may still sign up (or join the waitlist): not cancelled, not started, not signed.
export const mayJoin = (o) => !o.cancelled && (!o.my || o.my.status === 'cancelled') && new Date(o.starts_at).getTime() > Date.now();

// --- rotating codes ----------------------------------------------------------------------
// A code that changes every 30 s, read from `path()` ({code|token, changes_at})
// while `active()` and again just after each change; while the server answers
// 409 (outside the check-in and check-out windows) it asks again each half
// minute. Returns reactive { value, qr (an SVG of the value), closed (the
// server's words while it refuses), loading }.
export function useRotatingCode(path, active, field = 'code') {
  const state = reactive({ value: '', qr: '', closed: '', loading: false });
  let timer = null;
  let stopped = false;
  const later = (ms) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(read, Math.max(1000, Math.min(ms, 60000)));
  };
  async function read() {
    clearTimeout(timer);
    if (stopped || !active()) return;
    state.loading = !state.value;
    try {
      const answer = await get(path(), null, { quiet: true });
      state.value = answer[field];
      state.closed = '';
      state.qr = await QRCode.toString(String(answer[field]), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      later(new Date(answer.changes_at).getTime() - Date.now() + 300);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      Object.assign(state, { value: '', qr: '', closed: err.message });
      later(30000);
    } finally {
      state.loading = false;
    }
  }
  watch(
    () => (active() ? path() : ''),
    (on) => (on ? read() : (clearTimeout(timer), Object.assign(state, { value: '', qr: '', closed: '' }))),
    { immediate: true },
  );
  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
  });
  return state;
}

// The address a calendar feed is subscribed to (the server answers an absolute path).
export const feedAddress = (url) => (/^https?:/.test(url) ? url : `${location.origin}${url}`);

// --- micro-wishes, home services, patrols, stewards (VOL-3 … VOL-6) ------------------------
// The statuses themselves, with their words, are the server's (meta.js:
// wish.status, homeservice.kind, homeservice.status).
const WISH_TONES = { submitted: 'warning', rejected: 'danger', published: 'primary', claimed: 'primary', fulfilled: 'warning', confirmed: 'success' };
export const wishTone = (s) => WISH_TONES[s] || 'info';
const SERVICE_TONES = { requested: 'warning', assigned: 'primary', done: 'success', cancelled: 'info' };
export const serviceTone = (s) => SERVICE_TONES[s] || 'info';
// Whom a home service is assigned to: the team's name, or the volunteer's ('' for nobody yet).
export const assigneeOf = (s) => s?.team?.name || s?.volunteer?.name || '';
// Whether a time has passed.
export const past = (at) => Boolean(at) && new Date(at).getTime() < Date.now();

// A patrol's checkpoints in the route's order, each with its scan on the
// patrol (null while not scanned) and the work orders filed there:
// [{ ...checkpoint, scan, findings }].
export function checkpointStates(route, patrol) {
  const scans = new Map((patrol?.scans || []).map((s) => [s.checkpoint_id, s]));
  return (route?.checkpoints || []).map((c) => ({
    ...c,
    scan: scans.get(c.id) || null,
    findings: (patrol?.findings || []).filter((f) => f.checkpoint_id === c.id),
  }));
}
// Whether the signed-in user walks the patrol. The server names the walker
// only by their display name (a patrol says nothing of whose it is): the
// patrol this phone started on a route is remembered as well (rememberPatrol).
export const walksIt = (patrol, me) => Boolean(patrol && me) && (patrol.walker === me.display_name || rememberedPatrol(patrol.route_id) === patrol.id);
const PATROL_KEY = (routeId) => `xh.patrol.${routeId}`;
export function rememberPatrol(routeId, patrolId) {
  try {
    if (patrolId) localStorage.setItem(PATROL_KEY(routeId), String(patrolId));
    else localStorage.removeItem(PATROL_KEY(routeId));
  } catch {
    // Storage unavailable: the walker's name alone tells.
  }
}
export function rememberedPatrol(routeId) {
  try {
    return Number(localStorage.getItem(PATROL_KEY(routeId))) || null;
  } catch {
    return null;
  }
}
// The caller's patrol under way on a route (its `patrols`, newest first), if any.
export const myOngoing = (route, me) => (route?.patrols || []).find((p) => p.status === 'ongoing' && walksIt(p, me)) || null;
