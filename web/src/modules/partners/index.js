// Partners (红色合伙人): partner organisations with their agreements and
// contacts, and the three lists (三张清单) of needs, resources and projects.
export default {
  name: 'partners',
  console: {
    pages: [
      { path: 'partners', name: 'partners', component: () => import('./console/Partners.vue'), meta: { title: 'menu.partners', icon: 'Connection', perms: ['partner.read'] } },
      { path: 'lists', name: 'lists', component: () => import('./console/ThreeLists.vue'), meta: { title: 'menu.lists', icon: 'Tickets', perms: ['partner.read'] } },
    ],
    stats: [
      { key: 'partners', label: (t) => t('home.stat.partners'), to: '/partners', perms: ['partner.read'], path: '/api/partners' },
      { key: 'openNeeds', label: (t) => t('home.stat.openNeeds'), to: '/lists', perms: ['partner.read'], path: '/api/needs', query: { status: 'open' } },
      { key: 'resources', label: (t) => t('home.stat.resources'), to: '/lists', perms: ['partner.read'], path: '/api/resources' },
    ],
  },
};
