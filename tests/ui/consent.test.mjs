// Browser tests of the privacy notice (个人信息保护声明) and consent to it, and of the required
// two-factor setup:
// - the membership application refuses to go without its consent box ticked (the error under the
//   box, nothing sent), opens the notice in a dialog from the box, and sends consent_version with
//   the box ticked — the application keeps it;
// - the public /privacy page, linked from the login page, at 390×844 (and the application's box
//   and dialog at that size): no horizontal scroll, axe; in English too;
// - an admin requires staff to use two-factor sign-in (安全设置; warned that it holds the admin,
//   who has none, too, and sent to set one up); a staff user without it lands on /account/security
//   with the banner, every other page leads back there and the API answers 403
//   two_factor_required; turning it on goes on to the page, then the sign-in's notice is asked;
// - the training sign-up form says the attendee was told, refuses without the box, sends
//   consent_version; a version published behind an open form is refused under the box, which is
//   unticked and says so, and the new version goes through;
// - an admin publishes a new version (/admin/privacy-notice); a user signing in again is asked in
//   a dialog that only accepting or signing out ends; accepting is recorded.
// Last in ui.test.mjs: it publishes new notice versions (the shared accounts accept them again).
// Registered with the harness (XIEHUI_UI_ONLY=consent runs only these), or run alone:
// `node tests/ui/consent.test.mjs` with run.sh's environment.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import {
  BASE,
  acceptNotice,
  accounts,
  apiSession,
  axe,
  choose,
  consentDialog,
  fieldError,
  input,
  keepConsentDialog,
  layoutProblems,
  login,
  loginAs,
  newPage,
  openMenu,
  run,
  screenshot,
  sel,
  settle,
  test,
  tickConsent,
  toast,
  waitForPath,
} from './harness.mjs'
import { withCheckChar } from '../../web/ui/src/utils/uscc.js'

// Unique per run, so the tests can be re-run against a long-lived server.
const RUN = String(Date.now() % 100000).padStart(5, '0')
let serial = 0
const newMobile = () => `133${RUN}${String(++serial).padStart(3, '0')}`

const adminApi = () => apiSession(accounts.admin.username, accounts.admin.password)
const staffApi = () => apiSession(accounts.staff.username, accounts.staff.password)
const notice = async () => (await fetch(`${BASE}/api/privacy/notice`)).json()

// The consent box's error (under it, as under any field).
const consentError = (scope) => fieldError(scope, 'consent-checkbox')

// Every shared account accepts the notice in force again (after a test published one).
async function everyoneAccepts() {
  for (const account of Object.values(accounts)) await acceptNotice(account.username, account.password)
}

// The admin publishes the notice with a line added: the new notice.
async function publish(admin, line) {
  const now = await notice()
  const r = await admin.put('/api/privacy/notice', { text_zh: `${now.text_zh}\n\n${line}`, text_en: `${now.text_en}\n\n${line}` })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.version, now.version + 1, 'published as the next version')
  return r.json
}

// A date `days` from today in Asia/Shanghai, YYYY-MM-DD.
const shanghaiDate = (days) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)

// An open class for sign-ups: {id, title}.
async function openClass(staff) {
  const course = await staff.post('/api/courses', { title: `声明测试课程${RUN}`, description: '', topics: [] })
  assert.equal(course.status, 201, course.text)
  const cls = await staff.post(`/api/courses/${course.json.id}/classes`, {
    title: `声明测试班${RUN}`,
    venue: '长沙市岳麓区协会培训中心',
    starts_at: `${shanghaiDate(45)}T09:00:00+08:00`,
    ends_at: `${shanghaiDate(45)}T17:00:00+08:00`,
    signup_deadline: shanghaiDate(44),
    capacity: 20,
    per_member_quota: null,
    fee_fen: 0,
    min_attendance_percent: 80,
    status: 'open',
  })
  assert.equal(cls.status, 201, cls.text)
  return cls.json
}

