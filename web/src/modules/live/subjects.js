// Where a notice opens what it is about, on the console or on the phone: each
// module declares the paths of its subjects (`console.subjects`,
// `mobile.subjects`: subject_type → (id) => path).
import { modules } from '../index.js';

// The path of notice `n`'s subject on `face` ('console' or 'mobile'), or null.
export function whereTo(face, n) {
  if (!n.subject_type || n.subject_id === null || n.subject_id === undefined) return null;
  const open = modules.find((m) => m[face]?.subjects?.[n.subject_type])?.[face].subjects[n.subject_type];
  return open ? open(n.subject_id) : null;
}
