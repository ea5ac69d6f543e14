// The side menu and the permission each page needs, in one table: the router guards routes with
// the same `anyOf` lists the menu is filtered by. Permission names are the server's
// (core/access.cpp); a user sees an item when they hold any one of its permissions.

// Who works with dues: staff (manage, record payments) and leaders (read every unit's). A member
// (dues.read_own) gets its own unit's dues page at /dues instead.
const DUES_STAFF = ['dues.manage', 'dues.record_payment', 'reports.read']
const DUES_READERS = ['dues.manage', 'reports.read']

// Who works with meetings and rooms: staff (manage), members (reply to invitations) and leaders
// (book rooms, read the meetings and their quorum). Every one of them sees the rooms and their
// availability; only staff change the settings and check attendees in.
const MEETINGS_USERS = ['meetings.manage', 'meetings.rsvp', 'rooms.book']

// Who works with exchange visits (考察交流): staff (manage), members (apply for their own unit,
// offer to host, say what they want to see) and leaders (read every visit, delegation and report).
const VISITS_USERS = ['visits.manage', 'visits.apply', 'reports.read']
// Who reads a visit's delegation documents, rooming and attendance: staff and leaders.
const VISITS_READERS = ['visits.manage', 'reports.read']

// Who reads the reports (统计报表) and the dashboard: leaders and staff.
const REPORTS_READERS = ['reports.read']

// Built pages of the menu.
export const pages = [
  { name: 'members', path: '/members', anyOf: ['directory.read'] },
  {
    name: 'applications',
    path: '/applications',
    anyOf: ['applications.read', 'applications.review'],
  },
  // 会费: staff and leaders get the dues work (tabs); a member its own unit's dues.
  { name: 'dues', path: '/dues', anyOf: [...DUES_STAFF, 'dues.read_own'] },
  // Leaders (reports.read) browse the catalogue and classes too; they sign nobody up.
  {
    name: 'training',
    path: '/training',
    anyOf: ['training.manage', 'training.enroll', 'reports.read'],
  },
  // 会议与会议室: staff all meetings, a member its unit's invitations, leaders read and book rooms.
  // 考察交流: the visits; staff manage them, a member applies, leaders read.
  { name: 'visits', path: '/visits', anyOf: VISITS_USERS },
  { name: 'meetings', path: '/meetings', anyOf: MEETINGS_USERS },
  // 统计报表: leaders and staff read every report (a member's own figures are on its home page).
  { name: 'reports', path: '/reports', anyOf: REPORTS_READERS },
  // 通知: the signed-in user's own notifications (every signed-in user).
  { name: 'notifications', path: '/notifications', anyOf: [] },
]

