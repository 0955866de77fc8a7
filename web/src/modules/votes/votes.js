// What both faces share about owners' votes (业主表决): the colours of their
// statuses and outcomes and of the paper entries' statuses, the four
// thresholds of Civil Code Article 278 as a closed vote's sums meet them, and
// the check of a receipt against the published list. The statuses, matters
// and choices, with their words, are the server's (meta.js:
// owner_vote.status, owner_vote.matter, owner_vote.choice,
// owner_vote.entry_status); the count itself and its explanation are the
// server's too (votes::decide) — the thresholds here only show each sum
// against its bar, as the explanation words it.

const STATUS_TONES = { draft: 'warning', open: 'success', closed: 'info' };
export const statusTone = (status) => STATUS_TONES[status] || 'info';
// A paper ballot's or a written proxy's entry (owner_vote.entry_status):
// waiting for a second reading, the readings differing, checked (a proxy, to
// count at the close), counted, or set aside.
const ENTRY_TONES = { pending: 'warning', disputed: 'danger', confirmed: 'success', counted: 'success', superseded: 'info', refused: 'info' };
export const entryTone = (status) => ENTRY_TONES[status] || 'info';
// An entry a second person may still read (复核): the first reading's choice
// is not shown while it waits, so that the second is blind to it.
export const entryWaiting = (entry) => entry.status === 'pending' || entry.status === 'disputed';

// Carried, failed, or not decided yet (null).
export const outcomeTone = (passed) => (passed === true ? 'success' : passed === false ? 'danger' : 'info');

// An area as the server writes it ("3435.27", m² with two decimals) in
// hundredths of a m², exactly: the thresholds compare integers, as the count does.
export function centi(area) {
  const [whole, fraction = ''] = String(area ?? '0').split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

// "2.77%": part of whole, cut (not rounded) to two decimals, as the explanation says it.
export const share = (part, whole) => (whole > 0 ? `${(Math.floor((part * 10000) / whole) / 100).toFixed(2)}%` : '—');

// The four bars a closed vote is held to, from its result: taking part (two
// thirds of the area and of the owners, "以上" including the bar) and
// agreeing (of those taking part: more than half, or three quarters "以上"
// for a special matter). Each { key, part, whole, area (part and whole are
// areas), met }; nobody taking part agrees to nothing.
export function thresholds(r) {
  if (!r) return [];
  const ta = centi(r.total_area);
  const pa = centi(r.participating_area);
  const aa = centi(r.agreeing_area);
  const [to, po, ao] = [r.total_owners, r.participating_owners, r.agreeing_owners];
  const agrees = (part, whole) => whole > 0 && (r.kind === 'special' ? part * 4 >= whole * 3 : part * 2 > whole);
  return [
    { key: 'takingArea', part: r.participating_area, whole: r.total_area, area: true, ratio: share(pa, ta), met: ta > 0 && pa * 3 >= ta * 2 },
    { key: 'takingOwners', part: po, whole: to, area: false, ratio: share(po, to), met: to > 0 && po * 3 >= to * 2 },
    { key: 'agreeingArea', part: r.agreeing_area, whole: r.participating_area, area: true, ratio: share(aa, pa), met: agrees(aa, pa) },
    { key: 'agreeingOwners', part: ao, whole: po, area: false, ratio: share(ao, po), met: agrees(ao, po) },
  ];
}

// The turnout of a building or of the whole roll as a percentage (0..100) of its units.
export const percent = (part, whole) => (whole > 0 ? Math.min(100, Math.round((part * 100) / whole)) : 0);

// The SHA-256 of a receipt code as lower-case hex, as the server lists it; null
// where the browser offers no digest (a page not served over HTTPS).
export async function receiptHash(code) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code.trim()));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// Whether the receipt `code` is on the published list `hashes`: true, false, or
// null when this browser cannot tell.
export async function receiptListed(code, hashes) {
  const hash = await receiptHash(code);
  return hash === null ? null : (hashes || []).includes(hash);
}
