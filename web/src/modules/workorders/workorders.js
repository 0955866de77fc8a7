// What both faces share about work orders (诉求与工单): the normal path of the
// closed loop and the colours of its statuses, the order of the actions and
// what each needs, photo uploads, and durations in words. The words for
// statuses, actions, bodies and channels are the server's (meta.js); category
// labels come with the categories (they are data).
import { post } from '../../api.js';
import { vantTone } from '../../format.js';

// The normal path of an order, for step indicators.
export const FLOW = ['submitted', 'accepted', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed'];
export const ACTIONS = ['accept', 'reject', 'dispatch', 'start', 'resolve', 'verify', 'close', 'reopen'];
// Statuses after which the reporter may rate the result.
export const RATEABLE = ['resolved', 'verified', 'closed'];
// Photos of the result (taken when resolving) as opposed to those of the report.
export const isResultPhoto = (p) => p.stage === 'resolution' || p.stage === 'result';

// Tag colours: waiting (warning), being worked on (primary), done (success),
// finished (info), refused (danger).
const TONES = {
  submitted: 'warning',
  accepted: 'primary',
  dispatched: 'primary',
  in_progress: 'primary',
  resolved: 'success',
  verified: 'success',
  closed: 'info',
  rejected: 'danger',
  reopened: 'warning',
};
export const statusTone = (s) => TONES[s] || 'info';
// Vant tag props for a status.
export const vantTag = (s) => vantTone(statusTone(s));

// Button look and the note each action asks for: `reason` is required for a
// rejection; a resolution may carry photos of the result.
export const ACTION_META = {
  accept: { type: 'primary' },
  reject: { type: 'danger', reason: true },
  dispatch: { type: 'primary' },
  start: { type: 'primary' },
  resolve: { type: 'success', photos: true },
  verify: { type: 'success' },
  close: { type: 'info' },
  reopen: { type: 'warning' },
};

// Uploads one image (raw bytes, its own type) and returns {id, mime, size, url}.
export function uploadPhoto(file) {
  return post('/api/uploads/photos', file, { contentType: file.type || 'application/octet-stream' });
}

// "45 分钟", "3.5 小时", "2.1 天" from minutes; '—' when there is nothing to measure.
export function formatMinutes(t, minutes) {
  if (minutes === null || minutes === undefined) return '—';
  if (minutes < 60) return t('wo.dur.minutes', { n: Math.round(minutes) });
  if (minutes < 48 * 60) return t('wo.dur.hours', { n: Math.round(minutes / 6) / 10 });
  return t('wo.dur.days', { n: Math.round(minutes / 144) / 10 });
}

// "87%" from 0..1; '—' for null.
export function formatRate(rate) {
  if (rate === null || rate === undefined) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}
