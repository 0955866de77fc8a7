// Topics (议题, GOV-4): what residents, partners and staff put to their
// neighbours — raised on a building, compound or community with photos,
// supported (附议), reviewed by the community (列入议程 of a council, 合并 into
// a similar one, 不予采纳 with a reason), decided in a meeting or by an owners'
// vote, and, once adopted, followed until done: who carries it out, progress
// with photos. On the console: the topics, filtered, searched and sorted, and
// one topic with its timeline and the reviewers' actions; 提出议题. On the
// phone: the topics open, being carried out, done and mine; one topic with
// 附议, its decision and progress; 提出议题 with photos.
export default {
  name: 'topics',
  console: {
    // In the councils' sub-menu (议事协商): the group is the councils module's.
    pages: [
      { path: 'topics', name: 'topics', component: () => import('./console/Topics.vue'), meta: { title: 'menu.topics', icon: 'Edit', group: 'councils', perms: ['topic.read'] } },
      { path: 'topics/:id(\\d+)', name: 'topic', component: () => import('./console/TopicDetail.vue'), meta: { title: 'menu.topicDetail', hidden: true, activeMenu: '/topics', perms: ['topic.read'] } },
    ],
    // 待审核议题 opens the topics waiting for review.
    tasks: { 'topic.review': { path: '/topics', query: { status: 'raised' } } },
    subjects: { topic: (id) => `/topics/${id}` },
  },
  mobile: {
    routes: [
      { path: '/topics', name: 'topics', component: () => import('./mobile/Topics.vue') },
      { path: '/topics/new', name: 'topic-new', component: () => import('./mobile/RaiseTopic.vue') },
      { path: '/topics/:id(\\d+)', name: 'topic', component: () => import('./mobile/Topic.vue') },
    ],
    tiles: [{ key: 'topics', icon: 'bulb-o', color: '#0b7a75', to: '/topics', perms: ['topic.read'] }],
    subjects: { topic: (id) => `/topics/${id}` },
  },
};
