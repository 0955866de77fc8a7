// What the server declares about itself, from GET /api/meta (public, the same
// JSON as `xinghuo meta`): the labels of every enumeration it owns (place
// kinds, statuses, categories, transaction kinds, audit actions …), its
// permissions and roles, and its limits. Both faces load it once, before they
// mount, so every label the app shows for a stored key is the server's own
// and cannot drift from what exports and messages say.
//
// Label sets are named as on the server: 'place.kind', 'workorder.status',
// 'points.transaction_kind', 'audit.action' … (tests/meta.test.mjs fails when
// the sources use a set, a permission or a limit the server does not have).
import { reactive } from 'vue';
import { get, orElse } from './api.js';
import { currentLanguage } from './i18n.js';

const meta = reactive({ labels: {}, permissions: [], roles: [], limits: {} });

// {photo_max_bytes, photos_per_report, page_max, export_max}: what the server
// accepts. page_max is the most items one page of any list may hold, so a
// list wanted whole is asked for with limit: limits.page_max.
export const limits = meta.limits;

// Loads the declaration; resolves false (the error shown) when the server
// does not answer, in which case keys stand for their labels.
export async function loadMeta() {
  const answer = await orElse(get('/api/meta'));
  if (!answer) return false;
  meta.labels = answer.labels || {};
  meta.permissions = answer.permissions || [];
  meta.roles = answer.roles || [];
  Object.assign(meta.limits, answer.limits || {});
  return true;
}

const word = (entry) => (currentLanguage() === 'en' ? entry.en : entry.zh) || entry.zh || entry.key;

// The label of `key` in the set, in the UI language; the key itself when the
// server has no label for it ('' for no key).
export function label(set, key) {
  if (key === null || key === undefined || key === '') return '';
  const entry = meta.labels[set]?.find((e) => e.key === key);
  return entry ? word(entry) : String(key);
}

// Every entry of a set in the server's order, as [{key, label}] (for filters and choices).
export function labels(set) {
  return (meta.labels[set] || []).map((e) => ({ key: e.key, label: word(e) }));
}

// The keys of a set in the server's order.
export function keys(set) {
  return (meta.labels[set] || []).map((e) => e.key);
}

// The roles, each with its label in the UI language: [{name, label, staff, permissions}].
export function roles() {
  return meta.roles.map((r) => ({ name: r.name, label: word({ key: r.name, zh: r.zh, en: r.en }), staff: r.staff, operatorAppointed: Boolean(r.operator_appointed), permissions: r.permissions || [] }));
}

// Every permission the server defines.
export const permissions = () => meta.permissions;
