import { watch } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'
import { locale, t } from './i18n/index.js'
import { adminPages, pages, subPages, upcoming } from './navigation.js'
import { canAny, isSignedIn, loadSession, session, twoFactorSetupRequired } from './session.js'
import { twoFactorSetupRedirect } from './views/account/security.js'

const MainLayout = () => import('./layouts/MainLayout.vue')
const PlaceholderView = () => import('./views/PlaceholderView.vue')
const adminViews = {
  users: () => import('./views/admin/UsersView.vue'),
  audit: () => import('./views/admin/AuditView.vue'),
  accessLog: () => import('./views/admin/AccessLogView.vue'),
  outbox: () => import('./views/admin/OutboxView.vue'),
  notificationTemplates: () => import('./views/admin/TemplatesView.vue'),
  people: () => import('./views/admin/PeopleView.vue'),
  retention: () => import('./views/admin/RetentionView.vue'),
  privacyNotice: () => import('./views/admin/PrivacyNoticeView.vue'),
  securitySettings: () => import('./views/admin/SecuritySettingsView.vue'),
}
const views = {
  members: () => import('./views/membership/MembersView.vue'),
  applications: () => import('./views/membership/ApplicationsView.vue'),
  memberImport: () => import('./views/membership/ImportView.vue'),
  member: () => import('./views/membership/MemberView.vue'),
  certificate: () => import('./views/membership/CertificateView.vue'),
  training: () => import('./views/training/TrainingView.vue'),
  trainingClass: () => import('./views/training/TrainingClassView.vue'),
  trainingMine: () => import('./views/training/TrainingMineView.vue'),
  trainingAttendance: () => import('./views/training/AttendanceView.vue'),
  trainingCertificate: () => import('./views/training/TrainingCertificateView.vue'),
  checkIn: () => import('./views/training/CheckInView.vue'),
  dues: () => import('./views/dues/DuesView.vue'),
  duesInvoices: () => import('./views/dues/InvoicesView.vue'),
  duesInvoice: () => import('./views/dues/InvoiceView.vue'),
  duesArrears: () => import('./views/dues/ArrearsView.vue'),
  duesSchedules: () => import('./views/dues/SchedulesView.vue'),
  duesSchedule: () => import('./views/dues/ScheduleView.vue'),
  duesBillRun: () => import('./views/dues/BillRunView.vue'),
  duesReductions: () => import('./views/dues/ReductionsView.vue'),
  duesStatements: () => import('./views/dues/StatementsView.vue'),
  duesFees: () => import('./views/dues/FeesView.vue'),
  duesReport: () => import('./views/dues/ReportView.vue'),
  duesSettings: () => import('./views/dues/SettingsView.vue'),
  duesReceipt: () => import('./views/dues/ReceiptView.vue'),
  meetings: () => import('./views/meetings/MeetingsView.vue'),
  meetingRooms: () => import('./views/meetings/RoomsView.vue'),
  roomCalendar: () => import('./views/meetings/RoomCalendarView.vue'),
  activityCalendar: () => import('./views/meetings/ActivityCalendarView.vue'),
  meetingSettings: () => import('./views/meetings/MeetingSettingsView.vue'),
  meeting: () => import('./views/meetings/MeetingView.vue'),
  meetingRecord: () => import('./views/meetings/MeetingRecordView.vue'),
  meetingCheckIn: () => import('./views/meetings/MeetingCheckInView.vue'),
  visits: () => import('./views/visits/VisitsView.vue'),
  visitExchange: () => import('./views/visits/ExchangeView.vue'),
  visitTopics: () => import('./views/visits/TopicsView.vue'),
  visitParticipation: () => import('./views/visits/ParticipationView.vue'),
  visit: () => import('./views/visits/VisitView.vue'),
  visitReview: () => import('./views/visits/VisitReviewView.vue'),
  visitDocuments: () => import('./views/visits/VisitDocumentsView.vue'),
  visitRooming: () => import('./views/visits/VisitRoomingView.vue'),
  visitAttendance: () => import('./views/visits/VisitAttendanceView.vue'),
  visitReport: () => import('./views/visits/VisitReportView.vue'),
  visitCheckIn: () => import('./views/visits/VisitCheckInView.vue'),
  reports: () => import('./views/reports/ReportsView.vue'),
  reportsMembership: () => import('./views/reports/MembershipReportView.vue'),
  reportsDues: () => import('./views/reports/DuesReportView.vue'),
  reportsTraining: () => import('./views/reports/TrainingReportView.vue'),
  reportsMeetings: () => import('./views/reports/MeetingsReportView.vue'),
  reportsVisits: () => import('./views/reports/VisitsReportView.vue'),
  reportsEngagement: () => import('./views/reports/EngagementReportView.vue'),
  reportsAnnual: () => import('./views/reports/AnnualReportView.vue'),
  reportsDrill: () => import('./views/reports/DrillView.vue'),
  account: () => import('./views/account/AccountView.vue'),
  accountSecurity: () => import('./views/account/AccountSecurityView.vue'),
  notifications: () => import('./views/notifications/InboxView.vue'),
  notificationPreferences: () => import('./views/notifications/PreferencesView.vue'),
}
const titles = {
  member: 'member.title',
  memberImport: 'import.title',
  certificate: 'certificate.title',
  trainingClass: 'training.classPage',
  trainingMine: 'training.mine',
  trainingAttendance: 'training.attendance',
  trainingCertificate: 'trainingCertificate.heading',
  checkIn: 'checkIn.title',
  duesInvoices: 'dues.tabs.duesInvoices',
  duesInvoice: 'dues.invoice.title',
  duesArrears: 'dues.tabs.duesArrears',
  duesSchedules: 'dues.tabs.duesSchedules',
  duesSchedule: 'dues.schedule.title',
  duesBillRun: 'dues.billRun.title',
  duesReductions: 'dues.tabs.duesReductions',
  duesStatements: 'dues.tabs.duesStatements',
  duesFees: 'dues.tabs.duesFees',
  duesReport: 'dues.tabs.duesReport',
  duesSettings: 'dues.tabs.duesSettings',
  duesReceipt: 'dues.receipt.title',
  meetingRooms: 'meetings.tabs.meetingRooms',
  roomCalendar: 'meetings.tabs.roomCalendar',
  activityCalendar: 'meetings.tabs.activityCalendar',
  meetingSettings: 'meetings.tabs.meetingSettings',
  meeting: 'meetings.page',
  meetingRecord: 'meetings.record.title',
  meetingCheckIn: 'meetings.checkIn.title',
  visitExchange: 'visits.tabs.visitExchange',
  visitTopics: 'visits.tabs.visitTopics',
  visitParticipation: 'visits.tabs.visitParticipation',
  visit: 'visits.page',
  visitReview: 'visits.sections.visitReview',
  visitDocuments: 'visits.sections.visitDocuments',
  visitRooming: 'visits.sections.visitRooming',
  visitAttendance: 'visits.sections.visitAttendance',
  visitReport: 'visits.sections.visitReport',
  visitCheckIn: 'visits.checkIn.title',
  reportsMembership: 'reports.tabs.reportsMembership',
  reportsDues: 'reports.tabs.reportsDues',
  reportsTraining: 'reports.tabs.reportsTraining',
  reportsMeetings: 'reports.tabs.reportsMeetings',
  reportsVisits: 'reports.tabs.reportsVisits',
  reportsEngagement: 'reports.tabs.reportsEngagement',
  reportsAnnual: 'reports.tabs.reportsAnnual',
  reportsDrill: 'reports.drill.title',
  account: 'account.title',
  accountSecurity: 'account.tabs.accountSecurity',
  notificationPreferences: 'notifications.tabs.notificationPreferences',
}

