// Volunteer service (志愿服务, VOL-1, VOL-2): volunteers registered with a
// community (报到) and confirmed by it, the volunteer teams with their leader
// and members, the Party branches registered with a community (双报到), and
// the teams' activities — held once or by a recurrence rule — with sign-up
// and waitlist, check-in and check-out by a rotating code, hours confirmed by
// the leader (which pays points), a service record, a certificate and
// calendar feeds. On the console (志愿服务): the volunteers and their review,
// the teams, the activities with one occurrence's attendance and the
// leader's code, 双报到 with the monthly report. On the phone (活动): the
// activities of the next two weeks, mine and my hours; one occurrence with
// 报名, 签到 and 签退 — and, for its leader, the code and the attendance;
// 报到成为志愿者.
//
// For those in need and for the streets (VOL-3 … VOL-6): micro-wishes (微心愿)
// reviewed and published by staff in their own words, claimed and fulfilled
// with photos by a volunteer or a partner, confirmed and thanked; home
// services (上门服务) for residents with a special-care tag, assigned to a
// team or a volunteer, done and rated, and regular visits by plan; the 红管家
// stewards of buildings, whom residents write to; and the teams' patrol
// routes with QR plates, walked by scanning them, what is found filed as a
// work order. On the console: 微心愿, 上门服务 (with 定期探访), 红管家, 巡逻路线
// with its plates and patrols, and a steward's own 红管家工作台. On the phone:
// the 微心愿, 上门服务 and 巡逻 tiles, 我的红管家 on the home page, and
// 红管家工作台 for a steward.
import { markRaw } from 'vue';
import { Flag, Guide, House, Medal } from '@element-plus/icons-vue';

