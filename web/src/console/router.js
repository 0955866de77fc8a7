// Console routes. `meta.perms`: the page is shown (and its menu item) when the
// user holds any of these permissions (or any of the roles in `meta.roles`). `meta.group` puts the item in a
// sub-menu (its title is `menu.group.<group>`); `meta.hidden` pages have no menu
// item and light up `meta.activeMenu` instead.
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
  { path: 'work-orders', name: 'work-orders', component: () => import('./views/WorkOrders.vue'), meta: { title: 'menu.workOrders', icon: 'List', group: 'workorders', perms: ['workorder.read'] } },
  { path: 'work-orders/hotspots', name: 'wo-hotspots', component: () => import('./views/WorkOrderHotspots.vue'), meta: { title: 'menu.woHotspots', icon: 'Warning', group: 'workorders', perms: ['workorder.read'] } },
  { path: 'work-orders/scorecard', name: 'wo-scorecard', component: () => import('./views/WorkOrderScorecard.vue'), meta: { title: 'menu.woScorecard', icon: 'DataAnalysis', group: 'workorders', perms: ['workorder.read'] } },
  { path: 'work-orders/settings', name: 'wo-settings', component: () => import('./views/WorkOrderSettings.vue'), meta: { title: 'menu.woSettings', icon: 'Setting', group: 'workorders', perms: ['workorder.configure'] } },
  { path: 'work-orders/:id(\\d+)', name: 'work-order', component: () => import('./views/WorkOrderDetail.vue'), meta: { title: 'menu.woDetail', hidden: true, activeMenu: '/work-orders', perms: ['workorder.read'] } },
  { path: 'points/ledger', name: 'points-ledger', component: () => import('./views/PointsLedger.vue'), meta: { title: 'menu.ptsLedger', icon: 'Wallet', group: 'points', perms: ['points.read'] } },
  { path: 'points/rules', name: 'points-rules', component: () => import('./views/PointsRules.vue'), meta: { title: 'menu.ptsRules', icon: 'Setting', group: 'points', perms: ['points.read'] } },
  { path: 'points/awards', name: 'points-awards', component: () => import('./views/PointsAwards.vue'), meta: { title: 'menu.ptsAwards', icon: 'Stamp', group: 'points', perms: ['points.read'] } },
  { path: 'points/items', name: 'points-items', component: () => import('./views/PointsItems.vue'), meta: { title: 'menu.ptsItems', icon: 'Present', group: 'points', perms: ['points.read'] } },
  // Providers' contacts (partner_admin) fulfil their organisation's vouchers without reading the ledger.
  { path: 'points/fulfil', name: 'points-fulfil', component: () => import('./views/PointsFulfil.vue'), meta: { title: 'menu.ptsFulfil', icon: 'Ticket', group: 'points', perms: ['points.read', 'points.fulfil'], roles: ['partner_admin'] } },
  { path: 'points/leaderboard', name: 'points-leaderboard', component: () => import('./views/PointsLeaderboard.vue'), meta: { title: 'menu.ptsLeaderboard', icon: 'Trophy', group: 'points', perms: ['points.read'] } },
  { path: 'import', name: 'import', component: () => import('./views/Import.vue'), meta: { title: 'menu.import', icon: 'Upload', perms: ['import.run'] } },
  { path: 'users', name: 'users', component: () => import('./views/Users.vue'), meta: { title: 'menu.users', icon: 'Key', perms: ['user.manage', 'role.manage'] } },
  { path: 'audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { title: 'menu.audit', icon: 'Document', perms: ['audit.read'] } },
];

// Sub-menus, by `meta.group`.
export const groups = {
  workorders: { title: 'menu.group.workorders', icon: 'Memo' },
  points: { title: 'menu.group.points', icon: 'Coin' },
};

// Whether the signed-in user may open a page with this `meta`.
export function allowed(session, meta) {
  if (!meta.perms && !meta.roles) return true;
  return (meta.perms && session.can(...meta.perms)) || (meta.roles && session.hasRole(...meta.roles)) || false;
}

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
  if (!allowed(session, to.meta)) return { name: 'home' };
  return true;
});