const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./views/LoginView.vue'),
    meta: { public: true, title: 'login.title' },
  },
  // Signed out: apply to join; check a membership certificate (the QR code leads here).
  {
    path: '/apply',
    name: 'apply',
    component: () => import('./views/membership/ApplyView.vue'),
    meta: { public: true, title: 'apply.title' },
  },
  // Signed out or in: the privacy notice in force (linked from the login page and the forms).
  {
    path: '/privacy',
    name: 'privacy',
    component: () => import('./views/PrivacyView.vue'),
    meta: { public: true, title: 'privacyNotice.title' },
  },
  {
    path: '/verify/:code',
    name: 'verify',
    component: () => import('./views/membership/VerifyView.vue'),
    meta: { public: true, title: 'verify.title' },
  },
  {
    path: '/verify-training/:code',
    name: 'verifyTraining',
    component: () => import('./views/training/TrainingVerifyView.vue'),
    meta: { public: true, title: 'trainingVerify.title' },
  },
  // Signed out: check a 会费收据 (its QR code leads here).
  {
    path: '/verify-receipt/:code',
    name: 'verifyReceipt',
    component: () => import('./views/dues/ReceiptVerifyView.vue'),
    meta: { public: true, title: 'receiptVerify.title' },
  },
  // Signed out: forgot the password — ask for a reset link by e-mail, then set a new one with it.
  {
    path: '/forgot-password',
    name: 'forgotPassword',
    component: () => import('./views/password/ForgotPasswordView.vue'),
    meta: { public: true, title: 'passwordReset.forgotTitle' },
  },
  {
    path: '/reset-password',
    name: 'resetPassword',
    component: () => import('./views/password/ResetPasswordView.vue'),
    meta: { public: true, title: 'passwordReset.resetTitle' },
  },
  // The server is up but cannot reach its database: the page asked for is retried from here.
  {
    path: '/unavailable',
    name: 'unavailable',
    component: () => import('./views/UnavailableView.vue'),
    meta: { public: true, title: 'common.unavailable' },
  },
  // Signed out: an attendee's pass (the link a unit sends), with the entry QR code.
  {
    path: '/pass/:token',
    name: 'trainingPass',
    component: () => import('./views/training/PassView.vue'),
    meta: { public: true, title: 'training.passPage' },
  },
  // Signed out: a visit delegate's pass (the link a unit sends), with the check-in QR code.
  {
    path: '/visit-pass/:token',
    name: 'visitPass',
    component: () => import('./views/visits/VisitPassView.vue'),
    meta: { public: true, title: 'visits.pass.page' },
  },
  {
    path: '/',
    component: MainLayout,
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('./views/HomeView.vue'),
        meta: { title: 'menu.home' },
      },
      ...[...pages, ...subPages].map((item) => ({
        path: item.path.slice(1),
        name: item.name,
        component: views[item.name],
        meta: { anyOf: item.anyOf, title: titles[item.name] ?? `menu.${item.name}` },
      })),
      ...upcoming.map((item) => ({
        path: item.path.slice(1),
        name: item.name,
        component: PlaceholderView,
        meta: { anyOf: item.anyOf, title: `menu.${item.name}` },
      })),
      ...adminPages.map((item) => ({
        path: item.path.slice(1),
        name: item.name,
        component: adminViews[item.name],
        meta: { anyOf: item.anyOf, title: `menu.${item.name}` },
      })),
      {
        path: '403',
        name: 'forbidden',
        component: () => import('./views/ForbiddenView.vue'),
        meta: { title: 'forbidden.title' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('./views/NotFoundView.vue'),
        meta: { title: 'notFound.title' },
      },
    ],
  },
]

