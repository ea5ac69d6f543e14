// Browser tests of the notifications pages (通知): a member's bell counts the unread notices and
// follows a reload after staff invite its unit to two meetings; the inbox lists them, opening one
// marks it read and goes to its meeting, another is marked read in place, the unread and kind
// filters, 全部标为已读 clears the badge; the preferences (e-mail off for one kind survives a
// reload; a locked kind cannot be switched); the account's e-mail (checked, saved, shown after a
// reload, on the preferences page and in the admin's user list); a password reset end to end — the
// link is really mailed (an SMTP sink: XIEHUI_UI_MAIL_DIR/messages.jsonl, see run.sh), a bad token
// and a mismatched confirmation are caught, the new password signs in, the old one no longer does
// (and is then set back: the later tests sign member1 in with it); the admin's outbox (counts per
// status, the reset mail's row and recipient, the status tabs and channel filter); the template
// editor (an unknown {{variable}} refused under its field, a variable inserted at the cursor, the
// live preview, a 71-character Chinese SMS counted as 2 messages, saved as customised, restored).
// Then every notifications page at phone and desktop size (screenshots
// SHOTS/{desktop,phone}/notifications-*.png, no horizontal scroll, one h1, axe-core without
// serious or critical violations).
//
// Registered with the harness (ui.test.mjs imports it; XIEHUI_UI_ONLY=notifications runs only
// these), or run alone against a server started as tests/ui/run.sh starts it (with its SMTP sink):
//   XIEHUI_URL=http://127.0.0.1:PORT XIEHUI_UI_MAIL_DIR=... XIEHUI_UI_*_PASSWORD=... \
//     node tests/ui/notifications.test.mjs
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  accounts,
  apiSession,
  axe,
  BASE,
  choose,
  fieldError,
  input,
  layoutProblems,
  login,
  loginAs as signIn,
  newPage,
  run,
  screenshot,
  sel,
  settle,
  test,
  toast,
  waitForPath,
} from './harness.mjs'

const MAIL_DIR = process.env.XIEHUI_UI_MAIL_DIR

// Unique per run, so the tests can also be re-run against a long-lived server.
const RUN = String(Date.now() % 100000).padStart(5, '0')
let serial = 0

const staffApi = () => apiSession(accounts.staff.username, accounts.staff.password)
const memberApi = () => apiSession(accounts.member.username, accounts.member.password)
const adminApi = () => apiSession(accounts.admin.username, accounts.admin.password)

// What the tests hand on to the next ones.
const shared = {}
// member1's e-mail (test 3 sets it; the reset mail goes there).
const MEMBER_EMAIL = `member1.${RUN}@example.cn`

// A date `days` from today in Asia/Shanghai, YYYY-MM-DD, and an instant on it.
function shanghaiDate(days = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10)
}
const at = (day, hm) => `${day}T${hm}:00+08:00`

const confirmBox = (page) => page.locator('.el-message-box .el-button--primary').click()

// The bell, once it says `n` unread (its data-unread, its hidden label and its badge).
async function bellSays(page, n) {
  await page.locator(`${sel('notification-bell')}[data-unread="${n}"]`).waitFor()
  const label = await page.locator(sel('notification-bell-label')).innerText()
  if (n === 0) {
    assert.equal(label, '通知')
    assert.equal(await page.locator(sel('notification-badge')).count(), 0, 'no badge')
  } else {
    assert.equal(label, `通知（${n} 条未读）`)
    assert.equal(await page.locator(sel('notification-badge')).innerText(), n > 99 ? '99+' : String(n))
  }
}

const unreadOf = async (api) => (await api.get('/api/notifications/unread-count')).json.unread

// A meeting inviting unit 1 (member1's): the unit gets a meeting.invited notice.
async function newMeeting(staff) {
  const day = shanghaiDate(25)
  const r = await staff.post('/api/meetings', {
    kind: 'seminar',
    term_no: null,
    session_no: null,
    title: `通知测试座谈会${RUN}-${++serial}`,
    starts_at: at(day, '14:30'),
    ends_at: at(day, '16:30'),
    mode: 'onsite',
    room_id: null,
    venue: '长沙市岳麓区协会会议中心',
    agenda: [{ title: '交流', presenter: '秘书长' }],
    invite: { rule: false, member_ids: [1], user_ids: [] },
    rsvp_deadline: at(shanghaiDate(23), '17:00'),
    description: '浏览器测试建立的会议（通知）',
  })
  assert.equal(r.status, 201, r.text)
  return r.json
}

