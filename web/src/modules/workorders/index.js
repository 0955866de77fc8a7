// Work orders (诉求与工单): the closed loop from a resident's report to its
// rating — the list, one order, hot spots and re-inspections, the property
// companies' scorecard and the settings on the console; 随手拍, 我的诉求 and one
// report on the phone; an order's progress on a room's screen (投屏).
export default {
  name: 'workorders',
  console: {
    groups: { workorders: { title: 'menu.group.workorders', icon: 'Memo' } },
    pages: [
      { path: 'work-orders', name: 'work-orders', component: () => import('./console/WorkOrders.vue'), meta: { title: 'menu.workOrders', icon: 'List', group: 'workorders', perms: ['workorder.read'] } },
      { path: 'work-orders/hotspots', name: 'wo-hotspots', component: () => import('./console/WorkOrderHotspots.vue'), meta: { title: 'menu.woHotspots', icon: 'Warning', group: 'workorders', perms: ['workorder.read'] } },
      { path: 'work-orders/scorecard', name: 'wo-scorecard', component: () => import('./console/WorkOrderScorecard.vue'), meta: { title: 'menu.woScorecard', icon: 'DataAnalysis', group: 'workorders', perms: ['workorder.read'] } },
      { path: 'work-orders/settings', name: 'wo-settings', component: () => import('./console/WorkOrderSettings.vue'), meta: { title: 'menu.woSettings', icon: 'Setting', group: 'workorders', perms: ['workorder.configure'] } },
      { path: 'work-orders/:id(\\d+)', name: 'work-order', component: () => import('./console/WorkOrderDetail.vue'), meta: { title: 'menu.woDetail', hidden: true, activeMenu: '/work-orders', perms: ['workorder.read'] } },
    ],
    // The home page's figures: every order of the user's area, and those past their deadline.
    stats: [
      { key: 'workOrders', label: (t) => t('home.stat.workOrders'), to: '/work-orders', perms: ['workorder.read'], path: '/api/work-orders' },
      { key: 'woOverdue', label: (t) => t('home.stat.woOverdue'), to: '/work-orders?overdue=true', perms: ['workorder.read'], path: '/api/work-orders', query: { overdue: 'true' } },
    ],
    // This month's figures on the home page: the orders routed to property
    // companies, from the 红管家·服务365 scorecard (until the dashboards module).
    month: [
      {
        key: 'woMonth',
        perms: ['workorder.read'],
        async load(t, month, get) {
          const card = await get('/api/work-orders/scorecard', month, { quiet: true });
          const sum = (k) => card.companies.reduce((n, c) => n + (c[k] || 0), 0);
          const ratings = sum('ratings');
          const rated = card.companies.reduce((n, c) => n + (c.satisfaction || 0) * (c.ratings || 0), 0);
          const to = '/work-orders/scorecard';
          return [
            { key: 'woMonthOrders', label: t('home.month.orders'), value: sum('orders'), to },
            { key: 'woMonthResolved', label: t('home.month.resolved'), value: sum('resolved'), to },
            { key: 'woMonthSatisfaction', label: t('home.month.satisfaction'), value: ratings ? (rated / ratings).toFixed(1) : '—', to },
          ];
        },
      },
    ],
    // Where each of the module's 待办 (GET /api/tasks) opens: the list behind the count.
    tasks: {
      'workorder.accept': { path: '/work-orders', query: { todo: 'accept' } },
      'workorder.dispatch': { path: '/work-orders', query: { todo: 'dispatch' } },
      'workorder.handle': { path: '/work-orders', query: { todo: 'handle' } },
      'workorder.verify': { path: '/work-orders', query: { todo: 'verify' } },
      'workorder.close': { path: '/work-orders', query: { todo: 'close' } },
      'workorder.inspect': { path: '/work-orders/hotspots' },
    },
    // A notice about an order (its status changed) opens it; one about a
    // re-inspection due, the hot spots and their re-inspections.
    subjects: { work_order: (id) => `/work-orders/${id}`, inspection: () => '/work-orders/hotspots' },
  },
  mobile: {
    routes: [
      { path: '/report', name: 'report', component: () => import('./mobile/Report.vue') },
      { path: '/reports', name: 'reports', component: () => import('./mobile/Reports.vue') },
      { path: '/reports/:id(\\d+)', name: 'report-detail', component: () => import('./mobile/ReportDetail.vue') },
    ],
    tiles: [{ key: 'report', icon: 'photograph', color: '#ff8a00', to: '/report' }],
    links: [{ key: 'reports', title: 'report.mine', label: 'report.mineHint', icon: 'orders-o', to: '/reports', home: true }],
    subjects: { work_order: (id) => `/reports/${id}` },
  },
  // A community hall's screen shows one order's progress (never who reported it, nor their words).
  screens: {
    work_order: { label: 'display.kind.work_order', number: 'display.number.work_order', component: () => import('./screen/OrderScreen.vue') },
  },
};
