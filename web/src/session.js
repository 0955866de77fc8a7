// Who is signed in, and what they may do. Permissions are not sent with the
// user: they are the union of the permissions of the roles the user holds
// (GET /api/auth/me gives the roles, the server's declaration in meta.js
// what each role grants and what it is called).
import { defineStore } from 'pinia';
import { ApiError, get, orElse, post, setCsrfToken } from './api.js';
import { roles } from './meta.js';

// The session cookie is HttpOnly, so the page cannot see it. This flag
// remembers that a sign-in happened in this browser, so a visitor who never
// signed in goes straight to the login page instead of asking /api/auth/me
// for a 401 first.
const SIGNED_IN = 'xh.signedIn';
function remember(signedIn) {
  try {
    if (signedIn) localStorage.setItem(SIGNED_IN, '1');
    else localStorage.removeItem(SIGNED_IN);
  } catch {
    // Storage unavailable: /api/auth/me is simply asked every time.
  }
}
function mayBeSignedIn() {
  try {
    return localStorage.getItem(SIGNED_IN) === '1';
  } catch {
    return true;
  }
}

export const useSession = defineStore('session', {
  state: () => ({ me: null, loaded: false }),
  getters: {
    // Every role, labelled in the UI language: [{name, label, staff, permissions}].
    roles: () => roles(),
    permissions(state) {
      const held = new Set((state.me?.roles || []).map((r) => r.role));
      const perms = new Set();
      for (const role of state.roles) if (held.has(role.name)) role.permissions.forEach((p) => perms.add(p));
      return perms;
    },
    // Whether the user holds a staff role, as the server says (the console is
    // for staff; residents and volunteers use the phone pages).
    staff: (state) => Boolean(state.me?.staff),
    // Translated labels of the roles held, e.g. ['社区管理员'].
    roleLabels(state) {
      const names = [...new Set((state.me?.roles || []).map((r) => r.role))];
      return names.map((n) => state.roles.find((r) => r.name === n)?.label || n);
    },
  },
  actions: {
    can(...perms) {
      return perms.some((p) => this.permissions.has(p));
    },
    hasRole(...names) {
      return (this.me?.roles || []).some((r) => names.includes(r.role));
    },
    roleLabel(name) {
      return this.roles.find((r) => r.name === name)?.label || name;
    },
    // Loads the current session, if any; never throws.
    async restore() {
      if (!mayBeSignedIn()) {
        this.loaded = true;
        return;
      }
      try {
        this.me = await get('/api/auth/me', null, { quiet: true });
        setCsrfToken(this.me.csrf_token);
      } catch (err) {
        // Signed out, or the session ended: the sign-in page follows.
        if (!(err instanceof ApiError)) throw err;
        this.forget();
      }
      this.loaded = true;
    },
    async ensureLoaded() {
      if (!this.loaded) await this.restore();
    },
    // Throws the server's ApiError (auth.totp_required, auth.locked …) for the page to show.
    async login(username, password, totp) {
      const body = { username, password };
      if (totp) body.totp = totp;
      const res = await post('/api/auth/login', body, { quiet: true });
      setCsrfToken(res.csrf_token);
      remember(true);
      await this.restore();
    },
    async logout() {
      // The session may already have ended; either way it is gone here.
      await orElse(post('/api/auth/logout', {}, { quiet: true }));
      this.forget();
    },
    forget() {
      this.me = null;
      setCsrfToken(null);
      remember(false);
    },
  },
});
