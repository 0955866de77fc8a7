// The home page's entry tiles: each module's own (`mobile.tiles` in its
// declaration: `color` is the icon's background), then the modules still to come, shown as coming soon. The
// cells of 我的 (and the home page's, with `home`) are the modules' `mobile.links`;
// an entry with `perms` or `staff` shows only to those (see usable()); one
// with `badge` shows a count (see badgesOf()).
import { modules } from '../modules/index.js';

const COMING = [{ key: 'notices', icon: 'volume-o', color: '#07c160' }];

export const tiles = [...modules.flatMap((m) => m.mobile?.tiles || []), ...COMING];
export const links = modules.flatMap((m) => m.mobile?.links || []);

// The tiles or links `session` may use: `perms` (any of them) and `staff`
// (staff only) limit an entry; others are for everyone.
export const usable = (session, entries) =>
  entries.filter((e) => (!e.perms || session.can(...e.perms)) && (!e.staff || session.staff));

// The counts the entries show, by key (a ref each): called in the setup of the
// page that shows them, so each count is kept while the page lives.
export const badgesOf = (entries) => Object.fromEntries(entries.filter((e) => e.badge).map((e) => [e.key, e.badge()]));
