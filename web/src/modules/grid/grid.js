// What both faces share about grid work (网格): times and weeks in Beijing,
// progress as a share, the tones of an event's status, a visit's outcome and
// a campaign's status, a patrol's track laid out for an SVG drawing, building
// names in their natural order, household codes read from pasted text or a
// file, and a form's answers in words. The statuses themselves, with their
// words, are the server's (meta.js: grid.event_kind, grid.event_status,
// campaign.outcome, campaign.status).
import { beijingTime } from '../councils/councils.js';

// "2026-12-07 09:30" (Beijing) of a time the server sends.
export const when = (at) => beijingTime(at);
// "09:30" of it.
export const hhmm = (at) => beijingTime(at).slice(11, 16);

const DAY = 86400000;
// "YYYY-MM-DD" of today in Beijing.
export const today = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
// `date` ("YYYY-MM-DD") moved by `n` days.
export const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
// The Monday that starts the week holding `date` (weeks run Monday to Sunday).
export function mondayOf(date) {
  const d = new Date(`${date}T00:00:00Z`);
  return addDays(date, -((d.getUTCDay() + 6) % 7));
}
// The Beijing day ("YYYY-MM-DD") of an instant the server sends (a week's bounds).
export const beijingDay = (at) => new Date(Date.parse(at) + 8 * 3600000).toISOString().slice(0, 10);

// A whole percentage of `part` in `whole` (0 of nothing).
export const percent = (part, whole) => (whole ? Math.round((part / whole) * 100) : 0);
// A campaign's households that have an outcome.
export const doneOf = (progress) => (progress ? progress.total - progress.pending : 0);

// Element Plus tones (the phone's through vantTone): an event open waits (orange),
// filed as an order is being worked on (blue), resolved is done (green).
export const eventTone = (s) => ({ open: 'warning', ordered: 'primary', resolved: 'success' })[s] || 'info';
export const outcomeTone = (o) => ({ visited: 'success', not_home: 'warning', refused: 'danger', follow_up: 'primary' })[o] || 'info';
export const campaignTone = (s) => (s === 'active' ? 'primary' : 'info');

// Names in their natural order: 2号楼 before 10号楼.
const collator = new Intl.Collator('zh-CN', { numeric: true });
export const byName = (a, b) => collator.compare(a.name || '', b.name || '');

// Metres between two points (haversine).
function metres(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.sqrt(h));
}
// The length of a track in metres.
export const trackLength = (points) => points.slice(1).reduce((sum, p, i) => sum + metres(points[i], p), 0);

// A track ([{lat, lng}]) laid out in a `width`×`height` drawing with `pad`
// around it, north up, east and north at the same scale: the polyline's
// points ("x,y x,y …"), each point's place, and how many metres a
// `scaleBar` of round length is and how long it is drawn.
export function trackShape(points, width, height, pad = 24) {
  if (!points.length) return null;
  const lat0 = points.reduce((s, p) => s + p.lat, 0) / points.length;
  const k = Math.cos((lat0 * Math.PI) / 180);
  // Metres east and north of the first point.
  const xy = points.map((p) => ({ x: (p.lng - points[0].lng) * 111320 * k, y: (p.lat - points[0].lat) * 110540 }));
  const xs = xy.map((p) => p.x);
  const ys = xy.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // At least 50 m across, so a patrol that stood still is a dot in the middle.
  const spanX = Math.max(maxX - minX, 50);
  const spanY = Math.max(maxY - minY, 50);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const at = xy.map((p) => ({ x: +(width / 2 + (p.x - cx) * scale).toFixed(1), y: +(height / 2 - (p.y - cy) * scale).toFixed(1) }));
  // A scale bar of a round length near a fifth of the width.
  const target = (width / 5) / scale;
  const round = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000].find((m) => m >= target) || 10000;
  return { line: at.map((p) => `${p.x},${p.y}`).join(' '), at, scaleMetres: round, scalePx: round * scale };
}

// Household codes from pasted text or a .txt/.csv file: one a line (a CSV's
// first column), blank lines and a header without letters or digits left
// out, each code once.
export function parseCodes(text) {
  const codes = (text || '')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.split(/[,;\t]/)[0].trim().replace(/^"(.*)"$/, '$1').trim())
    .filter((c) => c && /[A-Za-z0-9]/.test(c));
  return [...new Set(codes)];
}

// A household's answers to the form in words: "软管是否老化：是；报警器：已安装".
export function answersText(t, form, answers) {
  return (form || [])
    .filter((q) => answers && q.key in answers)
    .map((q) => {
      const v = answers[q.key];
      const shown = typeof v === 'boolean' ? (v ? t('common.yes') : t('common.no')) : String(v);
      return t('grid.answerPair', { q: q.label, a: shown });
    })
    .join(t('grid.answerJoin'));
}

// A choice question's options as typed, one after another ("已安装、未安装"), each once.
export const optionsOf = (text) => [...new Set((text || '').split(/[\u3001,\uff0c;\uff1b\n]/).map((s) => s.trim()).filter(Boolean))];
// The question types a campaign's form takes.
export const QUESTION_TYPES = ['yesno', 'choice', 'text'];
export const MAX_QUESTIONS = 10;
