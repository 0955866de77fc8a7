// Live updates and the inbox (消息, 站内信): the bell in the console's header
// with the notices to the signed-in user; on the phone the 消息 page, its tile
// and its link in 我的, each with the unread count. A notice opens what it is
// about where the module that owns it says (`subjects` in its declaration).
// 推送渠道: a community's staff group robots (企业微信 / 钉钉) that are sent the
// notices of the kinds they chose, and the outbox of what was sent to them.
// 投屏: room screens showing one thing live with no one signed in — managed on
// the console (投屏管理), shown at /m/display, paired from a phone at /m/pair/<code>;
// what a screen shows is drawn by the module owning it (`screens`).
import { unreadBadge } from './inbox.js';

export default {
  name: 'live',
  console: {
    pages: [
      { path: 'channels', name: 'channels', component: () => import('./console/Channels.vue'), meta: { title: 'menu.channels', icon: 'ChatDotRound', perms: ['channel.manage'] } },
      { path: 'displays', name: 'displays', component: () => import('./console/Displays.vue'), meta: { title: 'menu.displays', icon: 'Monitor', perms: ['display.manage'] } },
    ],
    header: [{ key: 'inbox', component: () => import('./console/InboxBell.vue') }],
  },
  mobile: {
    routes: [
      { path: '/inbox', name: 'inbox', component: () => import('./mobile/Inbox.vue') },
      { path: '/inbox/settings', name: 'inbox-settings', component: () => import('./mobile/InboxSettings.vue') },
      // The screen itself: no one signs in on it (meta.screen), and it has no tab bar.
      { path: '/display', name: 'display', component: () => import('./mobile/Display.vue'), meta: { screen: true } },
      { path: '/pair/:code(\\d{6})', name: 'display-pair', component: () => import('./mobile/Pair.vue') },
    ],
    tiles: [{ key: 'inbox', icon: 'bell', color: '#1f6fd1', to: '/inbox', badge: unreadBadge }],
    links: [{ key: 'inbox', title: 'mobile.tile.inbox', icon: 'bell', to: '/inbox', badge: unreadBadge }],
  },
};