// --- RFC 6238 (as security.test.mjs) ----------------------------------------------------------
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
function base32Decode(text) {
  const out = []
  let value = 0
  let bits = 0
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = ((value << 5) | BASE32.indexOf(c)) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}
function totp(key, step = Math.floor(Date.now() / 30000)) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const h = createHmac('sha1', key).update(counter).digest()
  const o = h[h.length - 1] & 0x0f
  const n = (((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1000000
  return String(n).padStart(6, '0')
}
assert.equal(totp(Buffer.from('12345678901234567890'), 1), '287082')

// Fills the application form with a valid application (all but the consent box): the username.
async function fillApplication(page, label) {
  const form = page.locator(sel('apply-form'))
  const username = `consent${label}${RUN}`
  const password = `Consent-Pass-${RUN}-x`
  await page.locator(input('apply-org-name')).fill(`声明测试产业园${label}${RUN}`)
  await page.locator(input('apply-uscc')).fill(withCheckChar(`9143019${serial++ % 10}MA4L${RUN}`))
  await choose(page, 'apply-type', '产业园区')
  await page.locator(`${sel('apply-level')} [data-value="provincial"]`).click()
  await choose(page, 'apply-city', '长沙市')
  await page.locator(input('apply-contact-name')).fill('郑声明')
  await page.locator(input('apply-mobile')).fill(newMobile())
  await page.locator(input('apply-email')).fill(`consent${label}${RUN}@example.cn`)
  await page.locator(input('apply-username')).fill(username)
  await page.locator(input('apply-password')).fill(password)
  await page.locator(input('apply-confirm')).fill(password)
  return { form, username, password }
}

// ---------------------------------------------------------------------------------------------
test('consent: the application form refuses to go without the box ticked, shows the notice, and sends consent_version', async ({
  page,
}) => {
  const current = await notice()
  const posted = []
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/applications') posted.push(r.postDataJSON())
  })
  await page.goto('/apply')
  const { form } = await fillApplication(page, 'a')

  // The applicant's own wording: read and accepted, in the version in force; nobody else to tell.
  const box = form.locator(sel('consent-checkbox'))
  await form.locator(`${sel('consent-checkbox')}[data-version="${current.version}"]`).waitFor()
  assert.equal(
    (await box.innerText()).replace(/\s+/g, ''),
    `我已阅读并同意《个人信息保护声明》（第${current.version}版）`,
  )

  // Not ticked: refused under the box, nothing sent.
  await form.locator(sel('apply-submit')).click()
  await consentError(form).filter({ hasText: '请阅读并勾选同意《个人信息保护声明》' }).waitFor()
  assert.equal(await fieldError(form, 'apply-org-name').count(), 0, 'only the box is wrong')
  assert.equal(posted.length, 0, 'nothing sent')
  assert.deepEqual(await axe(page), [], 'the form with the error: axe')

  // The notice's title opens its text in a dialog; the box stays as it was.
  await form.locator(sel('consent-open')).click()
  const dialog = page.locator(sel('consent-notice-dialog'))
  await dialog.locator(sel('notice-text')).waitFor()
  const firstLine = current.text_zh.split('\n')[0]
  assert.ok((await dialog.locator(sel('notice-text')).innerText()).startsWith(firstLine), 'the Chinese text')
  assert.match(await dialog.locator(sel('consent-notice-version')).innerText(), new RegExp(`第 ${current.version} 版`))
  assert.deepEqual(await axe(page), [], 'the notice dialog: axe')
  await screenshot(page, 'desktop', 'consent-notice-dialog')
  await dialog.locator(sel('consent-notice-close')).click()
  await dialog.waitFor({ state: 'hidden' })
  assert.equal(await form.locator(`${sel('consent-checkbox')}.is-checked`).count(), 0, 'reading does not tick')

  // Ticked: the error goes, and the application carries the version.
  await tickConsent(form)
  await consentError(form).waitFor({ state: 'detached' })
  await form.locator(sel('apply-submit')).click()
  await page.locator(sel('apply-done')).waitFor()
  assert.equal(posted.length, 1)
  assert.equal(posted[0].consent_version, current.version)
  const staff = await staffApi()
  const pending = await staff.get('/api/applications?status=pending&page_size=100')
  assert.equal(pending.status, 200, pending.text)
  const mine = pending.json.items.find((a) => a.org?.name === `声明测试产业园a${RUN}`)
  assert.ok(mine, 'the application is pending')
  const one = await staff.get(`/api/applications/${mine.id}`)
  assert.equal(one.status, 200, one.text)
  assert.equal(one.json.consent_version, current.version, 'the application keeps the version accepted')
})

