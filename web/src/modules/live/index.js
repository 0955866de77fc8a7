// Live updates and the inbox (消息, 站内信): the bell in the console's header
// with the notices to the signed-in user; on the phone the 消息 page, its tile
// and its link in 我的, each with the unread count. A notice opens what it is
// about where the module that owns it says (`subjects` in its declaration).
import { unreadBadge } from './inbox.js';

export default {
  name: 'live',
  console: {
    header: [{ key: 'inbox', component: () => import('./console/InboxBell.vue') }],
  },
  mobile: {
    routes: [{ path: '/inbox', name: 'inbox', component: () => import('./mobile/Inbox.vue') }],
    tiles: [{ key: 'inbox', icon: 'bell', color: '#1f6fd1', to: '/inbox', badge: unreadBadge }],
    links: [{ key: 'inbox', title: 'mobile.tile.inbox', icon: 'bell', to: '/inbox', badge: unreadBadge }],
  },
};