// member1's notice about `meeting` (the newest one linking to it).
async function noticeOf(member, meeting) {
  const r = await member.get('/api/notifications?kind=meeting.invited&page_size=100')
  assert.equal(r.status, 200, r.text)
  const notice = r.json.items.find((n) => n.link === `/meetings/${meeting.id}`)
  assert.ok(notice, `a notice links to /meetings/${meeting.id}`)
  return notice
}

// Waits (at most `ms`) for a message in the SMTP sink to `address` that `accept` takes.
async function mailTo(address, accept = () => true, ms = 20000) {
  assert.ok(MAIL_DIR, 'XIEHUI_UI_MAIL_DIR is not set (run.sh starts the SMTP sink)')
  const file = path.join(MAIL_DIR, 'messages.jsonl')
  const until = Date.now() + ms
  for (;;) {
    if (existsSync(file)) {
      const found = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line))
        .filter((m) => m.rcpt_to.includes(address) && accept(m))
      if (found.length > 0) return found.at(-1)
    }
    if (Date.now() > until) throw new Error(`no mail to ${address} in ${file} within ${ms / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

// The account id of a username (as admin).
async function userId(admin, username) {
  const r = await admin.get(`/api/users?q=${encodeURIComponent(username)}`)
  assert.equal(r.status, 200, r.text)
  const user = r.json.items.find((u) => u.username === username)
  assert.ok(user, `user ${username}`)
  return user.id
}

// The state of an <el-switch> (its root carries the data-test).
const switchOf = (page, name) => page.locator(sel(name))
async function isOn(page, name) {
  return (await switchOf(page, name).getAttribute('class')).split(/\s+/).includes('is-checked')
}
async function isDisabled(page, name) {
  return (await switchOf(page, name).getAttribute('class')).split(/\s+/).includes('is-disabled')
}

// ---------------------------------------------------------------------------------------------
test('notifications: the bell counts a member\'s unread notices; the inbox opens, marks, filters and reads all', async ({ page }) => {
  const member = await memberApi()
  const staff = await staffApi()
  const before = await unreadOf(member)
  await signIn(page, 'member')
  await bellSays(page, before)

  // Staff invite unit 1 to two meetings: two new notices; the bell shows them after a reload.
  const opened = await newMeeting(staff)
  const marked = await newMeeting(staff)
  const [a, b] = [await noticeOf(member, opened), await noticeOf(member, marked)]
  assert.equal(a.read_at, null)
  const n = before + 2
  assert.equal(await unreadOf(member), n)
  await page.reload()
  await bellSays(page, n)

  // The bell leads to the inbox: the newest first, unread, with their kind.
  await page.locator(sel('notification-bell')).click()
  await waitForPath(page, (u) => u.pathname === '/notifications', 'the inbox')
  await page.locator(sel('notifications-list')).waitFor()
  const cardA = page.locator(sel(`notification-${a.id}`))
  const cardB = page.locator(sel(`notification-${b.id}`))
  for (const card of [cardA, cardB]) {
    await card.waitFor()
    assert.equal(await card.getAttribute('data-read'), 'false')
    assert.equal(await card.getAttribute('data-kind'), 'meeting.invited')
  }
  assert.match(await cardA.innerText(), /会议邀请/)
  if (a.body) assert.ok((await cardA.innerText()).includes(a.body), 'the card shows the notice')
  const ids = await page.locator(`${sel('notifications-list')} article[data-test^="notification-"]`).evaluateAll((els) =>
    els.map((e) => Number(e.dataset.test.replace('notification-', ''))),
  )
  assert.ok(ids.indexOf(b.id) < ids.indexOf(a.id), 'newest first')
  assert.match(await page.locator(sel('notifications-unread-filter')).innerText(), new RegExp(`未读（${n}）`))

  // Opening one marks it read and goes to its meeting.
  await cardA.locator(sel('notification-open')).click()
  await waitForPath(page, (u) => u.pathname === `/meetings/${opened.id}`, 'the meeting of the notice')
  await bellSays(page, n - 1)
  assert.notEqual((await noticeOf(member, opened)).read_at, null, 'read on the server')

  // Back in the inbox it is read; another is marked read where it is.
  await page.goto('/notifications')
  await cardA.waitFor()
  assert.equal(await cardA.getAttribute('data-read'), 'true')
  assert.equal(await cardA.locator(sel('notification-mark-read')).count(), 0)
  await cardB.locator(sel('notification-mark-read')).click()
  await page.locator(`${sel(`notification-${b.id}`)}[data-read="true"]`).waitFor()
  await bellSays(page, n - 2)
  assert.equal(new URL(page.url()).pathname, '/notifications', 'marking stays on the page')
  assert.notEqual((await noticeOf(member, marked)).read_at, null)

  // The unread filter: only unread notices, the address says so, the read ones are gone.
  await page.locator(`${sel('notifications-show')} [data-value="unread"]`).click()
  await waitForPath(page, (u) => u.searchParams.get('unread') === '1', '?unread=1')
  await cardA.waitFor({ state: 'detached' })
  if (n - 2 > 0) {
    await page.locator(sel('notifications-list')).waitFor()
    const reads = await page.locator(`${sel('notifications-list')} article`).evaluateAll((els) => els.map((e) => e.dataset.read))
    assert.ok(reads.length > 0 && reads.every((r) => r === 'false'), 'only unread notices')
  }
  // The kind filter (with the unread filter off): only meeting invitations, ours among them.
  await page.locator(`${sel('notifications-show')} [data-value="all"]`).click()
  await waitForPath(page, (u) => !u.searchParams.has('unread'), 'all notices')
  await choose(page, 'notifications-kind', '会议邀请')
  await waitForPath(page, (u) => u.searchParams.get('kind') === 'meeting.invited', '?kind=meeting.invited')
  await cardA.waitFor()
  const kinds = await page.locator(`${sel('notifications-list')} article`).evaluateAll((els) => els.map((e) => e.dataset.kind))
  assert.ok(kinds.every((k) => k === 'meeting.invited'), `only meeting invitations: ${kinds}`)
  // The filters live in the address: a reload keeps them.
  await page.reload()
  await cardA.waitFor()
  assert.match(await page.locator(sel('notifications-kind')).innerText(), /会议邀请/)

  // 全部标为已读: the badge goes away; the unread view is empty; the button is disabled.
  await page.goto('/notifications')
  await page.locator(sel('notifications-list')).waitFor()
  const left = await unreadOf(member)
  assert.equal(left, n - 2)
  if (left > 0) {
    await page.locator(sel('notifications-read-all')).click()
    await toast(page, `已将 ${left} 条通知标为已读`)
  }
  await bellSays(page, 0)
  assert.equal(await unreadOf(member), 0)
  await page.locator(`${sel('notifications-read-all')}[disabled], ${sel('notifications-read-all')}.is-disabled`).first().waitFor()
  const unreadArticles = page.locator(`${sel('notifications-list')} article[data-read="false"]`)
  assert.equal(await unreadArticles.count(), 0)
  await page.locator(`${sel('notifications-show')} [data-value="unread"]`).click()
  await page.locator(sel('notifications-empty')).filter({ hasText: '没有未读通知' }).waitFor()
  // A reload still has nothing unread (the server remembers).
  await page.reload()
  await bellSays(page, 0)
  shared.meeting = opened
})

test('notifications: preferences — e-mail off for one kind is saved; a locked kind cannot be switched', async ({ page }) => {
  const member = await memberApi()
  const original = (await member.get('/api/notification-preferences')).json.kinds['meeting.invited']
  try {
    await signIn(page, 'member')
    await page.goto('/notifications')
    // The inbox's tabs lead to the settings.
    await page.locator('.el-tabs__item, [role="tab"], a').filter({ hasText: '通知设置' }).first().click()
    await waitForPath(page, (u) => u.pathname === '/notifications/preferences', 'the preferences')
    await page.locator(sel('notification-preferences-page')).waitFor()
    const email = 'prefs-email-meeting.invited'
    await switchOf(page, email).waitFor()
    assert.equal(await isOn(page, email), true, 'e-mail on by default')
    assert.match(await page.locator(sel('prefs-meeting.invited')).innerText(), /会议邀请/)

    // A locked kind: its note, and its switches disabled (clicking changes nothing).
    const locked = page.locator(sel('prefs-dues.lapsed'))
    assert.match(await locked.locator(sel('prefs-locked')).innerText(), /此类通知不可关闭/)
    assert.equal(await isDisabled(page, 'prefs-email-dues.lapsed'), true)
    assert.equal(await isOn(page, 'prefs-email-dues.lapsed'), true)
    await switchOf(page, 'prefs-email-dues.lapsed').click({ force: true })
    assert.equal(await isOn(page, 'prefs-email-dues.lapsed'), true, 'a locked switch stays on')
    assert.equal(await isDisabled(page, 'prefs-sms-account.locked'), true, 'no SMS for an account lock')
    assert.equal(await page.locator(`${sel('prefs-account.password_reset')} ${sel('prefs-locked')}`).count(), 1)
    // An unlocked kind's switches are enabled; in-app is on and cannot be switched off — except
    // for the password reset, which never comes in-app (the catalogue's in_app: false).
    assert.equal(await isDisabled(page, email), false)
    assert.equal(await isOn(page, 'prefs-in-app-meeting.invited'), true)
    assert.equal(await isDisabled(page, 'prefs-in-app-meeting.invited'), true)
    assert.equal(await isOn(page, 'prefs-in-app-account.password_reset'), false, 'a reset is e-mailed only')
    assert.equal(await isDisabled(page, 'prefs-in-app-account.password_reset'), true)

    // E-mail off: unsaved until saved.
    await switchOf(page, email).click()
    assert.equal(await isOn(page, email), false)
    await page.locator(sel('prefs-unsaved')).waitFor()
    await page.locator(sel('prefs-save')).click()
    await toast(page, '通知设置已保存')
    await page.locator(sel('prefs-unsaved')).waitFor({ state: 'hidden' })
    await page.reload()
    await switchOf(page, email).waitFor()
    assert.equal(await isOn(page, email), false, 'still off after a reload')
    assert.equal(await isOn(page, 'prefs-sms-meeting.invited'), original.sms, 'SMS unchanged')
    const saved = (await member.get('/api/notification-preferences')).json.kinds
    assert.equal(saved['meeting.invited'].email, false)
    assert.equal(saved['dues.lapsed'].email, true)
  } finally {
    const r = await member.put('/api/notification-preferences', {
      kinds: { 'meeting.invited': { email: original.email, sms: original.sms } },
    })
    assert.equal(r.status, 200, r.text)
  }
})

test('notifications: a member sets the account\'s e-mail; it is kept, shown in the settings and to the admin', async ({ page }) => {
  await signIn(page, 'member')
  await page.goto('/account')
  const card = page.locator(sel('account-email-card'))
  await card.waitFor()
  // The card's load puts the saved address into the field when it answers: typing before that
  // (a slow answer on a busy machine) was overwritten, and the save button stayed disabled.
  await settle(page)
  const field = card.locator(input('account-email'))
  await field.fill('不是邮箱')
  await card.locator(sel('account-email-save')).click()
  await fieldError(card, 'account-email').filter({ hasText: '电子邮箱格式不正确' }).waitFor()
  await field.fill(MEMBER_EMAIL)
  await card.locator(sel('account-email-save')).click()
  await toast(page, '邮箱已保存')
  await page.reload()
  await card.waitFor()
  await page.waitForFunction(
    (v) => document.querySelector(':is(input[data-test="account-email"], [data-test="account-email"] input)')?.value === v,
    MEMBER_EMAIL,
  )
  assert.equal((await (await memberApi()).get('/api/account')).json.email, MEMBER_EMAIL)
  // The button is idle until the address changes again.
  assert.equal(await card.locator(sel('account-email-save')).isDisabled(), true)

  // The settings page says where the e-mails go, and links back here.
  await card.locator(sel('account-preferences-link')).click()
  await waitForPath(page, (u) => u.pathname === '/notifications/preferences', 'the preferences')
  assert.equal(await page.locator(sel('prefs-email-address')).innerText(), MEMBER_EMAIL)

  // The admin sees it in the user list and in the user's dialog.
  const other = await newPage()
  try {
    await signIn(other.page, 'admin')
    await other.page.goto('/admin/users')
    await other.page.locator(input('users-search')).fill('member1')
    await other.page.locator(sel('users-search-button')).click()
    await other.page.locator(sel('user-email-member1')).filter({ hasText: MEMBER_EMAIL }).waitFor()
    await other.page.locator(sel('edit-member1')).click()
    const dialog = other.page.locator(sel('user-dialog'))
    assert.equal(await dialog.locator(input('user-email')).inputValue(), MEMBER_EMAIL)
    assert.deepEqual(other.problems, [])
  } finally {
    await other.context.close()
  }
  shared.email = MEMBER_EMAIL
})

test('notifications: password reset — from the login page, the mailed link, a new password that signs in', async ({ page }) => {
  const email = shared.email ?? MEMBER_EMAIL
  if (!shared.email) {
    const r = await (await memberApi()).patch('/api/account', { email })
    assert.equal(r.status, 200, r.text)
  }
  const admin = await adminApi()
  const memberId = await userId(admin, accounts.member.username)
  const newPassword = `Member-Reset-${RUN}-ok`
  const requested = Date.now()
  try {
    await page.goto('/login')
    await page.locator(sel('login-forgot')).click()
    await waitForPath(page, (u) => u.pathname === '/forgot-password', '/forgot-password')
    assert.equal(await page.locator('h1').innerText(), '找回密码')
    await page.locator(sel('forgot-submit')).click()
    await page.getByText('请输入用户名或邮箱').waitFor()
    await page.locator(input('forgot-username')).fill(accounts.member.username)
    await page.locator(sel('forgot-submit')).click()
    const sent = page.locator(sel('forgot-sent'))
    await sent.waitFor()
    assert.match(await sent.innerText(), /如果该账号存在并登记了邮箱，我们已发送重置链接/)

    // The mail arrives (SMTP, through the outbox): the link with its token.
    const mail = await mailTo(email, (m) => /reset-password\?token=/.test(m.text))
    assert.match(mail.subject, /重置密码/)
    assert.match(mail.text, /长沙经开区，您好/)
    assert.match(mail.from_address, /^noreply@xiehui\.example\.org$/)
    const link = mail.text.match(/https?:\/\/\S+\/reset-password\?token=([A-Za-z0-9_-]+)/)
    assert.ok(link, `a reset link in the mail: ${mail.text}`)
    assert.ok(mail.html.includes(link[1]), 'the HTML part has the same link')
    const token = link[1]
    shared.resetMailAt = requested

    // A link with a wrong token: said above the form, with a way to ask again.
    await page.goto('/reset-password?token=not-a-real-token-0000')
    await page.locator(input('reset-new-password')).fill(newPassword)
    await page.locator(input('reset-confirm-password')).fill(newPassword)
    await page.locator(sel('reset-submit')).click()
    await page.locator(sel('reset-error')).filter({ hasText: '重置链接无效或已过期' }).waitFor()
    await page.locator(sel('reset-request-again')).waitFor()

    // The mailed link: too short, then a mismatch are caught before anything is sent.
    await page.goto(`${BASE}/reset-password?token=${token}`)
    assert.equal(await page.locator('h1').innerText(), '重置密码')
    await page.locator(input('reset-new-password')).fill('short')
    await page.locator(input('reset-confirm-password')).fill('short')
    await page.locator(sel('reset-submit')).click()
    await fieldError(page, 'reset-new-password').filter({ hasText: '密码至少 10 位' }).waitFor()
    await page.locator(input('reset-new-password')).fill(newPassword)
    await page.locator(input('reset-confirm-password')).fill(`${newPassword}x`)
    await page.locator(sel('reset-submit')).click()
    await fieldError(page, 'reset-confirm-password').filter({ hasText: '两次输入的密码不一致' }).waitFor()
    await page.locator(input('reset-confirm-password')).fill(newPassword)
    await page.locator(sel('reset-submit')).click()
    await page.locator(sel('reset-done')).filter({ hasText: '密码已重置' }).waitFor()
    assert.equal(new URL(page.url()).search, '', 'the used token leaves the address bar')

    // The link is spent.
    const again = await fetch(`${BASE}/api/password-reset/confirm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, password: `${newPassword}-2` }),
    })
    assert.equal(again.status, 400, 'a used token is refused')

    // Sign in with the new password; the old one no longer works.
    await page.locator(sel('reset-go-login')).click()
    await waitForPath(page, (u) => u.pathname === '/login', '/login')
    await login(page, accounts.member.username, newPassword)
    await page.locator(sel('home-member')).waitFor()
    const old = await fetch(`${BASE}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: accounts.member.username, password: accounts.member.password }),
    })
    assert.equal(old.status, 401, 'the old password is refused')
  } finally {
    // The later tests (phone, a11y) sign member1 in with XIEHUI_UI_MEMBER_PASSWORD: set it back.
    const r = await admin.post(`/api/users/${memberId}/password`, { password: accounts.member.password })
    assert.ok(r.status === 200 || r.status === 204, r.text)
  }
  await memberApi() // signs in with the old password again
})

test('notifications: admin outbox — counts per status, the reset mail\'s row, the status tabs and the channel filter', async ({ page }) => {
  const admin = await adminApi()
  const email = shared.email ?? MEMBER_EMAIL
  if (!shared.resetMailAt) {
    // Run alone: a reset mail of its own.
    assert.equal((await (await memberApi()).patch('/api/account', { email })).status, 200)
    const r = await fetch(`${BASE}/api/password-reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username_or_email: accounts.member.username }),
    })
    assert.equal(r.status, 202)
    await mailTo(email, (m) => /reset-password/.test(m.subject + m.text))
  }
  // The reset mail's row (sent by now: the sink has it).
  let row = null
  for (let i = 0; i < 50 && !row; i++) {
    const r = await admin.get('/api/outbox?channel=email&status=sent&page_size=100')
    assert.equal(r.status, 200, r.text)
    row = r.json.items.find((m) => m.recipient === email && m.kind === 'account.password_reset')
    if (!row) await new Promise((resolve) => setTimeout(resolve, 200))
  }
  assert.ok(row, 'the reset mail is in the outbox, sent')

  await signIn(page, 'admin')
  await page.goto('/admin/outbox')
  await page.locator(sel('outbox-page')).waitFor()
  const tab = (name) => page.locator(sel(`outbox-tab-${name}`))
  await tab('sent').waitFor()
  await page.waitForFunction(() => Number(document.querySelector('[data-test="outbox-tab-sent"]')?.dataset.count) >= 1)
  const counts = {}
  for (const s of ['all', 'pending', 'sending', 'sent', 'failed', 'dead', 'cancelled']) {
    counts[s] = Number(await tab(s).getAttribute('data-count'))
    assert.ok(Number.isInteger(counts[s]) && counts[s] >= 0, `${s} count`)
  }
  assert.ok(counts.sent >= 1, 'sent ≥ 1 after the reset mail')
  assert.equal(counts.all, counts.pending + counts.sending + counts.sent + counts.failed + counts.dead + counts.cancelled)
  assert.match(await tab('sent').innerText(), new RegExp(`已发送（${counts.sent}）`))

  // The reset mail's row: its recipient, subject and status; a sent message has nothing to do.
  const cell = page.locator(`${sel('outbox-table')} ${sel(`outbox-row-${row.id}`)}`)
  await cell.waitFor()
  assert.equal(await cell.getAttribute('data-status'), 'sent')
  const tr = page.locator(`${sel('outbox-table')} .el-table__body-wrapper .el-table__row`).filter({ has: page.locator(sel(`outbox-row-${row.id}`)) })
  const text = await tr.innerText()
  assert.ok(text.includes(email), `the row names the recipient: ${text}`)
  assert.match(text, /重置密码/)
  assert.equal(await page.locator(sel(`outbox-retry-${row.id}`)).count(), 0)
  assert.equal(await page.locator(sel(`outbox-cancel-${row.id}`)).count(), 0)

  // The status tabs filter (and say so in the address).
  await tab('dead').click()
  await waitForPath(page, (u) => u.searchParams.get('status') === 'dead', '?status=dead')
  await cell.waitFor({ state: 'detached' })
  await tab('sent').click()
  await waitForPath(page, (u) => u.searchParams.get('status') === 'sent', '?status=sent')
  await cell.waitFor()

  // The channel filter: no SMS gateway is configured, so no SMS — then the e-mails again.
  await choose(page, 'outbox-channel', '短信')
  await waitForPath(page, (u) => u.searchParams.get('channel') === 'sms', '?channel=sms')
  await cell.waitFor({ state: 'detached' })
  const sms = (await admin.get('/api/outbox?channel=sms&status=sent')).json
  if (sms.total === 0) await page.locator(sel('outbox-table')).getByText('没有符合条件的消息').waitFor()
  await choose(page, 'outbox-channel', '邮件')
  await waitForPath(page, (u) => u.searchParams.get('channel') === 'email', '?channel=email')
  await cell.waitFor()
  const channels = await page
    .locator(`${sel('outbox-table')} .el-table__body-wrapper .el-table__row td:nth-child(2) .muted`)
    .allInnerTexts()
  assert.ok(channels.length > 0 && channels.every((c) => c.trim() === '邮件'), `only e-mails: ${channels}`)
  // A reload keeps both filters.
  await page.reload()
  await cell.waitFor()
  assert.match(await page.locator(sel('outbox-channel')).innerText(), /邮件/)
})

