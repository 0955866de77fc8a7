// What both faces share about renovation projects (老旧小区改造): the server's
// vocabulary — the items a project may hold and its five stages, worded in
// the UI language (GET /api/renovations/vocabulary, read once per language) —
// the colour of each stage, the votes' and defects' tones, and the deadlines
// a defect may be given (Beijing time, as the server takes them).
import { reactive } from 'vue';
import { get } from '../../api.js';
import { currentLanguage } from '../../i18n.js';

const vocabularies = new Map();
// The vocabulary in the UI language: { items: [{key, label}], stages: [{key, label, needs}] }.
export function vocabulary() {
  const lang = currentLanguage();
  if (!vocabularies.has(lang)) {
    const answer = get('/api/renovations/vocabulary', null, { quiet: true });
    vocabularies.set(lang, answer);
    // A refusal is not kept: the next page asks again.
    answer.catch(() => vocabularies.delete(lang));
  }
  return vocabularies.get(lang);
}

// The vocabulary for a page: `words.items` and `words.stages` (empty until it
// comes), `itemLabel(key)` and `stageLabel(key)` (the key itself until then).
export function useVocabulary() {
  const words = reactive({ items: [], stages: [] });
  vocabulary()
    .then((v) => Object.assign(words, { items: v.items || [], stages: v.stages || [] }))
    .catch(() => {});
  const itemLabel = (key) => words.items.find((i) => i.key === key)?.label || key;
  const stageLabel = (key) => words.stages.find((s) => s.key === key)?.label || key;
  return { words, itemLabel, stageLabel };
}

// A stage's colour (Element Plus tone): talking and deciding (info), the site
// open (warning), kept up after it (success).
const STAGE_TONES = { publicity: 'info', intention: 'info', plan: 'info', construction: 'warning', maintenance: 'success' };
export const stageTone = (stage) => STAGE_TONES[stage] || 'info';

// The stages whose owners' vote decides them, in order.
export const VOTED_STAGES = ['intention', 'plan'];

// A linked vote's tone: carried, failed, or not decided yet.
export const voteTone = (v) => (v?.passed === true ? 'success' : v?.passed === false ? 'danger' : 'warning');

// The rectification deadlines offered for a defect, in days from today.
export const DEADLINE_DAYS = [1, 3, 7, 15];

// "YYYY-MM-DD" in Beijing, `days` after today.
export function beijingDay(days = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10);
}

// The W3C date-time the server takes for a deadline `days` from today at 18:00, Beijing time.
export const deadlineIn = (days) => `${beijingDay(days)}T18:00:00+08:00`;
