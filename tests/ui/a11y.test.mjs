// Accessibility: axe-core on every page of every role (admin, staff, leader, member, applicant,
// and signed out: login, apply, verify, forgot and reset password), at desktop and phone sizes.
// Fails on a serious or critical violation; prints a table of the violations per page either way.
// Also checks the keyboard: the skip link is the first thing Tab reaches, and the side menu is
// reachable and operable.
//
// axe is injected with page.evaluate(its source): DevTools' evaluation is not subject to the
// server's Content-Security-Policy (script-src 'self'), so the page's CSP stays on (no bypassCSP).
import assert from 'node:assert/strict'
import {
  accounts,
  acceptConsentIfAsked,
  apiSession,
  axeViolations,
  BASE,
  FAILING_IMPACT,
  login,
  newPage,
  noticeVersion,
  open,
  openMenu,
  sel,
  shared,
  test,
} from './harness.mjs'

// Violations in pages another change is rewriting, reported there and tolerated here until it
// lands: rule id → the data-test of the element's nearest marked ancestor.
// Violations tolerated for now (none): {rule, within: data-test of the element}.
const KNOWN = []
const known = (v) => KNOWN.some((k) => k.rule === v.id && v.within === k.within)

// Each role's pages ({name: path}); `applicant` and `anonymous` are set up below.
async function pagesOf() {
  const staff = await apiSession(accounts.staff.username, accounts.staff.password)
  const classes = (await staff.get('/api/classes')).json?.items ?? []
  const cls = classes[0]?.id ?? 1
  // Everyone's own notifications (通知) and their settings.
  const common = {
    home: '/',
    members: '/members',
    member: '/members/1',
    notifications: '/notifications',
    notificationPreferences: '/notifications/preferences',
    // 账号安全 (two-factor sign-in, signed-in devices): every signed-in user's.
    accountSecurity: '/account/security',
  }
  // Dues: an invoice of another unit, one of unit 1 (member1's), and a receipt (the dues tests
  // ran before these and recorded payments).
  const year = Number(new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 4))
  const invoices = (await staff.get(`/api/dues/invoices?year=${year}&page_size=200`)).json?.items ?? []
  const invoice = invoices.find((i) => i.member_id !== 1)?.id ?? 1
  const ownInvoice = invoices.find((i) => i.member_id === 1)?.id ?? 1
  const receipt = (await staff.get(`/api/dues/payments?year=${year}&page_size=1`)).json?.items?.[0]?.receipt_no ?? `${year}-000001`
  // Meetings: one any staff may open, and one unit 1 (member1's) is invited to.
  const meetings = (await staff.get('/api/meetings')).json?.items ?? []
  const meeting = meetings[0]?.id ?? 1
  const member = await apiSession(accounts.member.username, accounts.member.password)
  const ownMeeting = (await member.get('/api/meetings')).json?.items?.[0]?.id ?? meeting
  const meetingsCommon = {
    meetings: '/meetings',
    meetingRooms: '/meetings/rooms',
    roomCalendar: '/meetings/room-calendar',
    activityCalendar: '/meetings/calendar',
    account: '/account',
  }
  const duesStaff = {
    dues: '/dues',
    duesInvoices: '/dues/invoices',
    duesInvoice: `/dues/invoices/${invoice}`,
    duesReceipt: `/dues/receipts/${receipt}`,
    duesArrears: '/dues/arrears',
    duesSchedules: '/dues/schedules',
    duesSchedule: `/dues/schedules/${year}`,
    duesBillRun: '/dues/bill-run',
    duesReductions: '/dues/reductions',
    duesStatements: '/dues/statements',
    duesFees: '/dues/fees',
    duesReport: '/dues/report',
    duesSettings: '/dues/settings',
  }
  return {
    anonymous: {
      login: '/login',
      apply: '/apply',
      verify: '/verify/XH-0000-NOPE',
      verifyTraining: '/verify-training/NOPE',
      verifyReceipt: '/verify-receipt/NOPE',
      forgotPassword: '/forgot-password',
      resetPassword: '/reset-password?token=NOPE',
      privacy: '/privacy',
    },
    admin: {
      ...common,
      users: '/admin/users',
      audit: '/admin/audit',
      account: '/account',
      outbox: '/admin/outbox',
      notificationTemplates: '/admin/notification-templates',
      securitySettings: '/admin/security',
      accessLog: '/admin/access-log',
      retention: '/admin/retention',
      privacyNotice: '/admin/privacy-notice',
    },
    staff: {
      ...common,
      import: '/members/import',
      applications: '/applications',
      training: '/training',
      class: `/training/classes/${cls}`,
      attendance: `/training/classes/${cls}/attendance`,
      certificate: '/members/1/certificate',
      ...duesStaff,
      ...meetingsCommon,
      meetingSettings: '/meetings/settings',
      meeting: `/meetings/${meeting}`,
      meetingRsvps: `/meetings/${meeting}?tab=rsvps`,
      meetingRecord: `/meetings/${meeting}/record`,
      people: '/admin/people',
      notFound: '/no/such/page',
    },
    leader: {
      ...common,
      applications: '/applications',
      training: '/training',
      class: `/training/classes/${cls}`,
      dues: '/dues',
      duesInvoices: '/dues/invoices',
      duesInvoice: `/dues/invoices/${invoice}`,
      duesArrears: '/dues/arrears',
      duesSchedule: `/dues/schedules/${year}`,
      duesReport: '/dues/report',
      ...meetingsCommon,
      meeting: `/meetings/${meeting}`,
    },
    member: {
      ...common,
      training: '/training',
      class: `/training/classes/${cls}`,
      mine: '/training/mine',
      certificate: '/members/1/certificate',
      dues: '/dues',
      duesInvoice: `/dues/invoices/${ownInvoice}`,
      ...meetingsCommon,
      meeting: `/meetings/${ownMeeting}`,
      forbidden: '/admin/users',
    },
    applicant: { home: '/', notifications: '/notifications', accountSecurity: '/account/security' },
  }
}

