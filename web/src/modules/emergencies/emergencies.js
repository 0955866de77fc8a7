// What both faces share about risk points and emergencies (GRD-2, GRD-3):
// the catalogue (hazards, kinds of risk point, supply items, levels) read once
// per language from GET /api/emergency-catalog, the colours of the four
// warning levels (I 红 · II 橙 · III 黄 · IV 蓝) and of the kinds on the
// street's plan, times in Beijing, and a timeline entry in words. The
// statuses themselves, with their words, are the server's (meta.js:
// emergency.level, emergency.status, emergency.task_status, supply.movement).
import { reactive } from 'vue';
import { get, orElse } from '../../api.js';
import { currentLanguage } from '../../i18n.js';
import { label } from '../../meta.js';
import { beijingClock, beijingTime } from '../councils/councils.js';

// "2026-07-10 08:00" (Beijing time) from a time the server sends.
export const when = (at) => beijingTime(at);
// "08:00", the time of day in Beijing.
export const hhmm = (at) => (at ? beijingClock(at).slice(0, 5) : '');
export const past = (at) => Boolean(at) && new Date(at).getTime() < Date.now();

// The levels from the most severe: 1 I级（红色） … 4 IV级（蓝色）.
export const LEVELS = [1, 2, 3, 4];
// Each level's colour, as a badge (bg) with words readable on it (fg, 4.5:1 at least).
export const LEVEL_COLORS = {
  1: { bg: '#c8161d', fg: '#ffffff', soft: '#fdecec' },
  2: { bg: '#c2410c', fg: '#ffffff', soft: '#fff1e6' },
  3: { bg: '#f5c400', fg: '#3d2f00', soft: '#fff9db' },
  4: { bg: '#1f6fd1', fg: '#ffffff', soft: '#ecf5ff' },
};
export const levelColor = (level) => LEVEL_COLORS[level] || { bg: '#909399', fg: '#ffffff', soft: '#f4f4f5' };
export const levelName = (level) => label('emergency.level', level === null || level === undefined ? '' : String(level));
// Roman numerals, for the big badge.
export const ROMAN = { 1: 'I', 2: 'II', 3: 'III', 4: 'IV' };

// Colours of the kinds of risk point on the plan, by their place in the catalogue.
const KIND_PALETTE = ['#1f6fd1', '#7232dd', '#00838f', '#c2410c', '#2e7d32', '#8d6e00', '#ad1457', '#455a64'];

// The catalogue in the UI language (read once per language; a failure is read again next time).
const catalogs = reactive({});
const loading = {};
const EMPTY = { hazards: [], risk_kinds: [], supply_items: [], levels: [] };
export function useCatalog() {
  const lang = currentLanguage();
  if (!catalogs[lang] && !loading[lang]) {
    loading[lang] = orElse(get('/api/emergency-catalog', null, { quiet: true })).then((c) => {
      if (c) catalogs[lang] = c;
      loading[lang] = null;
    });
  }
  return {
    get data() {
      return catalogs[currentLanguage()] || EMPTY;
    },
    get loaded() {
      return Boolean(catalogs[currentLanguage()]);
    },
  };
}
const nameIn = (list, code) => list.find((x) => x.code === code)?.name || code || '';
export const hazardName = (catalog, code) => nameIn(catalog.data.hazards, code);
export const kindName = (catalog, code) => nameIn(catalog.data.risk_kinds, code);
export const itemOf = (catalog, code) => catalog.data.supply_items.find((x) => x.code === code) || { code, name: code, unit: '' };
export function kindColor(catalog, code) {
  const i = catalog.data.risk_kinds.findIndex((k) => k.code === code);
  return i < 0 ? '#646566' : KIND_PALETTE[i % KIND_PALETTE.length];
}

// One timeline entry in words: what happened (its kind, from the locale's
// emg.log group) and what it concerns (a level, a partner, a risk point, a
// supply movement, the reason given).
export function timelineText(t, te, entry, catalog) {
  const d = entry.data || {};
  const key = `emg.log.${entry.kind}`;
  const what = te(key) ? t(key) : entry.kind;
  const parts = [];
  if (['declared', 'raised', 'lowered'].includes(entry.kind) && entry.level) parts.push(levelName(entry.level));
  if (d.org) parts.push(d.org);
  if (d.point) parts.push(d.point);
  if (entry.kind === 'supply' && d.item) {
    const item = itemOf(catalog, d.item);
    parts.push(t('emg.supplyLine', { kind: label('supply.movement', d.kind), item: item.name, quantity: d.quantity, unit: item.unit, warehouse: d.warehouse || '' }));
  }
  if (d.people !== undefined && d.people !== null) parts.push(t('emg.peopleN', { n: d.people }));
  if (d.tasks_cancelled) parts.push(t('emg.tasksCancelledN', { n: d.tasks_cancelled }));
  if (d.reason) parts.push(d.reason);
  return { what, detail: parts.join(t('emg.sep')) };
}

// The street a place lies in, from its path ("/1/2/8/" → 1).
export const streetOf = (path) => Number(String(path || '').split('/').filter(Boolean)[0]) || null;
