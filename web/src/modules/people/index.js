// People (居民): households and residents on the console; 我的家 on the phone.
export default {
  name: 'people',
  console: {
    pages: [
      { path: 'residents', name: 'residents', component: () => import('./console/Residents.vue'), meta: { title: 'menu.residents', icon: 'User', perms: ['resident.read'] } },
    ],
    stats: [{ key: 'residents', label: (t) => t('home.stat.residents'), to: '/residents', perms: ['resident.read'], path: '/api/residents' }],
  },
  mobile: {
    routes: [{ path: '/household', name: 'household', component: () => import('./mobile/Household.vue') }],
    tiles: [{ key: 'household', icon: 'home-o', color: '#c8161d', to: '/household' }],
    links: [{ key: 'household', title: 'mobile.tile.household', icon: 'home-o', to: '/household' }],
  },
};