// A pending applicant's account (signs in to its own home page only).
let applicant = null
async function applicantAccount() {
  if (applicant) return applicant
  if (shared.applicant) return (applicant = shared.applicant)
  const run = String(Date.now() % 100000).padStart(5, '0')
  const { withCheckChar } = await import('../../web/ui/src/utils/uscc.js')
  applicant = { username: `a11y${run}`, password: `A11y-Pass-${run}-x` }
  const r = await fetch(`${BASE}/api/applications`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      org: {
        name: `无障碍测试单位${run}`,
        short_name: '',
        uscc: withCheckChar(`91430105MA4L${run}`),
        type: 'platform_company',
        level: 'other',
        city_code: '430100',
        address: '',
      },
      contact: { name: '周测试', title: '', mobile: '13700004444', email: `a11y${run}@example.cn` },
      account: applicant,
      consent_version: await noticeVersion(),
    }),
  })
  assert.equal(r.status, 201, await r.text())
  return applicant
}

async function signIn(page, role) {
  const account = role === 'applicant' ? await applicantAccount() : accounts[role]
  await page.goto('/login')
  await login(page, account.username, account.password)
  await page.locator(sel('home')).waitFor()
  await acceptConsentIfAsked(page)
}

export const a11yResults = []

for (const size of ['desktop', 'phone']) {
  test(`a11y (${size}): axe finds no serious or critical violations on any page of any role`, async () => {
    const all = await pagesOf()
    const failures = []
    for (const [role, pages] of Object.entries(all)) {
      const env = await newPage({ phone: size === 'phone' })
      try {
        if (role !== 'anonymous') await signIn(env.page, role)
        for (const [name, path] of Object.entries(pages)) {
          await open(env.page, path)
          const violations = await axeViolations(env.page)
          const h1 = await env.page.locator('h1').count()
          const bad = violations.filter((v) => FAILING_IMPACT.has(v.impact) && !known(v))
          a11yResults.push({ size, role, name, path, violations, h1 })
          for (const v of bad) failures.push(`${size} ${role} ${path}: ${v.id} (${v.impact}, ${v.nodes}× e.g. ${v.target})`)
        }
      } finally {
        await env.context.close()
      }
    }
    printTable(size)
    assert.deepEqual(failures, [], 'serious or critical axe violations')
  })
}