test('consent (phone): /privacy from the login page at 390×844, in Chinese and English; the form box and dialog fit', async () => {
  const env = await newPage({ phone: true })
  const { page } = env
  try {
    const current = await notice()
    await page.goto('/login')
    await page.locator(sel('login-privacy')).click()
    await waitForPath(page, (u) => u.pathname === '/privacy', '/privacy')
    await page.locator(`${sel('privacy-version')}[data-version="${current.version}"]`).waitFor()
    await settle(page)
    assert.equal(await page.locator('h1').innerText(), '个人信息保护声明')
    assert.match(await page.title(), /^个人信息保护声明 · /)
    assert.match(await page.locator(sel('privacy-version')).innerText(), new RegExp(`第 ${current.version} 版`))
    const text = page.locator(sel('notice-text'))
    assert.equal((await text.innerText()).trim(), current.text_zh.trim(), 'the whole Chinese text, as written')
    assert.deepEqual(await layoutProblems(page), [], '/privacy: layout')
    assert.deepEqual(await axe(page), [], '/privacy: axe')
    await screenshot(page, 'phone', 'privacy-notice')

    // In English: the English text.
    await page.locator(sel('language-switch')).click()
    await page.locator('h1').filter({ hasText: 'Privacy notice' }).waitFor()
    assert.equal((await text.innerText()).trim(), current.text_en.trim())
    assert.equal(await text.getAttribute('lang'), 'en')
    assert.deepEqual(await layoutProblems(page), [], '/privacy in English: layout')
    assert.deepEqual(await axe(page), [], '/privacy in English: axe')
    await page.locator(sel('language-switch')).click()
    await page.locator('h1').filter({ hasText: '个人信息保护声明' }).waitFor()

    // Back to the login page.
    await page.locator(sel('privacy-login')).click()
    await waitForPath(page, (u) => u.pathname === '/login', 'back to /login')

    // The application form's box wraps inside the screen; its dialog is a full-screen sheet.
    await page.goto('/apply')
    const form = page.locator(sel('apply-form'))
    await form.locator(`${sel('consent-checkbox')}[data-version]`).waitFor()
    await form.locator(sel('apply-submit')).click()
    await consentError(form).waitFor()
    await form.locator(sel('consent-checkbox')).scrollIntoViewIfNeeded()
    const box = await form.locator(sel('consent-checkbox')).boundingBox()
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `the box lies inside the screen (${box.x}+${box.width})`)
    const error = await consentError(form).boundingBox()
    assert.ok(error.y >= box.y + box.height - 1, 'the error is under the box')
    assert.deepEqual(await layoutProblems(page), [], 'the form with the box: layout')
    await screenshot(page, 'phone', 'apply-consent')
    await form.locator(sel('consent-open')).click()
    const dialog = page.locator(sel('consent-notice-dialog'))
    await dialog.locator(sel('notice-text')).waitFor()
    assert.equal(await dialog.evaluate((e) => e.classList.contains('is-fullscreen')), true, 'a full-screen sheet')
    assert.deepEqual(await axe(page), [], 'the notice dialog: axe')
    await dialog.locator(sel('consent-notice-close')).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.deepEqual(env.problems, [], 'no errors in the page')
  } finally {
    await env.context.close()
  }
})

