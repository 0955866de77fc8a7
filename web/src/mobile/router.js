// Mobile routes under /m/: sign-in, the home page and 我的 (shared), then every
// module's pages (modules/index.js). `tabbar` pages show the bottom bar
// (首页 / 我的). `public` pages are for the signed out (the signed in go home);
// a `screen` page (a room's screen, 投屏) is for anyone, signed in or not, and
// shows nothing of the app around it.
import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from '../session.js';
import { modules } from '../modules/index.js';
import Login from './views/Login.vue';
import Home from './views/Home.vue';

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/login', name: 'login', component: Login, meta: { public: true } },
    { path: '/', name: 'home', component: Home, meta: { tabbar: true } },
    ...modules.flatMap((m) => m.mobile?.routes || []),
    { path: '/me', name: 'me', component: () => import('./views/Me.vue'), meta: { tabbar: true } },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFound.vue') },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.screen) return true;
  const session = useSession();
  await session.ensureLoaded();
  if (to.meta.public) return session.me ? { name: 'home' } : true;
  // Signing in leads back to where the user was going (a draft report, say).
  if (!session.me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  return true;
});
