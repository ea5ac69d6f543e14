// node --test src/ — the menu each role sees, from the permissions the server grants it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DUES_TABS,
  DUES_TAB_OF,
  MEETINGS_TABS,
  MEETINGS_TAB_OF,
  VISITS_TABS,
  VISITS_TAB_OF,
  VISIT_SECTIONS,
  NOTIFICATIONS_TABS,
  ACCOUNT_TABS,
  REPORTS_TABS,
  REPORTS_TAB_OF,
  adminPages,
  menuFor,
  pages,
  subPages,
  upcoming,
} from './navigation.js'

// As core/access.cpp grants them.
const permissions = {
  admin: ['users.manage', 'audit.read', 'settings.manage', 'directory.read'],
  staff: [
    'directory.read', 'members.read_all', 'members.write', 'applications.read',
    'applications.review', 'dues.manage', 'dues.record_payment', 'training.manage',
    'training.enroll', 'visits.manage', 'visits.apply', 'meetings.manage', 'meetings.rsvp',
    'rooms.book', 'reports.read', 'people.manage',
  ],
  leader: ['directory.read', 'members.read_all', 'applications.read', 'reports.read', 'rooms.book'],
  member: [
    'directory.read', 'members.manage_own', 'dues.read_own', 'training.enroll', 'visits.apply',
    'meetings.rsvp',
  ],
  applicant: [],
}

function menu(role, memberId = null) {
  const granted = permissions[role]
  const canAny = (list) => list.length === 0 || list.some((p) => granted.includes(p))
  return menuFor(canAny, { memberId }).flatMap((item) => (item.children ? item.children : [item]))
}
const names = (role, memberId) => menu(role, memberId).map((i) => i.name)

test('menu per role', () => {
  assert.deepEqual(names('admin'), ['home', 'members', 'notifications', 'users', 'audit', 'accessLog', 'outbox', 'notificationTemplates', 'retention', 'privacyNotice', 'securitySettings'])
  // Staff and leaders read the reports (统计报表); staff answer personal-data requests (系统管理).
  assert.deepEqual(names('staff'), ['home', 'members', 'applications', 'dues', 'training', 'visits', 'meetings', 'reports', 'notifications', 'people'])
  // Leaders browse the training catalogue, read the dues (read-only), the visits, and book rooms.
  assert.deepEqual(names('leader'), ['home', 'members', 'applications', 'dues', 'training', 'visits', 'meetings', 'reports', 'notifications'])
  // A member sees its own unit's dues, the visits it may apply for and its meeting invitations.
  assert.deepEqual(names('member', 7), ['home', 'ownUnit', 'members', 'dues', 'training', 'visits', 'meetings', 'notifications'])
  // Everyone signed in has their own notifications.
  assert.deepEqual(names('applicant'), ['home', 'notifications'])
})

test("a member's own unit links to its page", () => {
  assert.equal(menu('member', 7).find((i) => i.name === 'ownUnit').path, '/members/7')
  // Without a unit (not yet linked) there is no such item.
  assert.ok(!names('member', null).includes('ownUnit'))
  // Staff have no unit of their own.
  assert.ok(!names('staff', 7).includes('ownUnit'))
})

test('the dues pages: built, guarded, and their tabs per role', () => {
  assert.ok(!upcoming.some((i) => i.name === 'dues'), 'dues is built')
  const byName = Object.fromEntries([...pages, ...subPages].map((i) => [i.name, i]))
  for (const name of [...DUES_TABS, ...Object.keys(DUES_TAB_OF), 'duesReceipt']) {
    assert.ok(byName[name], `${name} has a route`)
    assert.ok(byName[name].path.startsWith('/dues'), `${name} lives under /dues`)
  }
  const tabsOf = (role) => {
    const granted = permissions[role]
    return DUES_TABS.filter((n) => byName[n].anyOf.some((p) => granted.includes(p)))
  }
  assert.deepEqual(tabsOf('staff'), DUES_TABS)
  // Leaders read; they run nothing and change no settings.
  assert.deepEqual(tabsOf('leader'), ['dues', 'duesInvoices', 'duesArrears', 'duesSchedules', 'duesReport'])
  // A member has its own page at /dues and no tab but that one.
  assert.deepEqual(tabsOf('member'), ['dues'])
  // Its invoices and receipts it may open.
  assert.ok(byName.duesInvoice.anyOf.includes('dues.read_own'))
  assert.ok(byName.duesReceipt.anyOf.includes('dues.read_own'))
})

