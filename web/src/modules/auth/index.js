// Accounts and roles (账号与角色), and each user's own account security
// (账号安全: password, authenticator, API tokens; opened from the user menu).
// Signing in is the shared login page's.
export default {
  name: 'auth',
  console: {
    pages: [
      { path: 'account', name: 'account', component: () => import('./console/Account.vue'), meta: { title: 'menu.account', icon: 'Lock', hidden: true } },
      { path: 'users', name: 'users', component: () => import('./console/Users.vue'), meta: { title: 'menu.users', icon: 'Key', perms: ['user.manage', 'role.manage'] } },
    ],
  },
};