test('notifications: admin templates — an unknown variable refused, a variable inserted, the preview, SMS segments, save and restore', async ({ page }) => {
  const admin = await adminApi()
  const kind = 'training.promoted'
  const original = (await admin.get(`/api/notification-templates/${kind}?locale=zh-CN`)).json
  assert.equal(original.customized, false)
  try {
    await signIn(page, 'admin')
    await page.goto('/admin/notification-templates')
    await page.locator(sel('templates-page')).waitFor()
    const customized = page.locator(sel(`template-customized-${kind}`))
    assert.equal(await customized.getAttribute('data-locales'), '')
    await page.locator(sel(`template-edit-${kind}`)).click()
    const dialog = page.locator(sel('template-dialog'))
    const subject = dialog.locator(input('template-subject'))
    const body = dialog.locator(input('template-body'))
    const smsField = dialog.locator(input('template-sms'))
    await page.waitForFunction((v) => document.querySelector(':is(input[data-test="template-subject"], [data-test="template-subject"] input)')?.value === v, original.subject)
    assert.equal(await body.inputValue(), original.body)
    await dialog.locator(`${sel('template-state')}[data-customized="false"]`).waitFor()
    assert.equal(
      await dialog.locator(`${sel('template-locale')} [data-value="zh-CN"]`).evaluate((e) => e.classList.contains('is-active')),
      true,
    )
    const previewSubject = dialog.locator(sel('template-preview-subject'))
    await previewSubject.waitFor()
    const subjectBefore = await previewSubject.innerText()
    assert.match(subjectBefore, /候补转正/)
    assert.equal(await dialog.locator(sel('template-preview-html')).getAttribute('sandbox'), '')

    // An unknown variable: the server's complaint under the body, and nothing saved.
    await body.fill(`${original.body}\n{{foo}}`)
    await dialog.locator(sel('template-save')).click()
    await fieldError(dialog, 'template-body').filter({ hasText: '{{foo}}' }).waitFor()
    assert.equal((await admin.get(`/api/notification-templates/${kind}?locale=zh-CN`)).json.customized, false)
    await body.fill(original.body)
    await fieldError(dialog, 'template-body').waitFor({ state: 'hidden' })

    // {{unit_name}} inserted at the cursor of the subject (the field last edited).
    await subject.click()
    await subject.press('End')
    await dialog.locator(sel('template-var-unit_name')).click()
    assert.equal(await subject.inputValue(), `${original.subject}{{unit_name}}`)
    const expected = await admin.post(`/api/notification-templates/${kind}/preview`, {
      locale: 'zh-CN',
      subject: `${original.subject}{{unit_name}}`,
      body: original.body,
      sms: original.sms,
    })
    assert.equal(expected.status, 200, expected.text)
    assert.notEqual(expected.json.subject, subjectBefore)
    await previewSubject.filter({ hasText: expected.json.subject }).waitFor()
    assert.equal(await previewSubject.innerText(), expected.json.subject)

    // A 71-character Chinese SMS: two messages (70 in one, 67 per part).
    const sms = '【协会】您单位的候补名额已转为正式名额，请按时参加培训并携带身份证件，如有疑问请联系秘书处，联系电话见协会网站通知公告栏目，谢谢配合。'
      .repeat(2)
      .slice(0, 71)
    assert.equal([...sms].length, 71)
    await smsField.fill(sms)
    const count = dialog.locator(`${sel('template-sms-count')}[data-characters="71"][data-segments="2"]`)
    await count.waitFor()
    assert.equal(await count.innerText(), '共 71 字，计 2 条短信')
    assert.equal(await dialog.locator(sel('template-preview-sms')).innerText(), sms)

    // Save: customised, in the editor and in the list.
    await dialog.locator(sel('template-save')).click()
    await toast(page, '模板已保存')
    await dialog.locator(`${sel('template-state')}[data-customized="true"]`).waitFor()
    const saved = (await admin.get(`/api/notification-templates/${kind}?locale=zh-CN`)).json
    assert.equal(saved.customized, true)
    assert.equal(saved.subject, `${original.subject}{{unit_name}}`)
    assert.equal(saved.sms, sms)
    await dialog.locator(sel('template-cancel')).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator(`${sel(`template-customized-${kind}`)}[data-locales="zh-CN"]`).waitFor()
    assert.match(await customized.innerText(), /中文/)

    // Restore the default: confirmed first; the built-in text is back.
    await page.locator(sel(`template-edit-${kind}`)).click()
    await dialog.locator(`${sel('template-state')}[data-customized="true"]`).waitFor()
    await dialog.locator(sel('template-restore')).click()
    await confirmBox(page)
    await toast(page, '已恢复默认模板')
    await dialog.locator(`${sel('template-state')}[data-customized="false"]`).waitFor()
    await page.waitForFunction((v) => document.querySelector(':is(input[data-test="template-subject"], [data-test="template-subject"] input)')?.value === v, original.subject)
    assert.equal(await dialog.locator(sel('template-restore')).count(), 0)
    await dialog.locator(sel('template-cancel')).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator(`${sel(`template-customized-${kind}`)}[data-locales=""]`).waitFor()
    assert.equal((await admin.get(`/api/notification-templates/${kind}?locale=zh-CN`)).json.customized, false)
  } finally {
    const now = (await admin.get(`/api/notification-templates/${kind}?locale=zh-CN`)).json
    if (now.customized) await admin.delete(`/api/notification-templates/${kind}?locale=zh-CN`)
  }
})

