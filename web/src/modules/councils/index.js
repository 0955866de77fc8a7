// Councils (议事协商, GOV-1 … GOV-3 first part): 圆桌议事会, 家园理事会, 楼栋说事岗
// and 三方协商, each at its place with its members in their seats and the rule
// set it adopted (the ten rules); meetings called with an agenda, which every
// member answers (参加 / 请假 / 委托). On the console: the councils, one
// council (members, rules, meetings), the meetings, one meeting with its
// attendance and quorum followed live, the chair's console for the meeting in
// session (the floor and its timer, the queue, check-in, votes, violations and
// points of order) and its minutes (纪要, edited, signed, as PDF). On the
// phone: 我的议事 — the meetings of my councils — and one meeting, answered
// there.
export default {
  name: 'councils',
  console: {
    groups: { councils: { title: 'menu.group.councils', icon: 'ChatLineSquare' } },
    pages: [
      { path: 'councils', name: 'councils', component: () => import('./console/Councils.vue'), meta: { title: 'menu.councils', icon: 'Avatar', group: 'councils', perms: ['council.read'] } },
      { path: 'meetings', name: 'meetings', component: () => import('./console/Meetings.vue'), meta: { title: 'menu.meetings', icon: 'Calendar', group: 'councils', perms: ['council.read'] } },
      { path: 'councils/:id(\\d+)', name: 'council', component: () => import('./console/CouncilDetail.vue'), meta: { title: 'menu.councilDetail', hidden: true, activeMenu: '/councils', perms: ['council.read'] } },
      // A member who holds no council.read (the property company's staff, a partner's contact) opens a
      // meeting from its notice too: the server decides who may read it.
      { path: 'meetings/:id(\\d+)', name: 'meeting', component: () => import('./console/MeetingDetail.vue'), meta: { title: 'menu.meetingDetail', hidden: true, activeMenu: '/meetings' } },
      // The chair's console for the meeting in session, and the minutes once it is closed: the server decides who may.
      { path: 'meetings/:id(\\d+)/session', name: 'meetingSession', component: () => import('./console/MeetingSession.vue'), meta: { title: 'menu.meetingSession', hidden: true, activeMenu: '/meetings' } },
      { path: 'meetings/:id(\\d+)/minutes', name: 'meetingMinutes', component: () => import('./console/MeetingMinutes.vue'), meta: { title: 'menu.meetingMinutes', hidden: true, activeMenu: '/meetings' } },
    ],
    // A notice of a meeting called opens the meeting.
    subjects: { meeting: (id) => `/meetings/${id}` },
  },
  mobile: {
    routes: [
      { path: '/meetings', name: 'meetings', component: () => import('./mobile/Meetings.vue') },
      { path: '/meetings/:id(\\d+)', name: 'meeting', component: () => import('./mobile/Meeting.vue') },
      { path: '/meetings/:id(\\d+)/minutes', name: 'meeting-minutes', component: () => import('./mobile/Minutes.vue') },
    ],
    tiles: [{ key: 'councils', icon: 'friends-o', color: '#7232dd', to: '/meetings' }],
    links: [{ key: 'meetings', title: 'mcouncil.mine', icon: 'friends-o', to: '/meetings' }],
    subjects: { meeting: (id) => `/meetings/${id}` },
  },
  // The meeting hall's screen: the item, who speaks and the time left, the queue, the check-in QR.
  screens: {
    meeting: { label: 'display.kind.meeting', number: 'display.number.meeting', component: () => import('./screen/MeetingScreen.vue') },
  },
};