test('the meetings pages: built, guarded, and their tabs per role', () => {
  assert.ok(!upcoming.some((i) => i.name === 'meetings'), 'meetings is built')
  const byName = Object.fromEntries([...pages, ...subPages].map((i) => [i.name, i]))
  for (const name of [...MEETINGS_TABS, ...Object.keys(MEETINGS_TAB_OF), 'meetingCheckIn', 'account']) {
    assert.ok(byName[name], `${name} has a route`)
  }
  const admits = (role, name) => {
    const granted = permissions[role]
    const anyOf = byName[name].anyOf
    return anyOf.length === 0 || anyOf.some((p) => granted.includes(p))
  }
  const tabsOf = (role) => MEETINGS_TABS.filter((n) => admits(role, n))
  assert.deepEqual(tabsOf('staff'), MEETINGS_TABS)
  assert.deepEqual(tabsOf('leader'), ['meetings', 'meetingRooms', 'roomCalendar', 'activityCalendar'])
  assert.deepEqual(tabsOf('member'), ['meetings', 'meetingRooms', 'roomCalendar', 'activityCalendar'])
  // Only staff check attendees in; anyone signed in has an account page.
  assert.ok(admits('staff', 'meetingCheckIn') && !admits('leader', 'meetingCheckIn') && !admits('member', 'meetingCheckIn'))
  for (const role of ['admin', 'staff', 'leader', 'member', 'applicant']) assert.ok(admits(role, 'account'))
})

test('the visits pages: built, guarded, and their tabs per role', () => {
  assert.ok(!upcoming.some((i) => i.name === 'visits'), 'visits is built')
  const byName = Object.fromEntries([...pages, ...subPages].map((i) => [i.name, i]))
  for (const name of [...VISITS_TABS, ...VISIT_SECTIONS, ...Object.keys(VISITS_TAB_OF), 'visitCheckIn']) {
    assert.ok(byName[name], `${name} has a route`)
  }
  for (const name of [...VISITS_TABS, ...VISIT_SECTIONS]) assert.ok(byName[name].path.startsWith('/visits'), `${name} lives under /visits`)
  const admits = (role, name) => byName[name].anyOf.some((p) => permissions[role].includes(p))
  const tabsOf = (role) => VISITS_TABS.filter((n) => admits(role, n))
  const sectionsOf = (role) => VISIT_SECTIONS.filter((n) => admits(role, n))
  assert.deepEqual(tabsOf('staff'), VISITS_TABS)
  assert.deepEqual(tabsOf('leader'), ['visits', 'visitExchange', 'visitParticipation'])
  assert.deepEqual(tabsOf('member'), ['visits', 'visitExchange'])
  assert.deepEqual(sectionsOf('staff'), VISIT_SECTIONS)
  assert.deepEqual(sectionsOf('leader'), VISIT_SECTIONS)
  // A member: the visit (its application) and the published report.
  assert.deepEqual(sectionsOf('member'), ['visit', 'visitReport'])
  // Only staff check delegates in.
  assert.ok(admits('staff', 'visitCheckIn') && !admits('leader', 'visitCheckIn') && !admits('member', 'visitCheckIn'))
})

test('the notifications pages: everyone their own, the outbox and templates for admins', () => {
  const byName = Object.fromEntries([...pages, ...subPages, ...adminPages].map((i) => [i.name, i]))
  for (const name of NOTIFICATIONS_TABS) {
    assert.ok(byName[name], `${name} has a route`)
    assert.ok(byName[name].path.startsWith('/notifications'), `${name} lives under /notifications`)
  }
  // E-mails link to the preferences page: it must stay at this address.
  assert.equal(byName.notificationPreferences.path, '/notifications/preferences')
  const admits = (role, name) => {
    const anyOf = byName[name].anyOf
    return anyOf.length === 0 || anyOf.some((p) => permissions[role].includes(p))
  }
  for (const role of ['admin', 'staff', 'leader', 'member', 'applicant']) {
    for (const name of NOTIFICATIONS_TABS) assert.ok(admits(role, name), `${role} opens ${name}`)
  }
  assert.equal(byName.outbox.path, '/admin/outbox')
  assert.equal(byName.notificationTemplates.path, '/admin/notification-templates')
  for (const name of ['outbox', 'notificationTemplates']) {
    assert.ok(admits('admin', name))
    for (const role of ['staff', 'leader', 'member', 'applicant']) assert.ok(!admits(role, name), `${role} does not open ${name}`)
  }
})