export default {
  name: 'volunteers',
  console: {
    // The console registers its icons by name (console/icons.js); the group's own comes with it.
    groups: { volunteers: { title: 'menu.group.volunteers', icon: markRaw(Flag) } },
    pages: [
      { path: 'volunteers', name: 'volunteers', component: () => import('./console/Volunteers.vue'), meta: { title: 'menu.volunteers', icon: 'User', group: 'volunteers', perms: ['volunteer.read'] } },
      { path: 'volunteer-teams', name: 'volunteer-teams', component: () => import('./console/Teams.vue'), meta: { title: 'menu.volunteerTeams', icon: 'Avatar', group: 'volunteers', perms: ['volunteer.read', 'team.read'] } },
      { path: 'activities', name: 'activities', component: () => import('./console/Activities.vue'), meta: { title: 'menu.activities', icon: 'Calendar', group: 'volunteers', perms: ['volunteer.read', 'activity.join'] } },
      { path: 'party-branches', name: 'party-branches', component: () => import('./console/Branches.vue'), meta: { title: 'menu.partyBranches', icon: 'Stamp', group: 'volunteers', perms: ['volunteer.read', 'branch.register'] } },
      { path: 'volunteers/:id(\\d+)', name: 'volunteer', component: () => import('./console/VolunteerDetail.vue'), meta: { title: 'menu.volunteerDetail', hidden: true, activeMenu: '/volunteers', perms: ['volunteer.read'] } },
      { path: 'volunteer-teams/:id(\\d+)', name: 'volunteer-team', component: () => import('./console/TeamDetail.vue'), meta: { title: 'menu.volunteerTeamDetail', hidden: true, activeMenu: '/volunteer-teams', perms: ['volunteer.read', 'team.read'] } },
      { path: 'activities/:id(\\d+)', name: 'activity', component: () => import('./console/ActivityDetail.vue'), meta: { title: 'menu.activityDetail', hidden: true, activeMenu: '/activities', perms: ['volunteer.read', 'activity.join'] } },
      { path: 'activity-occurrences/:id(\\d+)', name: 'activity-occurrence', component: () => import('./console/OccurrenceDetail.vue'), meta: { title: 'menu.activityOccurrence', hidden: true, activeMenu: '/activities', perms: ['volunteer.read', 'activity.join'] } },
      { path: 'wishes', name: 'wishes', component: () => import('./console/Wishes.vue'), meta: { title: 'menu.wishes', icon: 'Present', group: 'volunteers', perms: ['wish.read'] } },
      { path: 'home-services', name: 'home-services', component: () => import('./console/HomeServices.vue'), meta: { title: 'menu.homeServices', icon: markRaw(House), group: 'volunteers', perms: ['homeservice.manage'] } },
      { path: 'stewards', name: 'stewards', component: () => import('./console/Stewards.vue'), meta: { title: 'menu.stewards', icon: markRaw(Medal), group: 'volunteers', perms: ['steward.manage'] } },
      { path: 'patrol-routes', name: 'patrol-routes', component: () => import('./console/PatrolRoutes.vue'), meta: { title: 'menu.patrolRoutes', icon: markRaw(Guide), group: 'volunteers', perms: ['volunteer.read', 'activity.join'] } },
      { path: 'wishes/:id(\\d+)', name: 'wish', component: () => import('./console/WishDetail.vue'), meta: { title: 'menu.wishDetail', hidden: true, activeMenu: '/wishes', perms: ['wish.read'] } },
      { path: 'home-services/:id(\\d+)', name: 'home-service', component: () => import('./console/HomeServiceDetail.vue'), meta: { title: 'menu.homeServiceDetail', hidden: true, activeMenu: '/home-services', perms: ['homeservice.manage'] } },
      { path: 'patrol-routes/:id(\\d+)', name: 'patrol-route', component: () => import('./console/PatrolRouteDetail.vue'), meta: { title: 'menu.patrolRouteDetail', hidden: true, activeMenu: '/patrol-routes', perms: ['volunteer.read', 'activity.join'] } },
      { path: 'patrols/:id(\\d+)', name: 'patrol', component: () => import('./console/PatrolDetail.vue'), meta: { title: 'menu.patrolDetail', hidden: true, activeMenu: '/patrol-routes', perms: ['volunteer.read', 'activity.join'] } },
      // A steward's own work (红管家工作台): reached from their notices; whoever is nobody's steward is told so.
      { path: 'steward-work', name: 'steward-work', component: () => import('./console/StewardWork.vue'), meta: { title: 'menu.stewardWork', hidden: true } },
    ],
    // 待确认的志愿者 opens the applications; 待确认的服务时长, the activities.
    tasks: {
      'volunteer.review': { path: '/volunteers', query: { status: 'applied' } },
      'activity.hours': { path: '/activities' },
      // 待审核/确认的微心愿: those to review (the page's counts show those to confirm); 待派单/逾期的上门服务: those to assign.
      'wish.review': { path: '/wishes', query: { status: 'submitted' } },
      'homeservice.waiting': { path: '/home-services', query: { status: 'requested' } },
    },
    // A notice about a volunteer (an application) opens the volunteer; one about an occurrence, its attendance.
    subjects: {
      volunteer: (id) => (id ? `/volunteers/${id}` : '/volunteers'),
      activity_occurrence: (id) => `/activity-occurrences/${id}`,
      wish: (id) => `/wishes/${id}`,
      home_service: (id) => `/home-services/${id}`,
      // A notice about an appointment (made a steward, a resident's message) goes to the steward.
      steward: () => '/steward-work',
      patrol: (id) => `/patrols/${id}`,
    },
  },
  mobile: {
    routes: [
      { path: '/activities', name: 'activities', component: () => import('./mobile/Activities.vue') },
      { path: '/activities/register', name: 'volunteer-register', component: () => import('./mobile/Register.vue') },
      { path: '/activities/:id(\\d+)', name: 'activity', component: () => import('./mobile/Activity.vue') },
      // An occurrence nobody has signed up for yet has no id of its own: it is the activity's at `?at=`.
      { path: '/activities/:activity(\\d+)/occurrence', name: 'activity-at', component: () => import('./mobile/Occurrence.vue') },
      { path: '/occurrences/:id(\\d+)', name: 'occurrence', component: () => import('./mobile/Occurrence.vue') },
      { path: '/wishes', name: 'wishes', component: () => import('./mobile/Wishes.vue') },
      { path: '/wishes/new', name: 'wish-new', component: () => import('./mobile/NewWish.vue') },
      { path: '/wishes/:id(\\d+)', name: 'wish', component: () => import('./mobile/Wish.vue') },
      { path: '/home-services', name: 'home-services', component: () => import('./mobile/HomeServices.vue') },
      { path: '/home-services/new', name: 'home-service-new', component: () => import('./mobile/NewHomeService.vue') },
      { path: '/home-services/:id(\\d+)', name: 'home-service', component: () => import('./mobile/HomeService.vue') },
      { path: '/patrols', name: 'patrols', component: () => import('./mobile/Patrols.vue') },
      { path: '/patrol-routes/:id(\\d+)', name: 'patrol-route', component: () => import('./mobile/PatrolRoute.vue') },
      { path: '/patrols/:id(\\d+)', name: 'patrol', component: () => import('./mobile/Patrol.vue') },
      { path: '/steward', name: 'steward', component: () => import('./mobile/Steward.vue') },
      { path: '/steward/work', name: 'steward-work', component: () => import('./mobile/StewardWork.vue') },
    ],
    tiles: [
      { key: 'activities', icon: 'flag-o', color: '#1989fa', to: '/activities', perms: ['activity.join'] },
      // Published wishes are read by those who reach a compound (wish.read) and by every confirmed volunteer.
      { key: 'wishes', icon: 'gift-o', color: '#ee0a24', to: '/wishes', perms: ['wish.read', 'activity.join'] },
      { key: 'services', icon: 'service-o', color: '#00a3a3', to: '/home-services', perms: ['activity.join'] },
      { key: 'patrols', icon: 'guide-o', color: '#3f7d20', to: '/patrols', perms: ['activity.join'] },
    ],
    links: [
      { key: 'volunteer', title: 'mvol.myService', icon: 'flag-o', to: '/activities?tab=hours', perms: ['activity.join'] },
      // My building's 红管家, on the home page too (a steward finds their own work there).
      { key: 'steward', title: 'mcare.mySteward', label: 'mcare.myStewardHint', icon: 'manager-o', to: '/steward', home: true },
    ],
    // My registration reviewed: my service; an occurrence (a place freed, one cancelled): the occurrence.
    subjects: {
      volunteer: () => '/activities?tab=hours',
      activity_occurrence: (id) => `/occurrences/${id}`,
      wish: (id) => `/wishes/${id}`,
      home_service: (id) => `/home-services/${id}`,
      steward: () => '/steward/work',
      patrol: (id) => `/patrols/${id}`,
    },
  },
};