// An admin of its own with two-factor sign-in, which the requirement does not hold: its API session
// (opened before the second factor was set up, so it needs no code), to switch the requirement off
// again whatever happens.
async function twoFactorAdmin() {
  const admin = await adminApi()
  const user = { username: `tfadm${RUN}`, password: `Tfadm-Pass-${RUN}-x` }
  const created = await admin.post('/api/users', {
    username: user.username,
    display_name: `两步验证管理员${RUN}`,
    password: user.password,
    roles: ['admin'],
    member_id: null,
  })
  assert.equal(created.status, 201, created.text)
  const own = await apiSession(user.username, user.password)
  const setup = await own.post('/api/account/two-factor')
  assert.equal(setup.status, 200, setup.text)
  const confirmed = await own.post('/api/account/two-factor/confirm', { code: totp(base32Decode(setup.json.secret)) })
  assert.equal(confirmed.status, 200, confirmed.text)
  assert.equal(confirmed.json.enabled, true)
  return own
}

test('consent: an admin requires two-factor sign-in; a staff user sets it up first, then goes on', async ({ page }) => {
  const keeper = await twoFactorAdmin()
  const user = { username: `tfa${RUN}`, password: `Tfa-Pass-${RUN}-x` }
  const created = await (await adminApi()).post('/api/users', {
    username: user.username,
    display_name: `两步验证测试${RUN}`,
    password: user.password,
    roles: ['staff'],
    member_id: null,
  })
  assert.equal(created.status, 201, created.text)
  try {
    // The admin (without a second factor itself) switches it on in 安全设置: warned that it holds
    // the admin too, and then sent to set one up.
    const adminEnv = await newPage()
    try {
      await loginAs(adminEnv.page, 'admin')
      await openMenu(adminEnv.page)
      await adminEnv.page.locator(`${sel('side-menu')} [data-menu="securitySettings"]`).click()
      const setting = adminEnv.page.locator(sel('security-setting-require_two_factor'))
      await setting.waitFor()
      await adminEnv.page.locator(sel('security-require-own')).waitFor()
      await settle(adminEnv.page)
      assert.equal(await setting.getAttribute('data-value'), 'false')
      assert.deepEqual(await axe(adminEnv.page), [], 'security settings with the switch: axe')
      await setting.click()
      const box = adminEnv.page.locator('.el-message-box')
      await box.waitFor()
      assert.match(await box.innerText(), /您自己的账号尚未启用两步验证/)
      const [put] = await Promise.all([
        adminEnv.page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/api/security/settings')),
        box.locator('.el-button--primary').click(),
      ])
      assert.deepEqual(put.postDataJSON(), { require_two_factor: true })
      await toast(adminEnv.page, '已要求工作人员启用两步验证')
      assert.equal((await keeper.get('/api/security/settings')).json.require_two_factor, true)
      await waitForPath(adminEnv.page, (u) => u.pathname === '/account/security', 'the admin sets up its own first')
      await adminEnv.page.locator(sel('two-factor-required')).waitFor()
      assert.deepEqual(adminEnv.problems, [], 'no errors in the admin page')
    } finally {
      await adminEnv.context.close()
    }

    // The staff user signs in, asking for the members: the account security page instead.
    await page.goto('/members')
    await waitForPath(page, (u) => u.pathname === '/login', 'the login page')
    await keepConsentDialog(page)
    await login(page, user.username, user.password)
    await waitForPath(page, (u) => u.pathname === '/account/security', 'the account security page')
    const banner = page.locator(sel('two-factor-required'))
    await banner.waitFor()
    assert.match(await banner.innerText(), /管理员要求工作人员启用两步验证，请先完成设置/)
    await settle(page)
    assert.equal(await consentDialog(page).isVisible(), false, 'the notice waits until two-factor sign-in is on')
    assert.deepEqual(await axe(page), [], 'the required setup: axe')
    assert.deepEqual(await layoutProblems(page), [], 'the required setup: layout')
    await screenshot(page, 'desktop', 'two-factor-required')
    // Every other page leads back here; the server answers nothing else.
    await openMenu(page)
    await page.locator(`${sel('side-menu')} [data-menu="members"]`).click()
    await waitForPath(page, (u) => u.pathname === '/account/security', 'still the account security page')
    await banner.waitFor()
    const other = await apiSession(user.username, user.password)
    const refused = await other.get('/api/members')
    assert.equal(refused.status, 403, refused.text)
    assert.equal(refused.json.code, 'two_factor_required')
    const session = await other.get('/api/session')
    assert.equal(session.json.two_factor_setup_required, true, session.text)

    // Set up: the QR code's secret, a code; then on to the members the user asked for.
    await page.locator(sel('two-factor-enable')).click()
    const setup = page.locator(sel('two-factor-setup-dialog'))
    await setup.locator(`${sel('two-factor-qr')} svg`).waitFor()
    const key = base32Decode((await setup.locator(sel('two-factor-secret')).innerText()).trim())
    await setup.locator(input('two-factor-code')).fill(totp(key))
    await setup.locator(sel('two-factor-confirm')).click()
    await toast(page, '两步验证已开启，现在可以继续使用系统')
    await waitForPath(page, (u) => u.pathname === '/members', 'on to the members')
    assert.equal((await other.get('/api/members')).status, 200, 'the server answers again')
    // Now the privacy notice, which this new account has not accepted yet.
    const dialog = consentDialog(page)
    await dialog.locator(sel('notice-text')).waitFor()
    await dialog.locator(sel('privacy-consent-accept')).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator(sel('members-table')).waitFor()
    assert.equal(await page.locator(sel('two-factor-required')).count(), 0)
  } finally {
    const off = await keeper.put('/api/security/settings', { require_two_factor: false })
    assert.equal(off.status, 200, off.text)
    assert.equal(off.json.require_two_factor, false)
  }
})

