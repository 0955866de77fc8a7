// Imports (导入): the roster import wizard.
export default {
  name: 'imports',
  console: {
    pages: [
      { path: 'import', name: 'import', component: () => import('./console/Import.vue'), meta: { title: 'menu.import', icon: 'Upload', perms: ['import.run'] } },
    ],
  },
};
