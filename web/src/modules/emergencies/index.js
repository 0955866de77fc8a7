// Risk points and emergencies (应急, GRD-2, GRD-3): the places that flood or
// fail first, each with the grid answering for it; warning levels (I 红 …
// IV 蓝) declared for a street or a community, which make patrol tasks by
// the frequency table and call up the partners on the call-up lists; supplies
// in an append-only ledger; the situation board, followed live, and the
// summary kept at the end. On the console (应急): 风险点 with the street's
// plan, 应急响应 with each one's board (调整等级, 结束响应, 下载总结 PDF, 投屏),
// 调度名单与巡查频次, 应急物资, 应急巡查任务 (the patrols the user may do) and,
// for partners' contacts, 应急调度. On the phone: 应急巡查 (a grid worker's and
// a team's tasks, 完成巡查 with photos) and 应急调度 (确认响应, 已到岗). A room's
// screen shows an emergency's board without names.
import { markRaw } from 'vue';
import { useSession } from '../../session.js';
import { Box, Document, List, Location, Phone, Setting, Warning } from '@element-plus/icons-vue';
import { callupBadge, patrolBadge } from './mobile/badges.js';

// An emergency's board is for those who read emergencies; its notice takes
// anyone else to the work it gave them (their patrols, their call-ups).
function boardOrWork(to) {
  const session = useSession();
  if (session.can('emergency.read')) return true;
  if (session.can('emergency.task')) return { path: '/emergency-tasks', query: { emergency_id: to.params.id } };
  return { path: '/emergency-callups' };
}

export default {
  name: 'emergencies',
  console: {
    groups: { emergencies: { title: 'menu.group.emergencies', icon: markRaw(Warning) } },
    pages: [
      { path: 'risk-points', name: 'risk-points', component: () => import('./console/RiskPoints.vue'), meta: { title: 'menu.riskPoints', icon: markRaw(Location), group: 'emergencies', perms: ['emergency.read', 'emergency.task'] } },
      { path: 'emergencies', name: 'emergencies', component: () => import('./console/Emergencies.vue'), meta: { title: 'menu.emergencies', icon: markRaw(Warning), group: 'emergencies', perms: ['emergency.read'] } },
      { path: 'emergency-setup', name: 'emergency-setup', component: () => import('./console/Readiness.vue'), meta: { title: 'menu.emergencySetup', icon: markRaw(Setting), group: 'emergencies', perms: ['emergency.read'] } },
      { path: 'supplies', name: 'supplies', component: () => import('./console/Supplies.vue'), meta: { title: 'menu.supplies', icon: markRaw(Box), group: 'emergencies', perms: ['emergency.read'] } },
      { path: 'emergency-tasks', name: 'emergency-tasks', component: () => import('./console/Tasks.vue'), meta: { title: 'menu.emergencyTasks', icon: markRaw(List), group: 'emergencies', perms: ['emergency.task'] } },
      // A partner's contacts (the property company's staff, a partner's admin) answer their call-ups here.
      { path: 'emergency-callups', name: 'emergency-callups', component: () => import('./console/MyCallups.vue'), meta: { title: 'menu.myCallups', icon: markRaw(Phone), group: 'emergencies', roles: ['property_staff', 'partner_admin'] } },
      { path: 'emergencies/:id(\\d+)', name: 'emergency', component: () => import('./console/EmergencyBoard.vue'), beforeEnter: boardOrWork, meta: { title: 'menu.emergencyBoard', icon: markRaw(Document), hidden: true, activeMenu: '/emergencies' } },
    ],
    // 应急巡查任务 opens the patrols to do; 待响应的应急调度, the call-ups to answer.
    tasks: {
      'emergency.patrol': { path: '/emergency-tasks', query: { status: 'open' } },
      'emergency.callup': { path: '/emergency-callups' },
    },
    // A notice about an emergency opens its board (or the work it gave); one about low stock, the warehouse.
    subjects: {
      emergency: (id) => `/emergencies/${id}`,
      warehouse: (id) => `/supplies?warehouse=${id}`,
    },
  },
  mobile: {
    routes: [
      { path: '/emergency-tasks', name: 'emergency-tasks', component: () => import('./mobile/Tasks.vue') },
      { path: '/emergency-tasks/:id(\\d+)', name: 'emergency-task', component: () => import('./mobile/Task.vue') },
      { path: '/callups', name: 'callups', component: () => import('./mobile/Callups.vue') },
      { path: '/emergencies/:id(\\d+)', name: 'emergency', component: () => import('./mobile/EmergencyLink.vue') },
    ],
    tiles: [
      // A grid worker's patrols, and a volunteer team's (any volunteer may be on a team given risk points).
      { key: 'emergency', icon: 'warning-o', color: '#c2410c', to: '/emergency-tasks', perms: ['emergency.task', 'activity.join'], badge: patrolBadge },
      // The call-ups of a partner's contacts: the property company's staff, a partner's admin (a team's
      // leader finds theirs above the 应急巡查 list).
      { key: 'callups', icon: 'phone-circle-o', color: '#1f6fd1', to: '/callups', perms: ['partner.read', 'workorder.handle'], badge: callupBadge },
    ],
    // A notice about an emergency: my call-ups when it called my organisation, else my patrols.
    subjects: { emergency: (id) => `/emergencies/${id}` },
  },
  // The command post's screen: the level, the patrols, the call-ups, the supplies — no names.
  screens: {
    emergency: { label: 'display.kind.emergency', number: 'display.number.emergency', component: () => import('./screen/EmergencyScreen.vue') },
  },
};