test('consent: the sign-up form confirms the attendee was told; a version published behind the form is refused under the box', async ({
  page,
}) => {
  const staff = await staffApi()
  const admin = await adminApi()
  const cls = await openClass(staff)
  try {
    const current = await notice()
    await loginAs(page, 'member')
    await page.goto(`/training/classes/${cls.id}`)
    const form = page.locator(sel('signup-form'))
    await form.locator(`${sel('consent-checkbox')}[data-version="${current.version}"]`).waitFor()
    // A liaison's wording: the attendee was told.
    assert.equal(
      (await form.locator(sel('consent-checkbox')).innerText()).replace(/\s+/g, ''),
      `我已阅读并同意《个人信息保护声明》（第${current.version}版），并确认已告知所填报人员`,
    )
    const name = `声明学员${RUN}`
    await form.locator(input('signup-name')).fill(name)
    await form.locator(input('signup-mobile')).fill(newMobile())
    await form.locator(sel('signup-submit')).click()
    await consentError(form).filter({ hasText: '请阅读并勾选同意《个人信息保护声明》' }).waitFor()

    // Ticked: sent with the version, and the sign-up keeps it.
    await tickConsent(form)
    const [request, response] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/classes/${cls.id}/enrollments`)),
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/classes/${cls.id}/enrollments`)),
      form.locator(sel('signup-submit')).click(),
    ])
    assert.equal(request.postDataJSON().consent_version, current.version)
    assert.equal(response.status(), 201)
    await toast(page, `报名成功：${name} 已确认名额`)
    const enrolment = await response.json()
    assert.equal(enrolment.consent_version, current.version, 'the sign-up keeps the version')
    // The next attendee is confirmed afresh: the box is unticked again.
    assert.equal(await form.locator(`${sel('consent-checkbox')}.is-checked`).count(), 0)

    // A new version is published while the form is open: the old tick is refused under the box,
    // which is unticked and says the notice changed; ticked again, the sign-up goes through.
    const next = `王新版${RUN}`
    await form.locator(input('signup-name')).fill(next)
    await form.locator(input('signup-mobile')).fill(newMobile())
    await tickConsent(form)
    const published = await publish(admin, `（浏览器测试修订 ${RUN}-甲）`)
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/classes/${cls.id}/enrollments`)),
      form.locator(sel('signup-submit')).click(),
    ])
    assert.equal(refused.status(), 400)
    assert.ok((await refused.json()).details?.fields?.consent_version, 'the server names consent_version')
    await consentError(form).filter({ hasText: `已更新为第 ${published.version} 版` }).waitFor()
    await form.locator(`${sel('consent-checkbox')}[data-version="${published.version}"]`).waitFor()
    assert.equal(await form.locator(`${sel('consent-checkbox')}.is-checked`).count(), 0, 'unticked')
    assert.match(await form.locator(sel('consent-checkbox')).innerText(), new RegExp(`第 ${published.version} 版`))
    assert.deepEqual(await axe(page), [], 'the refused consent: axe')
    await tickConsent(form)
    const [again] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/classes/${cls.id}/enrollments`)),
      form.locator(sel('signup-submit')).click(),
    ])
    assert.equal(again.postDataJSON().consent_version, published.version)
    await toast(page, `报名成功：${next} 已确认名额`)
  } finally {
    await everyoneAccepts()
  }
})