test('the reports pages: built, guarded, leaders and staff only', () => {
  assert.deepEqual(upcoming, [], 'every capability is built')
  const byName = Object.fromEntries([...pages, ...subPages].map((i) => [i.name, i]))
  for (const name of [...REPORTS_TABS, ...Object.keys(REPORTS_TAB_OF)]) {
    assert.ok(byName[name], `${name} has a route`)
    assert.ok(byName[name].path.startsWith('/reports'), `${name} lives under /reports`)
  }
  assert.equal(byName.reportsDrill.path, '/reports/drill')
  const admits = (role, name) => byName[name].anyOf.some((p) => permissions[role].includes(p))
  for (const name of [...REPORTS_TABS, 'reportsDrill']) {
    assert.ok(admits('leader', name) && admits('staff', name), `leaders and staff open ${name}`)
    // A member's own figures are on its home page; the report pages are not its.
    assert.ok(!admits('member', name) && !admits('admin', name), `${name} is not for members or admins`)
  }
})

test('the personal-data page (个人信息查询与删除): staff only, under 系统管理', () => {
  const page = adminPages.find((i) => i.name === 'people')
  assert.equal(page.path, '/admin/people')
  assert.deepEqual(page.anyOf, ['people.manage'])
  const admits = (role) => page.anyOf.some((p) => permissions[role].includes(p))
  assert.ok(admits('staff'))
  for (const role of ['admin', 'leader', 'member', 'applicant']) assert.ok(!admits(role), `${role} does not open it`)
  const staff = menuFor((list) => list.length === 0 || list.some((p) => permissions.staff.includes(p)))
  assert.deepEqual(staff.find((i) => i.name === 'system')?.children.map((i) => i.name), ['people'])
})

test('账号安全 (two-factor sign-in, sessions): every signed-in user, a tab of the account pages', () => {
  const byName = Object.fromEntries([...pages, ...subPages].map((i) => [i.name, i]))
  assert.deepEqual(ACCOUNT_TABS, ['account', 'accountSecurity'])
  for (const name of ACCOUNT_TABS) {
    assert.ok(byName[name], `${name} has a route`)
    assert.ok(byName[name].path.startsWith('/account'), `${name} lives under /account`)
    assert.deepEqual(byName[name].anyOf, [], `${name} is every signed-in user's`)
  }
  assert.equal(byName.accountSecurity.path, '/account/security')
  // Not in the side menu: reached from the account page (the user's name in the header).
  for (const role of ['admin', 'staff', 'leader', 'member', 'applicant']) {
    assert.ok(!names(role, 7).includes('accountSecurity'), `${role}'s menu has no account item`)
  }
})

test('安全设置 (the security settings, read-only): admins only, under 系统管理', () => {
  const page = adminPages.find((i) => i.name === 'securitySettings')
  assert.equal(page.path, '/admin/security')
  assert.deepEqual(page.anyOf, ['settings.manage'])
  const admits = (role) => page.anyOf.some((p) => permissions[role].includes(p))
  assert.ok(admits('admin'))
  for (const role of ['staff', 'leader', 'member', 'applicant']) assert.ok(!admits(role), `${role} does not open it`)
  const admin = menuFor((list) => list.length === 0 || list.some((p) => permissions.admin.includes(p)))
  assert.deepEqual(admin.find((i) => i.name === 'system')?.children.map((i) => i.name), [
    'users', 'audit', 'accessLog', 'outbox', 'notificationTemplates', 'retention', 'privacyNotice', 'securitySettings',
  ])
})

test('个人信息访问记录 and 个人信息保存期限: admins only, under 系统管理', () => {
  const byName = Object.fromEntries(adminPages.map((i) => [i.name, i]))
  assert.equal(byName.accessLog.path, '/admin/access-log')
  assert.deepEqual(byName.accessLog.anyOf, ['audit.read'])
  assert.equal(byName.retention.path, '/admin/retention')
  assert.deepEqual(byName.retention.anyOf, ['settings.manage'])
  for (const name of ['accessLog', 'retention']) {
    const admits = (role) => byName[name].anyOf.some((p) => permissions[role].includes(p))
    assert.ok(admits('admin'), name)
    for (const role of ['staff', 'leader', 'member', 'applicant']) assert.ok(!admits(role), `${role} does not open ${name}`)
  }
})

test('个人信息保护声明: the notice editor is the admins\' (settings.manage), under 系统管理', () => {
  const page = adminPages.find((i) => i.name === 'privacyNotice')
  assert.equal(page.path, '/admin/privacy-notice')
  assert.deepEqual(page.anyOf, ['settings.manage'])
  const admits = (role) => page.anyOf.some((p) => permissions[role].includes(p))
  assert.ok(admits('admin'))
  for (const role of ['staff', 'leader', 'member', 'applicant']) assert.ok(!admits(role), `${role} does not open it`)
})
