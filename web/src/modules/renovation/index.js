// Old-compound renovation (老旧小区改造, GOV-4): a project on a compound or a
// building moves through five stages — 宣传发动, 意愿征集, 方案讨论确定, 施工安全监管,
// 长效管理 — each closed only with what it needs (a publicity notice, the
// owners' votes passed, a plan chosen, every defect checked). On the console:
// the projects, 新建项目, and one project — its stages and what the current one
// still needs, 进入下一阶段, the votes that decide it, the plan options, the
// publicity notices with their read counts, the resident supervisors, the
// inspection logs with photos and the defects sent to the contractor as work
// orders, and the upkeep tasks. On the phone: my compound's projects, one
// project's progress, and for its supervisors 记录巡查 with photos and an
// optional defect. A publicity notice in the inbox opens its project.
export default {
  name: 'renovation',
  console: {
    // In the councils' sub-menu (议事协商): the group is the councils module's.
    pages: [
      { path: 'renovations', name: 'renovations', component: () => import('./console/Renovations.vue'), meta: { title: 'menu.renovations', icon: 'OfficeBuilding', group: 'councils', perms: ['renovation.read'] } },
      { path: 'renovations/:id(\\d+)', name: 'renovation', component: () => import('./console/RenovationDetail.vue'), meta: { title: 'menu.renovationDetail', hidden: true, activeMenu: '/renovations', perms: ['renovation.read'] } },
      // A publicity notice opened from the bell: its project.
      { path: 'renovation-notices/:id(\\d+)', name: 'renovationNotice', component: () => import('./console/RenovationNotice.vue'), meta: { title: 'menu.renovationDetail', hidden: true, activeMenu: '/renovations', perms: ['renovation.read'] } },
    ],
    subjects: { renovation_notice: (id) => `/renovation-notices/${id}` },
  },
  mobile: {
    routes: [
      { path: '/renovations', name: 'renovations', component: () => import('./mobile/Renovations.vue') },
      { path: '/renovations/:id(\\d+)', name: 'renovation', component: () => import('./mobile/Renovation.vue') },
      { path: '/renovations/:id(\\d+)/inspect', name: 'renovation-inspect', component: () => import('./mobile/Inspect.vue') },
      { path: '/renovation-notices/:id(\\d+)', name: 'renovation-notice', component: () => import('./mobile/RenovationNotice.vue') },
    ],
    tiles: [{ key: 'renovation', icon: 'hotel-o', color: '#2f6f9f', to: '/renovations', perms: ['renovation.read'] }],
    subjects: { renovation_notice: (id) => `/renovation-notices/${id}` },
  },
};
