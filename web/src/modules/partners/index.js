// Partners (红色合伙人): partner organisations with their agreements and
// contacts, and the three lists (三张清单) of needs, resources and projects;
// 我的单位 for a partner's own contacts.
export default {
  name: 'partners',
  console: {
    pages: [
      { path: 'partners', name: 'partners', component: () => import('./console/Partners.vue'), meta: { title: 'menu.partners', icon: 'Connection', perms: ['partner.read'] } },
      { path: 'lists', name: 'lists', component: () => import('./console/ThreeLists.vue'), meta: { title: 'menu.lists', icon: 'Tickets', perms: ['partner.read'] } },
      // A contact keeps their own organisation's details, resources and exchange items (partner_admin:
      // staff manage every organisation on the pages above).
      { path: 'my-org', name: 'my-org', component: () => import('./console/MyOrg.vue'), meta: { title: 'menu.myOrg', icon: 'OfficeBuilding', roles: ['partner_admin'] } },
    ],
    stats: [
      { key: 'partners', label: (t) => t('home.stat.partners'), to: '/partners', perms: ['partner.read'], path: '/api/partners' },
      { key: 'openNeeds', label: (t) => t('home.stat.openNeeds'), to: '/lists', perms: ['partner.read'], path: '/api/needs', query: { status: 'open' } },
      { key: 'resources', label: (t) => t('home.stat.resources'), to: '/lists', perms: ['partner.read'], path: '/api/resources' },
    ],
  },
};
