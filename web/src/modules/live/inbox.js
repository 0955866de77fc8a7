// The signed-in user's inbox, shared by both faces: the unread count, kept
// fresh through the live `inbox` topic while some component shows it, and
// marking notices read.
import { computed, reactive } from 'vue';
import { get, orElse, post, put } from '../../api.js';
import { useLive } from '../../live.js';

export const inbox = reactive({ unread: 0 });

// Reads the unread count again; an older answer never replaces a newer one.
let asked = 0;
async function recount() {
  const mine = ++asked;
  const r = await orElse(get('/api/inbox', { unread: 'true', limit: 1 }, { quiet: true }));
  if (r && mine === asked) inbox.unread = r.unread;
}

// For a component that shows the count or the notices: the count is read now
// and again at every change while the component lives; `changed(message)`, if
// given, hears of each change too (a list reads itself again).
export function useInbox(changed) {
  recount();
  useLive(
    () => 'inbox',
    (message) => {
      recount();
      changed?.(message);
    },
  );
  return inbox;
}

// A tile's or link's badge (modules/index.js): the unread count.
export function unreadBadge() {
  useInbox();
  return computed(() => inbox.unread);
}

// Marks notice `n` read (the count follows); a refusal is shown and forgotten.
export async function markRead(n) {
  if (n.read) return;
  const r = await orElse(post(`/api/inbox/${n.id}/read`, {}));
  if (!r) return;
  n.read = true;
  inbox.unread = r.unread;
}

// Marks every notice read; throws the ApiError of a refusal (for useAction).
export async function markAllRead() {
  const r = await post('/api/inbox/read-all', {});
  inbox.unread = r.unread;
  return r;
}

// The caller's choice for each kind of notice: immediately, or gathered into
// the daily digest ({items: [{kind, label, mode}], digest_at}).
export const preferences = () => get('/api/inbox/preferences');
// Sets one; the answer is the whole list again. Throws the ApiError of a refusal.
export const setPreference = (kind, mode) => put('/api/inbox/preferences', { kind, mode });
