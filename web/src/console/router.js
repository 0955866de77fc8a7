// Console routes. `meta.perms`: the page is shown (and its menu item) when the
// user holds any of these permissions.
import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from '../session.js';
import Layout from './Layout.vue';
import Login from './views/Login.vue';

export const pages = [
  { path: '', name: 'home', component: () => import('./views/Home.vue'), meta: { title: 'menu.home', icon: 'HomeFilled' } },
  { path: 'places', name: 'places', component: () => import('./views/Places.vue'), meta: { title: 'menu.places', icon: 'OfficeBuilding', perms: ['place.read'] } },
  { path: 'residents', name: 'residents', component: () => import('./views/Residents.vue'), meta: { title: 'menu.residents', icon: 'User', perms: ['resident.read'] } },
  { path: 'partners', name: 'partners', component: () => import('./views/Partners.vue'), meta: { title: 'menu.partners', icon: 'Connection', perms: ['partner.read'] } },
  { path: 'lists', name: 'lists', component: () => import('./views/ThreeLists.vue'), meta: { title: 'menu.lists', icon: 'Tickets', perms: ['partner.read'] } },
  { path: 'import', name: 'import', component: () => import('./views/Import.vue'), meta: { title: 'menu.import', icon: 'Upload', perms: ['import.run'] } },
  { path: 'users', name: 'users', component: () => import('./views/Users.vue'), meta: { title: 'menu.users', icon: 'Key', perms: ['user.manage', 'role.manage'] } },
  { path: 'audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { title: 'menu.audit', icon: 'Document', perms: ['audit.read'] } },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/login', name: 'login', component: Login, meta: { public: true, title: 'login.title' } },
    { path: '/', component: Layout, children: pages },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  const session = useSession();
  await session.ensureLoaded();
  if (to.meta.public) return session.me && to.name === 'login' ? { name: 'home' } : true;
  if (!session.me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (to.meta.perms && !session.can(...to.meta.perms)) return { name: 'home' };
  return true;
});
