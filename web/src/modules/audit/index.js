// The audit log (审计日志) and the check of its hash chain.
export default {
  name: 'audit',
  console: {
    pages: [
      { path: 'audit', name: 'audit', component: () => import('./console/Audit.vue'), meta: { title: 'menu.audit', icon: 'Document', perms: ['audit.read'] } },
    ],
  },
};
