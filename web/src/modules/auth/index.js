// Accounts and roles (账号与角色). Signing in is the shared login page's.
export default {
  name: 'auth',
  console: {
    pages: [
      { path: 'users', name: 'users', component: () => import('./console/Users.vue'), meta: { title: 'menu.users', icon: 'Key', perms: ['user.manage', 'role.manage'] } },
    ],
  },
};
