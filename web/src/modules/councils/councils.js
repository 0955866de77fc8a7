// What both faces share about councils (议事组织) and their meetings: the
// vocabulary the server words (kinds, seats, the ten rules — GET
// /api/councils/vocabulary, read once per language), meeting times in Beijing
// time both ways, a council's term and the rule set's parameters in words,
// and the colours of meeting statuses and answers. The statuses and answers
// themselves, with their words, are the server's (meta.js: meeting.status,
// meeting.reply).
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
