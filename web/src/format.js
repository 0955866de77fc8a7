// Small display helpers shared by both faces.

// "2026-06-01 09:30" in local time, from milliseconds since the epoch.
export function formatTime(at) {
  if (at === null || at === undefined) return '';
  const d = new Date(at);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// A label from a locale group of the app's own words for a key (the short
// step names of a work order, how a resource matches a need), or the key
// itself when the group lacks it. The server's enumerations are labelled by
// meta.js instead. Dots in the key become underscores: vue-i18n reads dots as nesting.
export function labelOf(t, te, prefix, key) {
  if (key === null || key === undefined || key === '') return '';
  const k = `${prefix}.${String(key).replace(/\./g, '_')}`;
  return te(k) ? t(k) : key;
}

// Both UI kits' "primary" is the brand red here; what is being worked on
// (orders in progress, awards on notice) is shown in blue instead, so red
// stays for what is late or refused.
export const WORKING_BLUE = '#1f6fd1';

// Vant tag props for an Element Plus tone (primary, success, warning, danger,
// info): {type}, or {color} for "primary".
export const vantTone = (tone) => (tone === 'primary' ? { color: WORKING_BLUE } : { type: tone === 'info' ? 'default' : tone });
