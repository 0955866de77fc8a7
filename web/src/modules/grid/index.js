// Grid work and door-to-door campaigns (网格, GRD-1, GRD-4). A grid worker's
// day on the phone: 网格 — the grid at hand (its households, residents and
// buildings, its special-care residents as the role may see them, its open
// work orders, its re-inspections due, its campaigns with their progress) —
// and from there 开始巡查: points of the track as the phone can locate
// itself, the buildings visited, the events found (a place, a kind, words,
// photos; one that needs fixing filed as a work order at once), 结束巡查.
// A campaign's households in their grid, each given its outcome (已走访,
// 不在家, 拒绝, 需跟进) with the campaign's short form answered.
//
// On the console (网格): 网格巡查 — each grid's patrol log, one patrol with its
// track drawn from its points, the buildings visited and the events, and the
// week's coverage building by building; 网格事件 with 转工单 and 现场处置;
// 入户走访 — the campaigns, 发起走访 (households by places, by a care tag or
// by a list of household codes, with an optional form), one campaign's
// progress overall, by grid and by building, followed live, its households
// with 导出未走访, and 结束走访.
import { markRaw } from 'vue';
import { Guide, House, Location, MapLocation, Warning } from '@element-plus/icons-vue';
import { visitBadge } from './mobile/badges.js';

export default {
  name: 'grid',
  console: {
    groups: { grid: { title: 'menu.group.grid', icon: markRaw(MapLocation) } },
    pages: [
      { path: 'grid-patrols', name: 'grid-patrols', component: () => import('./console/GridPatrols.vue'), meta: { title: 'menu.gridPatrols', icon: markRaw(Guide), group: 'grid', perms: ['grid.read'] } },
      { path: 'grid-events', name: 'grid-events', component: () => import('./console/GridEvents.vue'), meta: { title: 'menu.gridEvents', icon: markRaw(Warning), group: 'grid', perms: ['grid.read'] } },
      { path: 'campaigns', name: 'campaigns', component: () => import('./console/Campaigns.vue'), meta: { title: 'menu.campaigns', icon: markRaw(House), group: 'grid', perms: ['grid.read'] } },
      { path: 'grid-patrols/:id(\\d+)', name: 'grid-patrol', component: () => import('./console/GridPatrolDetail.vue'), meta: { title: 'menu.gridPatrolDetail', icon: markRaw(Location), hidden: true, activeMenu: '/grid-patrols', perms: ['grid.read'] } },
      { path: 'campaigns/:id(\\d+)', name: 'campaign', component: () => import('./console/CampaignDetail.vue'), meta: { title: 'menu.campaignDetail', hidden: true, activeMenu: '/campaigns', perms: ['grid.read'] } },
    ],
    // The grid's events still open, for those who oversee or work a grid.
    stats: [{ key: 'gridEventsOpen', label: (t) => t('grid.statOpenEvents'), to: '/grid-events?status=open', perms: ['grid.read'], path: '/api/grid-events', query: { status: 'open' }, hideZero: true }],
    // 待走访住户 opens the campaigns under way.
    tasks: { 'campaign.visit': { path: '/campaigns', query: { status: 'active' } } },
    subjects: { campaign: (id) => `/campaigns/${id}` },
  },
  mobile: {
    routes: [
      { path: '/grid', name: 'grid', component: () => import('./mobile/Grid.vue') },
      { path: '/grid-patrols/:id(\\d+)', name: 'grid-patrol', component: () => import('./mobile/GridPatrol.vue') },
      { path: '/campaigns/:id(\\d+)', name: 'campaign', component: () => import('./mobile/Campaign.vue') },
    ],
    // The grid at hand; its count is the households still to visit (待走访住户).
    tiles: [{ key: 'grid', icon: 'cluster-o', color: '#0f7b6c', to: '/grid', perms: ['grid.work'], badge: visitBadge }],
    subjects: { campaign: (id) => `/campaigns/${id}` },
  },
};
