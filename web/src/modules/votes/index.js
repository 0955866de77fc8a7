// Owners' votes (业主表决, GOV-5): staff call a vote of the owners of a
// compound or a building on one of Civil Code Article 278's matters, open it
// (the roll frozen) and close it (counted by the server). On the console: the
// votes, 发起表决, and one vote — its roll, the turnout by building followed
// live, the units not yet voted (to knock on their doors, the roll's marks
// from there), and once closed the result, each threshold met or not, and the
// published receipts. On the phone: the votes of my compound, and one vote —
// my ballot (同意 / 不同意 / 弃权) with its receipt shown once, the turnout,
// and once closed the result and a check of my receipt.
export default {
  name: 'votes',
  console: {
    // In the councils' sub-menu (议事协商): the group is the councils module's.
    pages: [
      { path: 'owner-votes', name: 'ownerVotes', component: () => import('./console/OwnerVotes.vue'), meta: { title: 'menu.ownerVotes', icon: 'Check', group: 'councils', perms: ['owner_vote.read'] } },
      { path: 'owner-votes/:id(\\d+)', name: 'ownerVote', component: () => import('./console/OwnerVoteDetail.vue'), meta: { title: 'menu.ownerVoteDetail', hidden: true, activeMenu: '/owner-votes', perms: ['owner_vote.read'] } },
    ],
    subjects: { owner_vote: (id) => `/owner-votes/${id}` },
  },
  mobile: {
    routes: [
      { path: '/owner-votes', name: 'owner-votes', component: () => import('./mobile/OwnerVotes.vue') },
      { path: '/owner-votes/:id(\\d+)', name: 'owner-vote', component: () => import('./mobile/OwnerVote.vue') },
    ],
    tiles: [{ key: 'ownerVotes', icon: 'passed', color: '#d4380d', to: '/owner-votes', perms: ['owner_vote.read'] }],
    subjects: { owner_vote: (id) => `/owner-votes/${id}` },
  },
};
