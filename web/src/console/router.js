// Console routes: the home page, then every module's pages (modules/index.js),
// under the console frame. `meta.perms`: the page is shown (and its menu
// item) when the user holds any of these permissions (or any of the roles in
// `meta.roles`). `meta.group` puts the item in a sub-menu (declared by the
// module in `console.groups`); `meta.hidden` pages have no menu item and light
// up `meta.activeMenu` instead.
import { defineAsyncComponent } from 'vue';
import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from '../session.js';
import { modules } from '../modules/index.js';
import Layout from './Layout.vue';
import Login from './views/Login.vue';

export const pages = [
  { path: '', name: 'home', component: () => import('./views/Home.vue'), meta: { title: 'menu.home', icon: 'HomeFilled' } },
  ...modules.flatMap((m) => m.console?.pages || []),
];

// Sub-menus, by `meta.group`.
export const groups = Object.assign({}, ...modules.map((m) => m.console?.groups || {}));

// The home page's figures, in module order.
export const stats = modules.flatMap((m) => m.console?.stats || []);
// The home page's figures of this month: each `load(t, month)` resolves to
// cards [{ key, label, value, to }] (month: { from, to } as YYYY-MM-DD, Beijing).
export const monthFigures = modules.flatMap((m) => m.console?.month || []);

// What modules put in the header, by the user's menu (the inbox's bell), each loaded on its own.
export const headerParts = modules.flatMap((m) => m.console?.header || []).map((h) => ({ key: h.key, component: defineAsyncComponent(h.component) }));

// Whether the signed-in user may open a page with this `meta`.
export function allowed(session, meta) {
  if (!meta.perms && !meta.roles) return true;
  return (meta.perms && session.can(...meta.perms)) || (meta.roles && session.hasRole(...meta.roles)) || false;
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: Login, meta: { public: true, title: 'login.title' } },
    { path: '/', component: Layout, children: [...pages, { path: ':rest(.*)*', name: 'not-found', component: () => import('./views/NotFound.vue'), meta: { title: 'notFound.title' } }] },
  ],
});

router.beforeEach(async (to) => {
  const session = useSession();
  await session.ensureLoaded();
  if (to.meta.public) return session.me && to.name === 'login' ? { name: 'home' } : true;
  if (!session.me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  // Residents and volunteers have nothing to do on the console: their pages are the phone's.
  if (!session.staff) {
    window.location.assign('/m/');
    return false;
  }
  if (!allowed(session, to.meta)) return { name: 'home' };
  return true;
});