// Every notifications page at both sizes: screenshots, the layout checks, one h1 and axe.
for (const size of ['desktop', 'phone']) {
  test(`notifications (${size}): every notifications page fits the screen and passes axe; screenshots`, async () => {
    const pages = {
      member: {
        'notifications-inbox': '/notifications',
        'notifications-preferences': '/notifications/preferences',
        'notifications-account': '/account',
      },
      admin: {
        'notifications-outbox': '/admin/outbox',
        'notifications-templates': '/admin/notification-templates',
        'notifications-admin-inbox': '/notifications',
      },
      anonymous: {
        'notifications-forgot-password': '/forgot-password',
        'notifications-reset-password': '/reset-password?token=not-a-real-token',
        'notifications-reset-no-token': '/reset-password',
      },
    }
    const failures = []
    // Unread notices to show in the inbox: a meeting invitation to unit 1.
    await newMeeting(await staffApi())
    for (const [role, list] of Object.entries(pages)) {
      const env = await newPage({ phone: size === 'phone' })
      try {
        if (role !== 'anonymous') await signIn(env.page, role)
        for (const [name, where] of Object.entries(list)) {
          await env.page.goto(where)
          await settle(env.page)
          await screenshot(env.page, size, name)
          for (const p of await layoutProblems(env.page)) failures.push(`${size} ${name}: ${p}`)
          if ((await env.page.locator('h1').count()) !== 1) failures.push(`${size} ${name}: not one h1`)
          for (const v of await axe(env.page)) failures.push(`${size} ${name}: ${v}`)
        }
        if (role === 'member') {
          // The bell is in the header at both sizes.
          assert.ok(await env.page.locator(sel('notification-bell')).isVisible(), 'the bell is visible')
        }
        if (role === 'admin') {
          // The template editor: a full-screen sheet on a phone.
          await env.page.goto('/admin/notification-templates')
          await env.page.locator('[data-test^="template-training."]').first().click()
          await env.page.locator(sel('template-preview-subject')).waitFor()
          assert.equal(await env.page.locator('.el-dialog.is-fullscreen').count(), size === 'phone' ? 1 : 0)
          await settle(env.page)
          await screenshot(env.page, size, 'notifications-template-dialog')
          for (const v of await axe(env.page)) failures.push(`${size} template dialog: ${v}`)
        }
        assert.deepEqual(env.problems, [], `${role}: no errors in the page`)
      } catch (error) {
        error.message = `[${size} ${role}] ${error.message}`
        await screenshot(env.page, size, `failed-notifications-${role}`).catch(() => {})
        throw error
      } finally {
        await env.context.close()
      }
    }
    assert.deepEqual(failures, [])
  })
}

// Run alone: `node tests/ui/notifications.test.mjs` (ui.test.mjs imports this file and runs everything).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { passed, failed } = await run()
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}
