// Events (活动, EVT-1 … EVT-3): ceremonies and festivals, queue numbers,
// scored stations with prizes, and honours.
//
// On the console (活动): 活动管理 — the events, 新建活动 with its dates (a
// festival's stops, each at a community), one event with its dates and their
// counts (places taken, waiting, checked in), its stations and their
// operators, its prizes and their stock, its queues, its registrations and,
// for a ceremony, the organisations invited and their answers; 签到台 — a
// date's door: a ticket scanned by camera or scanner, or found by name or
// phone (masked), checked in once; walk-ins; calling numbers; handing out
// prizes; 站点计分 — the stations the user runs: scan a ticket, enter the
// result, see the results and the leaderboard; 评选 — honours rounds with
// their nominees to review and score, the vote's counts and the anomaly
// report (bursts from one address, clusters of new accounts) whose votes
// are voided before the result is published.
//
// On the phone: 活动 — the events open to me, registering for a date; 我的票券
// — each ticket's QR, its score card filling as I am scored, the prize; my
// queue number and how many are ahead; 评选 — nominating and voting; an
// organisation's invitations answered by its contact; 站点计分 for operators.
// A room's screen shows a queue's now-serving number or a station's leaderboard.
import { markRaw } from 'vue';
import { Calendar, Medal, Stamp, Tickets, Trophy } from '@element-plus/icons-vue';

export default {
  name: 'events',
  console: {
    groups: { events: { title: 'menu.group.events', icon: markRaw(Calendar) } },
    pages: [
      { path: 'events', name: 'events', component: () => import('./console/Events.vue'), meta: { title: 'menu.events', icon: markRaw(Calendar), group: 'events', perms: ['event.read', 'event.manage'] } },
      { path: 'event-desk', name: 'event-desk', component: () => import('./console/Desk.vue'), meta: { title: 'menu.eventDesk', icon: markRaw(Tickets), group: 'events', perms: ['event.checkin'] } },
      // Operators of a station (a partner's contact, a named volunteer) as well as staff.
      { path: 'event-stations', name: 'event-stations', component: () => import('./console/Stations.vue'), meta: { title: 'menu.eventStations', icon: markRaw(Stamp), group: 'events', perms: ['event.manage'], roles: ['partner_admin', 'property_staff'] } },
      { path: 'honours', name: 'honours', component: () => import('./console/Honours.vue'), meta: { title: 'menu.honours', icon: markRaw(Trophy), group: 'events', perms: ['honour.manage'] } },
      { path: 'events/:id(\\d+)', name: 'event', component: () => import('./console/EventDetail.vue'), meta: { title: 'menu.eventDetail', icon: markRaw(Calendar), hidden: true, activeMenu: '/events', perms: ['event.read', 'event.manage'] } },
      { path: 'honours/:id(\\d+)', name: 'honour', component: () => import('./console/HonourDetail.vue'), meta: { title: 'menu.honourDetail', icon: markRaw(Medal), hidden: true, activeMenu: '/honours', perms: ['honour.manage'] } },
    ],
    tasks: { 'honour.review': { path: '/honours' } },
    subjects: {
      event_ticket: () => '/event-desk',
      event_queue: () => '/event-desk',
      honour_round: (id) => `/honours/${id}`,
    },
  },
  mobile: {
    routes: [
      { path: '/events', name: 'events', component: () => import('./mobile/Events.vue') },
      { path: '/events/:id(\\d+)', name: 'event', component: () => import('./mobile/Event.vue') },
      { path: '/tickets', name: 'tickets', component: () => import('./mobile/Tickets.vue') },
      { path: '/tickets/:id(\\d+)', name: 'ticket', component: () => import('./mobile/Ticket.vue') },
      { path: '/queues/:id(\\d+)', name: 'queue', component: () => import('./mobile/Queue.vue') },
      { path: '/scoring', name: 'scoring', component: () => import('./mobile/Scoring.vue') },
      { path: '/honours', name: 'honours', component: () => import('./mobile/Honours.vue') },
      { path: '/honours/:id(\\d+)', name: 'honour', component: () => import('./mobile/Honour.vue') },
    ],
    tiles: [
      { key: 'events', icon: 'flag-o', color: '#d9480f', to: '/events', perms: ['event.join'] },
      { key: 'honours', icon: 'medal-o', color: '#b8860b', to: '/honours', perms: ['honour.vote'] },
    ],
    links: [
      { key: 'tickets', title: 'mobile.link.tickets', icon: 'coupon-o', to: '/tickets' },
      { key: 'scoring', title: 'mobile.link.scoring', icon: 'records-o', to: '/scoring', perms: ['partner.read', 'event.checkin'] },
    ],
    subjects: {
      event_ticket: (id) => `/tickets/${id}`,
      event_queue: (id) => `/queues/${id}`,
      honour_round: (id) => `/honours/${id}`,
    },
  },
  screens: {
    event_queue: { label: 'display.kind.event_queue', number: 'display.number.event_queue', component: () => import('./screen/QueueScreen.vue') },
    event_station: { label: 'display.kind.event_station', number: 'display.number.event_station', component: () => import('./screen/StationScreen.vue') },
  },
};
