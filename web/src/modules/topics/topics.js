// What both faces share about topics (议题): which statuses show progress, the
// colours of the statuses and of the timeline's steps, the places a topic may
// be raised on, the timeline and the time a step happened.
// The statuses and the kinds of step, with their words, are the server's
// (meta.js: topic.status, topic.update); photos are uploaded by the shared
// pickers (mobile/components/PhotoPicker.vue, console/components/PhotoUpload.vue).
import { label } from '../../meta.js';
import { beijingTime } from '../councils/councils.js';

// Adopted, and being carried out or done: its progress is shown.
export const carriedOut = (status) => status === 'decided' || status === 'done';

// Waiting (warning), on its way (primary), carried out (success), finished
// (info), refused (danger).
const STATUS_TONES = { raised: 'warning', accepted: 'primary', merged: 'info', declined: 'danger', decided: 'success', rejected: 'danger', done: 'info' };
export const statusTone = (status) => STATUS_TONES[status] || 'info';
const STEP_TONES = { accepted: 'primary', merged: 'info', declined: 'danger', decided: 'success', rejected: 'danger', progress: 'primary', done: 'success' };
export const stepTone = (kind) => STEP_TONES[kind] || 'primary';

// Topics are raised on a community, a compound or a building.
export const PLACE_KINDS = ['community', 'compound', 'building'];
const NEAREST_FIRST = ['building', 'compound', 'community'];

// The places the user may raise a topic on, from GET /api/places/mine: the
// building, compound and community of their household (or of the place
// their role is held over), the nearest first, each once — [{id, name, kind, kindLabel}].
export function placeChoices(mine) {
  const seen = new Map();
  for (const a of mine || [])
    for (const p of [a.place, ...(a.ancestors || [])].filter((p) => PLACE_KINDS.includes(p.kind))) if (!seen.has(p.id)) seen.set(p.id, p);
  return [...seen.values()]
    .sort((a, b) => NEAREST_FIRST.indexOf(a.kind) - NEAREST_FIRST.indexOf(b.kind))
    .map((p) => ({ id: p.id, name: p.name, kind: p.kind, kindLabel: label('place.kind', p.kind) }));
}

// The timeline oldest first: the topic raised, then each step the server recorded.
export const timeline = (topic) => [{ id: 0, kind: 'raised', text: null, progress: null, photos: [], by: topic.raiser, at: topic.raised_at }, ...(topic.updates || [])];

// The name of a step of the timeline: the server's, or for the first 提出议题 (`t`: the page's).
export const stepLabel = (t, kind) => (kind === 'raised' ? t('topic.raisedStep') : label('topic.update', kind));

// "2026-12-07 21:03" (Beijing time) from a time the server sends.
export const when = (at) => beijingTime(at);
