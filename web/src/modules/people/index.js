// People (居民): households and residents on the console; on the phone 我的家
// (the signed-in person's own household) and, for staff, 住户查询 (looking up
// the households of their area).
export default {
  name: 'people',
  console: {
    pages: [
      { path: 'residents', name: 'residents', component: () => import('./console/Residents.vue'), meta: { title: 'menu.residents', icon: 'User', perms: ['resident.read'] } },
      { path: 'residents/:id(\\d+)', name: 'resident', component: () => import('./console/ResidentDetail.vue'), meta: { title: 'menu.residentDetail', hidden: true, activeMenu: '/residents', perms: ['resident.read'] } },
      { path: 'households/:id(\\d+)', name: 'household', component: () => import('./console/HouseholdDetail.vue'), meta: { title: 'menu.householdDetail', hidden: true, activeMenu: '/residents', perms: ['resident.read'] } },
    ],
    stats: [{ key: 'residents', label: (t) => t('home.stat.residents'), to: '/residents', perms: ['resident.read'], path: '/api/residents' }],
  },
  mobile: {
    routes: [
      { path: '/household', name: 'household', component: () => import('./mobile/Household.vue') },
      { path: '/households', name: 'household-lookup', component: () => import('./mobile/Household.vue'), props: { lookup: true } },
    ],
    tiles: [{ key: 'household', icon: 'home-o', color: '#c8161d', to: '/household' }],
    links: [
      { key: 'household', title: 'mobile.tile.household', icon: 'home-o', to: '/household' },
      { key: 'household-lookup', title: 'mobile.lookup', icon: 'search', to: '/households', perms: ['resident.read'], staff: true },
    ],
  },
};