// Pages reached from other pages, not from the menu: the same guard.
export const subPages = [
  { name: 'memberImport', path: '/members/import', anyOf: ['members.write'] },
  { name: 'member', path: '/members/:id(\\d+)', anyOf: ['directory.read'] },
  // Staff, or the unit's own account (the server refuses the other units).
  {
    name: 'certificate',
    path: '/members/:id(\\d+)/certificate',
    anyOf: ['members.write', 'members.manage_own'],
  },
  {
    name: 'trainingClass',
    path: '/training/classes/:id(\\d+)',
    anyOf: ['training.manage', 'training.enroll', 'reports.read'],
  },
  // A member's own unit's sign-ups (本单位报名).
  { name: 'trainingMine', path: '/training/mine', anyOf: ['training.enroll'] },
  {
    name: 'trainingAttendance',
    path: '/training/classes/:id(\\d+)/attendance',
    anyOf: ['training.manage'],
  },
  {
    name: 'trainingCertificate',
    path: '/training/enrollments/:id(\\d+)/certificate',
    anyOf: ['training.enroll'],
  },
  // Opened by scanning an attendee's pass (its QR code) while signed in as staff.
  { name: 'checkIn', path: '/check-in/:classId(\\d+)/:token', anyOf: ['training.manage'] },
  // 会费 (the tabs of /dues, in their order, then the pages reached from them).
  { name: 'duesInvoices', path: '/dues/invoices', anyOf: DUES_STAFF },
  { name: 'duesArrears', path: '/dues/arrears', anyOf: DUES_READERS },
  { name: 'duesSchedules', path: '/dues/schedules', anyOf: DUES_READERS },
  { name: 'duesReductions', path: '/dues/reductions', anyOf: ['dues.manage'] },
  { name: 'duesStatements', path: '/dues/statements', anyOf: ['dues.manage'] },
  { name: 'duesFees', path: '/dues/fees', anyOf: ['dues.manage'] },
  { name: 'duesReport', path: '/dues/report', anyOf: DUES_READERS },
  { name: 'duesSettings', path: '/dues/settings', anyOf: ['dues.manage'] },
  // One invoice: staff and leaders any, a member its own unit's (the server answers 404 else).
  { name: 'duesInvoice', path: '/dues/invoices/:id(\\d+)', anyOf: [...DUES_STAFF, 'dues.read_own'] },
  { name: 'duesSchedule', path: '/dues/schedules/:year(\\d+)', anyOf: DUES_READERS },
  { name: 'duesBillRun', path: '/dues/bill-run', anyOf: ['dues.manage'] },
  // A 会费收据 to print: staff and leaders, or the paying unit (the server answers 404 else).
  { name: 'duesReceipt', path: '/dues/receipts/:no', anyOf: [...DUES_STAFF, 'dues.read_own'] },
  // 会议 (the tabs of /meetings, in their order, then the pages reached from them).
  { name: 'meetingRooms', path: '/meetings/rooms', anyOf: MEETINGS_USERS },
  { name: 'roomCalendar', path: '/meetings/room-calendar', anyOf: MEETINGS_USERS },
  { name: 'activityCalendar', path: '/meetings/calendar', anyOf: MEETINGS_USERS },
  { name: 'meetingSettings', path: '/meetings/settings', anyOf: ['meetings.manage'] },
  // One meeting: staff and leaders any, a member those its unit is invited to (404 else).
  { name: 'meeting', path: '/meetings/:id(\\d+)', anyOf: MEETINGS_USERS },
  // The printable record of a meeting (attendance, votes, minutes).
  { name: 'meetingRecord', path: '/meetings/:id(\\d+)/record', anyOf: ['meetings.manage', 'reports.read'] },
  // Opened by scanning a unit's meeting pass (its QR code) while signed in as staff.
  { name: 'meetingCheckIn', path: '/meeting-check-in/:id(\\d+)/:token', anyOf: ['meetings.manage'] },
  // 考察交流 (the tabs of /visits, in their order, then one visit's pages).
  { name: 'visitExchange', path: '/visits/exchange', anyOf: VISITS_USERS },
  { name: 'visitTopics', path: '/visits/topics', anyOf: ['visits.manage'] },
  { name: 'visitParticipation', path: '/visits/participation', anyOf: VISITS_READERS },
  // One visit: staff and leaders any, a member those not in draft (404 else).
  { name: 'visit', path: '/visits/:id(\\d+)', anyOf: VISITS_USERS },
  { name: 'visitReview', path: '/visits/:id(\\d+)/review', anyOf: VISITS_READERS },
  { name: 'visitDocuments', path: '/visits/:id(\\d+)/documents', anyOf: VISITS_READERS },
  { name: 'visitRooming', path: '/visits/:id(\\d+)/rooming', anyOf: VISITS_READERS },
  { name: 'visitAttendance', path: '/visits/:id(\\d+)/attendance', anyOf: VISITS_READERS },
  { name: 'visitReport', path: '/visits/:id(\\d+)/report', anyOf: VISITS_USERS },
  // Opened by scanning a delegate's pass (its QR code) while signed in as staff.
  { name: 'visitCheckIn', path: '/visit-check-in/:visitId(\\d+)/:token', anyOf: ['visits.manage'] },
  // 统计报表 (the tabs of /reports, in their order, then the units behind a figure).
  { name: 'reportsMembership', path: '/reports/membership', anyOf: REPORTS_READERS },
  { name: 'reportsDues', path: '/reports/dues', anyOf: REPORTS_READERS },
  { name: 'reportsTraining', path: '/reports/training', anyOf: REPORTS_READERS },
  { name: 'reportsMeetings', path: '/reports/meetings', anyOf: REPORTS_READERS },
  { name: 'reportsVisits', path: '/reports/visits', anyOf: REPORTS_READERS },
  { name: 'reportsEngagement', path: '/reports/engagement', anyOf: REPORTS_READERS },
  { name: 'reportsAnnual', path: '/reports/annual', anyOf: REPORTS_READERS },
  { name: 'reportsDrill', path: '/reports/drill', anyOf: REPORTS_READERS },
  // The signed-in user's own account: the calendar feed (any signed-in user).
  { name: 'account', path: '/account', anyOf: [] },
  // 账号安全: the user's own two-factor sign-in and signed-in sessions (any signed-in user).
  { name: 'accountSecurity', path: '/account/security', anyOf: [] },
  // Which notifications also come by e-mail or SMS (any signed-in user; e-mails link here).
  { name: 'notificationPreferences', path: '/notifications/preferences', anyOf: [] },
]