test('consent: an admin publishes a new notice; a user signing in again is asked and accepts (or signs out)', async ({ page }) => {
  try {
    const before = await notice()
    const memberEnv = await newPage()
    await keepConsentDialog(memberEnv.page)
    try {
      // The member signed in on the version in force: not asked.
      await loginAs(memberEnv.page, 'member')
      assert.equal(await consentDialog(memberEnv.page).isVisible(), false, 'accepted already')

      // The admin's editor: the version in force, when, the two texts; a change is published.
      await loginAs(page, 'admin')
      await openMenu(page)
      await page.locator(`${sel('side-menu')} [data-menu="privacyNotice"]`).click()
      await waitForPath(page, (u) => u.pathname === '/admin/privacy-notice', '/admin/privacy-notice')
      await page.locator(`${sel('privacy-notice-version')}[data-version="${before.version}"]`).waitFor()
      await settle(page)
      assert.equal(await page.locator('h1').innerText(), '个人信息保护声明')
      assert.match(await page.locator(sel('privacy-notice-published-at')).innerText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
      assert.equal(await page.locator(input('privacy-notice-zh')).inputValue(), before.text_zh)
      assert.equal(await page.locator(input('privacy-notice-en')).inputValue(), before.text_en)
      assert.equal(await page.locator(sel('privacy-notice-publish')).isDisabled(), true, 'nothing changed yet')
      assert.deepEqual(await axe(page), [], 'the notice editor: axe')
      assert.deepEqual(await layoutProblems(page), [], 'the notice editor: layout')
      await screenshot(page, 'desktop', 'admin-privacy-notice')
      // An empty text is refused under its field.
      await page.locator(input('privacy-notice-en')).fill('')
      await page.locator(sel('privacy-notice-publish')).click()
      await fieldError(page, 'privacy-notice-en').filter({ hasText: '请填写英文声明' }).waitFor()
      const line = `七、本声明第 ${before.version + 1} 版（浏览器测试 ${RUN}）。`
      await page.locator(input('privacy-notice-en')).fill(`${before.text_en}\n\n7. Version ${before.version + 1} (browser test ${RUN}).`)
      await page.locator(input('privacy-notice-zh')).fill(`${before.text_zh}\n\n${line}`)
      await page.locator(sel('privacy-notice-publish')).click()
      const box = page.locator('.el-message-box')
      await box.waitFor()
      assert.match(await box.innerText(), new RegExp(`确定发布第 ${before.version + 1} 版`))
      const [put] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/api/privacy/notice')),
        box.locator('.el-button--primary').click(),
      ])
      assert.equal(put.status(), 200)
      await toast(page, `已发布第 ${before.version + 1} 版`)
      await page.locator(`${sel('privacy-notice-version')}[data-version="${before.version + 1}"]`).waitFor()
      const after = await notice()
      assert.equal(after.version, before.version + 1)
      assert.ok(after.text_zh.endsWith(line))

      // The editor at 390×844: labels above the texts, nothing wider than the screen.
      const phone = await newPage({ phone: true })
      try {
        await loginAs(phone.page, 'admin')
        await phone.page.goto('/admin/privacy-notice')
        await phone.page.locator(`${sel('privacy-notice-version')}[data-version="${after.version}"]`).waitFor()
        await settle(phone.page)
        assert.deepEqual(await layoutProblems(phone.page), [], 'the notice editor at 390 px: layout')
        assert.deepEqual(await axe(phone.page), [], 'the notice editor at 390 px: axe')
        await screenshot(phone.page, 'phone', 'admin-privacy-notice')
        assert.deepEqual(phone.problems, [], 'no errors in the phone page')
      } finally {
        await phone.context.close()
      }

      // The member signs in again: asked before anything else, with the new text.
      await memberEnv.page.locator(sel('logout')).click()
      await waitForPath(memberEnv.page, (u) => u.pathname === '/login', 'signed out')
      await login(memberEnv.page, accounts.member.username, accounts.member.password)
      await memberEnv.page.locator(sel('home')).waitFor()
      const dialog = consentDialog(memberEnv.page)
      await dialog.locator(sel('notice-text')).waitFor()
      assert.match(await dialog.locator('.el-dialog__title').innerText(), /个人信息保护声明已更新/)
      assert.match(
        await dialog.locator(sel('privacy-consent-intro')).innerText(),
        new RegExp(`已更新为第 ${after.version} 版（您此前同意的是第 ${before.version} 版）`),
      )
      assert.ok((await dialog.locator(sel('notice-text')).innerText()).trim().endsWith(line), 'the new text')
      await settle(memberEnv.page)
      assert.deepEqual(await axe(memberEnv.page), [], 'asked again: axe')
      await screenshot(memberEnv.page, 'desktop', 'privacy-consent-dialog')
      // Neither Escape nor a click beside it closes it.
      await memberEnv.page.keyboard.press('Escape')
      await memberEnv.page.mouse.click(5, 400)
      assert.equal(await dialog.isVisible(), true, 'still asking')
      const [consent] = await Promise.all([
        memberEnv.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/privacy/consent')),
        dialog.locator(sel('privacy-consent-accept')).click(),
      ])
      assert.equal(consent.status(), 200)
      assert.deepEqual(consent.request().postDataJSON(), { consent_version: after.version })
      const accepted = await consent.json()
      assert.equal(accepted.accepted_version, after.version)
      await dialog.waitFor({ state: 'hidden' })
      // Recorded: the session says so, and a reload asks nothing.
      const session = await memberEnv.page.evaluate(async () => (await fetch('/api/session')).json())
      assert.equal(session.privacy.version, after.version)
      assert.equal(session.privacy.accepted_version, after.version)
      assert.ok(session.privacy.accepted_at, 'when')
      await memberEnv.page.reload()
      await memberEnv.page.locator(sel('home')).waitFor()
      await settle(memberEnv.page)
      assert.equal(await dialog.isVisible(), false, 'not asked again')
      assert.deepEqual(memberEnv.problems, [], 'no errors in the member page')
    } finally {
      await memberEnv.context.close()
    }

    // Declining is signing out: the leader, at phone size, is asked too.
    const leader = await newPage({ phone: true })
    await keepConsentDialog(leader.page)
    try {
      await leader.page.goto('/login')
      await login(leader.page, accounts.leader.username, accounts.leader.password)
      const dialog = consentDialog(leader.page)
      await dialog.locator(sel('notice-text')).waitFor()
      assert.equal(await dialog.evaluate((e) => e.classList.contains('is-fullscreen')), true, 'a full-screen sheet')
      await settle(leader.page)
      assert.deepEqual(await layoutProblems(leader.page), [], 'asked at 390 px: layout')
      assert.deepEqual(await axe(leader.page), [], 'asked at 390 px: axe')
      await screenshot(leader.page, 'phone', 'privacy-consent-dialog')
      await dialog.locator(sel('privacy-consent-sign-out')).click()
      await waitForPath(leader.page, (u) => u.pathname === '/login', 'signed out')
      const leaderApi = await apiSession(accounts.leader.username, accounts.leader.password)
      const session = (await leaderApi.get('/api/session')).json
      assert.notEqual(session.privacy.accepted_version, session.privacy.version, 'nothing accepted')
      assert.deepEqual(leader.problems, [], 'no errors in the leader page')
    } finally {
      await leader.context.close()
    }
  } finally {
    await everyoneAccepts()
  }
})

// Run alone: `node tests/ui/consent.test.mjs` (ui.test.mjs imports this file and runs everything).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { passed, failed } = await run()
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}
