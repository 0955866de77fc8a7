// Small display helpers shared by both faces.

// "2026-06-01 09:30" in local time, from milliseconds since the epoch.
export function formatTime(ms) {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// A translated label for a server-side key (place kind, relation, status,
// audit action …), or the key itself when this build does not know it yet.
// Dots in the key become underscores: vue-i18n reads dots as nesting.
export function labelOf(t, te, prefix, key) {
  if (key === null || key === undefined || key === '') return '';
  const k = `${prefix}.${String(key).replace(/\./g, '_')}`;
  return te(k) ? t(k) : key;
}

// Both UI kits' "primary" is the brand red here; what is being worked on
// (orders in progress, awards on notice) is shown in blue instead, so red
// stays for what is late or refused.
export const WORKING_BLUE = '#1989fa';

// Vant tag props for an Element Plus tone (primary, success, warning, danger,
// info): {type}, or {color} for "primary".
export const vantTone = (tone) => (tone === 'primary' ? { color: WORKING_BLUE } : { type: tone === 'info' ? 'default' : tone });
