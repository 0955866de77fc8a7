// Contribution points (贡献积分) and their exchange (积分兑换): the ledger,
// earning rules, awards with their public notice, the catalogue, fulfilling
// vouchers and the leaderboard on the console; my points, the statement, the
// catalogue, my vouchers, the notice and the leaderboard on the phone.
export default {
  name: 'points',
  console: {
    groups: { points: { title: 'menu.group.points', icon: 'Coin' } },
    pages: [
      { path: 'points/ledger', name: 'points-ledger', component: () => import('./console/PointsLedger.vue'), meta: { title: 'menu.ptsLedger', icon: 'Wallet', group: 'points', perms: ['points.read'] } },
      { path: 'points/rules', name: 'points-rules', component: () => import('./console/PointsRules.vue'), meta: { title: 'menu.ptsRules', icon: 'Setting', group: 'points', perms: ['points.read'] } },
      { path: 'points/awards', name: 'points-awards', component: () => import('./console/PointsAwards.vue'), meta: { title: 'menu.ptsAwards', icon: 'Stamp', group: 'points', perms: ['points.read'] } },
      { path: 'points/items', name: 'points-items', component: () => import('./console/PointsItems.vue'), meta: { title: 'menu.ptsItems', icon: 'Present', group: 'points', perms: ['points.read'] } },
      // Only a contact of the providing organisation fulfils its vouchers (partner_admin), without
      // reading the ledger; staff who read points would only be refused there.
      { path: 'points/fulfil', name: 'points-fulfil', component: () => import('./console/PointsFulfil.vue'), meta: { title: 'menu.ptsFulfil', icon: 'Ticket', group: 'points', roles: ['partner_admin'] } },
      { path: 'points/leaderboard', name: 'points-leaderboard', component: () => import('./console/PointsLeaderboard.vue'), meta: { title: 'menu.ptsLeaderboard', icon: 'Trophy', group: 'points', perms: ['points.read'] } },
    ],
    tasks: {
      'points.approve': { path: '/points/awards', query: { status: 'pending' } },
      'points.objection': { path: '/points/awards', query: { status: 'notice' } },
    },
    // Where a notice about an award opens (the inbox): the awards, where it is decided.
    subjects: { point_award: () => '/points/awards' },
  },
  mobile: {
    routes: [
      { path: '/points', name: 'points', component: () => import('./mobile/Points.vue') },
      { path: '/points/statement', name: 'points-statement', component: () => import('./mobile/PointsStatement.vue') },
      { path: '/points/items', name: 'points-items', component: () => import('./mobile/PointsItems.vue') },
      { path: '/points/vouchers', name: 'points-vouchers', component: () => import('./mobile/PointsVouchers.vue') },
      { path: '/points/vouchers/:id(\\d+)', name: 'points-voucher', component: () => import('./mobile/PointsVoucher.vue') },
      { path: '/points/notice', name: 'points-notice', component: () => import('./mobile/PointsNotice.vue') },
      { path: '/points/leaderboard', name: 'points-leaderboard', component: () => import('./mobile/PointsLeaderboard.vue') },
    ],
    tiles: [{ key: 'points', icon: 'gold-coin-o', color: '#e6a700', to: '/points' }],
    links: [{ key: 'points', title: 'mpts.title', icon: 'gold-coin-o', to: '/points' }],
  },
};
