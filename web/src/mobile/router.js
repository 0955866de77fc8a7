// Mobile routes under /m/. `tabbar` pages show the bottom bar (首页 / 我的).
import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from '../session.js';
import Login from './views/Login.vue';
import Home from './views/Home.vue';

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes: [
    { path: '/login', name: 'login', component: Login, meta: { public: true } },
    { path: '/', name: 'home', component: Home, meta: { tabbar: true } },
    { path: '/household', name: 'household', component: () => import('./views/Household.vue') },
    { path: '/report', name: 'report', component: () => import('./views/Report.vue') },
    { path: '/reports', name: 'reports', component: () => import('./views/Reports.vue') },
    { path: '/reports/:id(\\d+)', name: 'report-detail', component: () => import('./views/ReportDetail.vue') },
    { path: '/points', name: 'points', component: () => import('./views/Points.vue') },
    { path: '/points/statement', name: 'points-statement', component: () => import('./views/PointsStatement.vue') },
    { path: '/points/items', name: 'points-items', component: () => import('./views/PointsItems.vue') },
    { path: '/points/vouchers', name: 'points-vouchers', component: () => import('./views/PointsVouchers.vue') },
    { path: '/points/vouchers/:id(\\d+)', name: 'points-voucher', component: () => import('./views/PointsVoucher.vue') },
    { path: '/points/notice', name: 'points-notice', component: () => import('./views/PointsNotice.vue') },
    { path: '/points/leaderboard', name: 'points-leaderboard', component: () => import('./views/PointsLeaderboard.vue') },
    { path: '/me', name: 'me', component: () => import('./views/Me.vue'), meta: { tabbar: true } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  const session = useSession();
  await session.ensureLoaded();
  if (to.meta.public) return session.me ? { name: 'home' } : true;
  if (!session.me) return { name: 'login' };
  return true;
});
