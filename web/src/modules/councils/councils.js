// What both faces share about councils (议事组织) and their meetings: the
// vocabulary the server words (kinds, seats, the ten rules — GET
// /api/councils/vocabulary, read once per language), meeting times in Beijing
// time both ways, a council's term and the rule set's parameters in words,
// the speaker's clock (the server's start and limit, corrected by its clock),
// and the colours of meeting statuses, answers and sides. The statuses and answers
// themselves, with their words, are the server's (meta.js: meeting.status,
// meeting.reply).
import { ref } from 'vue';
import { get } from '../../api.js';
import { currentLanguage } from '../../i18n.js';

// The vocabulary in the UI language: { kinds: [{key, label, place_kinds}], seats: [{key, label}], rules: [{key, text, enforced}] }.
const vocabularies = new Map();
export function vocabulary() {
  const lang = currentLanguage();
  if (!vocabularies.has(lang)) {
    const answer = get('/api/councils/vocabulary', null, { quiet: true });
    vocabularies.set(lang, answer);
    // A refusal is not kept: the next page asks again.
    answer.catch(() => vocabularies.delete(lang));
  }
  return vocabularies.get(lang);
}
// The ten rules' words for a page: `rules` (a ref, [] until the vocabulary
// comes, or if it does not) and `ruleText(record)`, the words of the rule a
// violation broke (the record's own, else the vocabulary's).
export function useRules() {
  const rules = ref([]);
  vocabulary()
    .then((v) => (rules.value = v.rules || []))
    .catch(() => {});
  const ruleText = (r) => r.rule_text || rules.value.find((x) => x.key === r.rule)?.text || r.rule;
  return { rules, ruleText };
}

// Meetings are called and shown in Beijing time, wherever the browser is.
const BEIJING = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
// "2027-01-10 19:00" from a time the server sends (ISO 8601).
export function beijingTime(at) {
  if (!at) return '';
  const parts = Object.fromEntries(BEIJING.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
// "19:03:12", the time of day in Beijing (a speech's start, a check-in).
const BEIJING_CLOCK = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
export const beijingClock = (at) => (at ? BEIJING_CLOCK.format(new Date(at)) : '');
// The W3C date-time the server takes from a picker's "YYYY-MM-DDTHH:mm:ss" (Beijing time).
export const w3cBeijing = (local) => (local ? `${local}+08:00` : '');

// A council's term, "2025-01-01 至 2027-12-31" (an open end as —), or — when it has none.
export const termOf = (t, c) => (c?.term_start || c?.term_end ? t('council.termValue', { start: c.term_start || '—', end: c.term_end || '—' }) : '—');

// "3 分钟" or "90 秒" for a number of seconds.
export const duration = (t, seconds) => (seconds % 60 === 0 ? t('council.minutes', { n: seconds / 60 }) : t('council.seconds', { n: seconds }));

// The parameters of a rule set (as the server sends them), each { key, label, value } in words.
export function ruleParams(t, r) {
  if (!r) return [];
  const extension = r.extensions_per_speech > 0 && r.extension_seconds > 0 ? t('council.param.extensionValue', { n: r.extensions_per_speech, time: duration(t, r.extension_seconds) }) : t('council.param.noExtension');
  return [
    { key: 'speech', label: t('council.param.speech'), value: duration(t, r.speech_seconds) },
    { key: 'extension', label: t('council.param.extension'), value: extension },
    { key: 'speeches', label: t('council.param.speeches'), value: t('council.param.speechesValue', { n: r.speeches_per_motion }) },
    { key: 'alternate', label: t('council.param.alternate'), value: r.alternate_sides ? t('council.param.alternateYes') : t('council.param.alternateNo') },
    { key: 'proxies', label: t('council.param.proxies'), value: r.proxies_allowed ? t('council.param.proxiesYes') : t('council.param.proxiesNo') },
    { key: 'secret', label: t('council.param.secret'), value: r.secret_votes ? t('council.param.secretYes') : t('council.param.secretNo') },
    { key: 'pass', label: t('council.param.pass'), value: t(`council.pass.${r.pass}`) },
    { key: 'quorum', label: t('council.param.quorum'), value: t('council.param.quorumValue', { n: r.quorum_percent }) },
  ];
}

const STATUS_TONES = { scheduled: 'primary', open: 'success', closed: 'info', cancelled: 'danger' };
const REPLY_TONES = { invited: 'info', attending: 'success', absent: 'warning', proxy: 'primary' };
export const statusTone = (s) => STATUS_TONES[s] || 'info';
export const replyTone = (r) => REPLY_TONES[r] || 'info';

// The speaker's clock, the same on the console, the phone and the screen.
// skewMs = the server's clock minus the browser's, taken when a session view
// arrives: skewAt(view.server_now_ms) right then.
export const skewAt = (serverNowMs, receivedAt = Date.now()) => (Number.isFinite(serverNowMs) ? serverNowMs - receivedAt : 0);
// The speaker's time left in milliseconds at the browser's `now` (negative =
// overtime), or null when nobody speaks.
export function remainingMs(speaker, skewMs = 0, now = Date.now()) {
  if (!speaker || !Number.isFinite(speaker.started_at_ms) || !Number.isFinite(speaker.limit_ms)) return null;
  return speaker.started_at_ms + speaker.limit_ms - (now + skewMs);
}
// "2:05" for time left (whole seconds rounded up, so a fresh 3 minutes shows
// 3:00), "+0:12" for overtime (rounded down), "" for none.
export function clock(ms) {
  if (ms == null || !Number.isFinite(ms)) return '';
  const over = ms < 0;
  const s = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const text = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return over ? `+${text}` : text;
}
// Overtime, for the red.
export const overtime = (ms) => ms != null && ms < 0;

// The colours of the sides a speaker takes (正方 / 反方 / 中立).
const SIDE_TONES = { pro: 'success', con: 'danger', neutral: 'info' };
export const sideTone = (side) => SIDE_TONES[side] || 'info';