function printTable(size) {
  const rows = a11yResults.filter((r) => r.size === size)
  console.log(`     axe-core violations per page (${size}; impact: c critical, s serious, m moderate, n minor; h1 = count of h1):`)
  for (const r of rows) {
    const list = r.violations.map((v) => `${v.id}[${v.impact[0]}${v.nodes}]${known(v) ? '(known)' : ''}`).join(' ') || '—'
    console.log(`     ${`${r.role} ${r.name}`.padEnd(24)} ${r.path.padEnd(36)} h1=${r.h1}  ${list}`)
  }
}

// The keyboard: Tab first reaches the skip link, which moves the focus to the page's content;
// every menu item is reachable with Tab and opens its page with Enter — on a phone through ☰.
for (const size of ['desktop', 'phone']) {
  test(`a11y (${size}): skip link first, side menu reachable and operable with the keyboard`, async () => {
    const { page, context, problems } = await newPage({ phone: size === 'phone' })
    try {
      await signIn(page, 'staff')
      await page.goto('/')
      await page.locator(sel('home')).waitFor()
      await page.keyboard.press('Tab')
      const first = await page.evaluate(() => ({
        test: document.activeElement?.dataset?.test,
        text: document.activeElement?.textContent?.trim(),
      }))
      assert.equal(first.test, 'skip-link')
      assert.equal(first.text, '跳到主要内容')
      await page.keyboard.press('Enter')
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'main-content')

      if (size === 'phone') {
        // ☰ is a button reached by Tab; Enter opens the drawer with the menu in it.
        await page.locator(sel('menu-button')).focus()
        await page.keyboard.press('Enter')
        await page.locator(sel('side-menu')).waitFor()
      } else {
        await openMenu(page)
      }
      const items = page.locator(`${sel('side-menu')} [data-menu]`)
      const n = await items.count()
      assert.ok(n >= 3, 'menu items')
      for (let i = 0; i < n; i++) {
        assert.notEqual(await items.nth(i).getAttribute('tabindex'), '-1', 'no menu item is taken out of the tab order')
      }
      // Tab until the 培训 item has the focus, then Enter opens it.
      let found = false
      for (let i = 0; i < 40 && !found; i++) {
        await page.keyboard.press('Tab')
        found = await page.evaluate(() => document.activeElement?.dataset?.menu === 'training')
      }
      assert.ok(found, 'the 培训 menu item is reachable with Tab')
      await page.keyboard.press('Enter')
      await page.waitForURL((u) => new URL(u).pathname === '/training')
      await page.locator(sel('training-page')).waitFor()
      await openMenu(page)
      assert.equal(await page.locator(`${sel('side-menu')} [data-menu="training"]`).getAttribute('aria-current'), 'page')
      assert.deepEqual(problems, [])
    } finally {
      await context.close()
    }
  })
}

// A solid button under the pointer keeps its text readable: Element Plus lightens a hovered
// primary button to light-3 (#6692d9, 3.1:1 with its white text); styles.css gives it its pressed
// colour (dark-2) instead.
// axe checks pages with the pointer off them, so the hover colours are checked here.
test('a11y: a hovered primary button keeps 4.5:1 between its text and its background', async () => {
  const { page, context } = await newPage()
  try {
    await page.goto('/login')
    const button = page.locator(sel('login-submit'))
    const before = await button.evaluate((b) => getComputedStyle(b).backgroundColor)
    await button.hover()
    // The colour changes at once (reduced motion): no transition to wait for.
    const colours = await button.evaluate((b) => {
      const s = getComputedStyle(b)
      return { bg: s.backgroundColor, fg: s.color }
    })
    assert.notEqual(colours.bg, before, 'hovering changes the colour')
    const luminance = (css) => {
      const [r, g, b] = css.match(/\d+/g).slice(0, 3).map(Number).map((c) => {
        const v = c / 255
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    const [hi, lo] = [luminance(colours.fg), luminance(colours.bg)].sort((a, b) => b - a)
    const ratio = (hi + 0.05) / (lo + 0.05)
    assert.ok(ratio >= 4.5, `hovered: ${colours.fg} on ${colours.bg} is ${ratio.toFixed(2)}:1`)
  } finally {
    await context.close()
  }
})