// Where to go after signing in: only a path inside this app (no other origin, not the login page).
export function safeRedirect(target) {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return '/'
  if (target.startsWith('/\\') || target.startsWith('/login')) return '/'
  return target
}

export const router = createRouter({
  history: createWebHistory(),
  routes,
})

router.beforeEach(async (to) => {
  if (!session.loaded) {
    try {
      await loadSession()
    } catch (error) {
      // The database is down (503): nobody is signed out; say so and offer to retry.
      if (error?.status === 503) {
        return to.name === 'unavailable' ? true : { name: 'unavailable', query: { from: to.fullPath } }
      }
      // Server unreachable: treat as signed out; the login page reports the error on submit.
    }
  }
  if (to.meta.public) {
    if (to.name === 'login' && isSignedIn.value) return safeRedirect(to.query.redirect)
    return true
  }
  if (!isSignedIn.value) return { name: 'login', query: { redirect: to.fullPath } }
  // An administrator requires this account to set up two-factor sign-in first.
  const setup = twoFactorSetupRedirect(to, twoFactorSetupRequired.value)
  if (setup) return setup
  if (to.meta.anyOf && !canAny(to.meta.anyOf)) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
})

function updateTitle(route) {
  const page = route.meta.title ? t(route.meta.title) : ''
  document.title = page ? `${page} · ${t('app.name')}` : t('app.name')
}
router.afterEach(updateTitle)
watch(locale, () => updateTitle(router.currentRoute.value))