// The tabs of the dues pages (staff and leaders), each shown to those its page admits.
export const DUES_TABS = [
  'dues',
  'duesInvoices',
  'duesArrears',
  'duesSchedules',
  'duesReductions',
  'duesStatements',
  'duesFees',
  'duesReport',
  'duesSettings',
]
// The tab a page reached from a tab belongs to.
export const DUES_TAB_OF = {
  duesInvoice: 'duesInvoices',
  duesBillRun: 'duesInvoices',
  duesSchedule: 'duesSchedules',
}

// The tabs of the meetings pages, each shown to those its page admits.
export const MEETINGS_TABS = ['meetings', 'meetingRooms', 'roomCalendar', 'activityCalendar', 'meetingSettings']
// The tab a page reached from a tab belongs to.
export const MEETINGS_TAB_OF = { meeting: 'meetings', meetingRecord: 'meetings' }

// The tabs of the visits pages, each shown to those its page admits.
export const VISITS_TABS = ['visits', 'visitExchange', 'visitTopics', 'visitParticipation']
// The sections of one visit's pages (a second row of tabs on them), each shown to those its page
// admits; all of them belong to the visits tab.
export const VISIT_SECTIONS = ['visit', 'visitReview', 'visitDocuments', 'visitRooming', 'visitAttendance', 'visitReport']
export const VISITS_TAB_OF = Object.fromEntries(VISIT_SECTIONS.map((name) => [name, 'visits']))

// The tabs of the notifications pages (everyone's own inbox and settings).
export const NOTIFICATIONS_TABS = ['notifications', 'notificationPreferences']

// The tabs of the account pages (everyone's own): 我的账号, 账号安全.
export const ACCOUNT_TABS = ['account', 'accountSecurity']

// The tabs of the reports pages (leaders and staff).
export const REPORTS_TABS = [
  'reports',
  'reportsMembership',
  'reportsDues',
  'reportsTraining',
  'reportsMeetings',
  'reportsVisits',
  'reportsEngagement',
  'reportsAnnual',
]
// The tab a page reached from a tab belongs to.
export const REPORTS_TAB_OF = { reportsDrill: 'reports' }

// Capabilities whose pages are not built yet: they are not in the menu (no dead ends); a typed
// or bookmarked address shows the "under construction" page to the roles that will use them.
// (None now: every capability has its pages.)
export const upcoming = []

// The order of the capabilities in the menu, built or not.
const MENU_ORDER = ['members', 'applications', 'dues', 'training', 'visits', 'meetings', 'reports', 'notifications']

export const adminPages = [
  { name: 'users', path: '/admin/users', anyOf: ['users.manage'] },
  { name: 'audit', path: '/admin/audit', anyOf: ['audit.read'] },
  // 个人信息访问记录: who viewed or exported unmasked personal data, and the subject requests.
  { name: 'accessLog', path: '/admin/access-log', anyOf: ['audit.read'] },
  // What the e-mail and SMS senders do (发送队列) and the wording they send (通知模板).
  { name: 'outbox', path: '/admin/outbox', anyOf: ['settings.manage'] },
  { name: 'notificationTemplates', path: '/admin/notification-templates', anyOf: ['settings.manage'] },
  // 个人信息查询与删除: a person's own data, found, exported and erased at their request (staff).
  { name: 'people', path: '/admin/people', anyOf: ['people.manage'] },
  // 个人信息保存期限: how long personal data is kept, and the runs that anonymise it (admin).
  { name: 'retention', path: '/admin/retention', anyOf: ['settings.manage'] },
  // 个人信息保护声明: the notice the forms and the sign-in ask people to accept; publishing a new
  // version asks everyone again (admin).
  { name: 'privacyNotice', path: '/admin/privacy-notice', anyOf: ['settings.manage'] },
  // 安全设置: the password, session and sign-in rules this server runs with (read-only).
  { name: 'securitySettings', path: '/admin/security', anyOf: ['settings.manage'] },
]

// menuFor(canAny, {memberId}) → [{name, path} | {name, children: [...]}], the label key being
// `menu.<name>`. A member account also gets its own unit's page (本单位).
export function menuFor(canAny, { memberId = null } = {}) {
  const items = [{ name: 'home', path: '/' }]
  if (memberId !== null && memberId !== undefined && canAny(['members.manage_own'])) {
    items.push({ name: 'ownUnit', path: `/members/${memberId}` })
  }
  const order = (item) => MENU_ORDER.indexOf(item.name)
  const capabilities = [...pages].sort((a, b) => order(a) - order(b))
  for (const item of capabilities) if (canAny(item.anyOf)) items.push(item)
  const admin = adminPages.filter((item) => canAny(item.anyOf))
  if (admin.length > 0) items.push({ name: 'system', children: admin })
  return items
}

export const ROLE_ORDER = ['admin', 'staff', 'leader', 'member']
