// Browser tests of 账号安全 (/account/security: two-factor sign-in and the signed-in devices) and
// the admins' 安全设置 (/admin/security). A staff user created for the run turns two-factor sign-in
// on (the secret read from the page, the codes computed here: RFC 6238, HMAC-SHA1, 30 s steps, six
// digits), signs out and in again with a code (a wrong and a reused one refused under the field),
// ends another of its sessions; an admin resets its second factor from the users page and the
// password alone signs in again; the admin reads the security settings. At phone size (390×844)
// another user turns it on, off, on again, and signs in with a code. axe at both sizes.
//
// Each test signs up its own users through the admin API: two-factor sign-in on a shared account
// (staff1, …) would break the other files' sign-ins.
// Registered with the harness (ui.test.mjs imports it; XIEHUI_UI_ONLY=security runs only these),
// or run alone: `node tests/ui/security.test.mjs` with run.sh's environment.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import {
  BASE,
  accounts,
  apiSession,
  axe,
  choose,
  fieldError,
  input,
  layoutProblems,
  login,
  loginAs,
  newPage,
  open,
  openMenu,
  run,
  screenshot,
  sel,
  settle,
  test,
  toast,
  waitForPath,
} from './harness.mjs'

// Unique per run, so the tests can be re-run against a long-lived server.
const RUN = String(Date.now() % 100000).padStart(5, '0')

// --- RFC 6238 -------------------------------------------------------------------------------
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
function base32Decode(text) {
  const out = []
  let value = 0
  let bits = 0
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const i = BASE32.indexOf(c)
    assert.ok(i >= 0, `base32 character ${c}`)
    value = ((value << 5) | i) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}
const stepNow = () => Math.floor(Date.now() / 1000 / 30)
function totp(key, step) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const h = createHmac('sha1', key).update(counter).digest()
  const o = h[h.length - 1] & 0x0f
  const n = (((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1000000
  return String(n).padStart(6, '0')
}
// A six-digit code that is none of the codes the server could accept around `step`.
function wrongCode(key, step) {
  const near = new Set([-1, 0, 1, 2].map((d) => totp(key, step + d)))
  let n = (Number(totp(key, step)) + 500000) % 1000000
  while (near.has(String(n).padStart(6, '0'))) n = (n + 1) % 1000000
  return String(n).padStart(6, '0')
}
// Self-check against RFC 6238's SHA-1 test vector (secret "12345678901234567890", T = 59 s).
assert.equal(totp(Buffer.from('12345678901234567890'), 1), '287082')
assert.equal(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString(), '12345678901234567890')

// --- set-up ---------------------------------------------------------------------------------
const adminApi = () => apiSession(accounts.admin.username, accounts.admin.password)

// A user of its own for a test: {id, username, password, name}.
let serial = 0
async function newUser(role, label) {
  const admin = await adminApi()
  const user = {
    username: `sec${RUN}${++serial}`,
    password: `Sec-Pass-${RUN}-${serial}x`,
    name: `安全测试${label}${RUN}`,
  }
  const r = await admin.post('/api/users', {
    username: user.username,
    display_name: user.name,
    password: user.password,
    roles: [role],
    member_id: null,
  })
  assert.equal(r.status, 201, r.text)
  return { ...user, id: r.json.id }
}

const rows = (page, table) => page.locator(`${sel(table)} .el-table__body-wrapper .el-table__row`)

// The secret the setup dialog shows (in groups of four), as the key bytes.
async function secretOf(dialog) {
  await dialog.locator(`${sel('two-factor-qr')} svg`).waitFor()
  const grouped = (await dialog.locator(sel('two-factor-secret')).innerText()).trim()
  assert.match(grouped, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the secret in groups of four')
  return base32Decode(grouped)
}

// Turns two-factor sign-in on through the page; returns {key, step} (the step whose code confirmed it).
async function turnOn(page) {
  await page.locator(sel('two-factor-enable')).click()
  const dialog = page.locator(sel('two-factor-setup-dialog'))
  const key = await secretOf(dialog)
  const step = stepNow()
  await dialog.locator(input('two-factor-code')).fill(totp(key, step))
  await dialog.locator(sel('two-factor-confirm')).click()
  await toast(page, '两步验证已开启')
  await dialog.waitFor({ state: 'hidden' })
  await page.locator(`${sel('two-factor-status')}[data-enabled="true"]`).waitFor()
  return { key, step }
}

// ---------------------------------------------------------------------------------------------
test('security: staff turn on two-factor sign-in, sign in with a code, end another session; an admin resets it', async ({
  page,
}) => {
  const user = await newUser('staff', '甲')
  // Another session of the user's (a program signing in through the API), to be ended below.
  const other = await apiSession(user.username, user.password)

  await page.goto('/login')
  await login(page, user.username, user.password)
  await page.locator(sel('home')).waitFor()

  // 账号安全: the user's name in the header opens 我的账号, whose second tab it is.
  await page.locator(sel('user-name')).click()
  await page.locator(sel('account-page')).waitFor()
  await page.locator(`${sel('account-tabs')} .el-tabs__item`).filter({ hasText: '账号安全' }).click()
  await waitForPath(page, (u) => u.pathname === '/account/security', '/account/security')
  await page.locator(sel('account-security-page')).waitFor()
  await settle(page)
  assert.equal(await page.locator('h1').innerText(), '账号安全')
  assert.match(await page.title(), /^账号安全 · /)
  // Off, and staff are told to turn it on.
  assert.equal(await page.locator(sel('two-factor-status')).getAttribute('data-enabled'), 'false')
  assert.equal((await page.locator(sel('two-factor-status')).innerText()).trim(), '未开启')
  await page.locator(sel('two-factor-recommend')).waitFor()
  assert.deepEqual(await axe(page), [], 'account security: axe')
  assert.deepEqual(await layoutProblems(page), [], 'account security: layout')

  // Turn it on: the QR code and the secret; the code is checked on the client, then by the server.
  await page.locator(sel('two-factor-enable')).click()
  const dialog = page.locator(sel('two-factor-setup-dialog'))
  const key = await secretOf(dialog)
  assert.equal(await dialog.locator(`${sel('two-factor-qr')}`).getAttribute('role'), 'img')
  const code = dialog.locator(input('two-factor-code'))
  assert.equal(await code.getAttribute('inputmode'), 'numeric')
  assert.equal(await code.getAttribute('autocomplete'), 'one-time-code')
  await settle(page)
  assert.deepEqual(await axe(page), [], 'setup dialog: axe')
  await screenshot(page, 'desktop', 'security-two-factor-setup')
  await dialog.locator(sel('two-factor-confirm')).click()
  await fieldError(dialog, 'two-factor-code').filter({ hasText: '请输入 6 位数字验证码' }).waitFor()
  await code.fill(wrongCode(key, stepNow()))
  await dialog.locator(sel('two-factor-confirm')).click()
  await fieldError(dialog, 'two-factor-code').filter({ hasText: '验证码不正确' }).waitFor()
  const pending = await other.get('/api/account/two-factor')
  assert.deepEqual([pending.json.enabled, pending.json.pending], [false, true], 'not on before a right code')
  const confirmed = stepNow()
  await code.fill(totp(key, confirmed))
  await dialog.locator(sel('two-factor-confirm')).click()
  await toast(page, '两步验证已开启')
  await dialog.waitFor({ state: 'hidden' })
  await page.locator(`${sel('two-factor-status')}[data-enabled="true"]`).waitFor()
  assert.equal((await page.locator(sel('two-factor-status')).innerText()).trim(), '已开启')
  assert.match(await page.locator(sel('two-factor-enabled-at')).innerText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
  assert.equal(await page.locator(sel('two-factor-recommend')).count(), 0, 'no advice once it is on')
  assert.equal((await other.get('/api/account/two-factor')).json.enabled, true)

  // Sign out and in again: the password, then the code step.
  await page.locator(sel('logout')).click()
  await waitForPath(page, (u) => u.pathname === '/login', '/login after signing out')
  await login(page, user.username, user.password)
  const step = page.locator(sel('login-code-step'))
  await step.waitFor()
  assert.match(await step.innerText(), new RegExp(`正在登录：${user.username}`))
  assert.match(await page.locator(sel('login-code-prompt')).innerText(), /6 位验证码/)
  const loginCode = page.locator(input('login-code'))
  assert.equal(await loginCode.getAttribute('inputmode'), 'numeric')
  assert.equal(await loginCode.getAttribute('autocomplete'), 'one-time-code')
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'totp_code', 'the code field has the focus')
  assert.equal(await page.locator(sel('login-error')).count(), 0, 'asking for the code is no error')
  assert.deepEqual(await axe(page), [], 'code step: axe')
  await screenshot(page, 'desktop', 'security-login-code')
  // A wrong code, and the code that confirmed the setup (used already): refused under the field.
  await loginCode.fill(wrongCode(key, stepNow()))
  await page.locator(sel('login-code-submit')).click()
  await fieldError(page, 'login-code').filter({ hasText: '验证码不正确或已使用过' }).waitFor()
  assert.equal(await loginCode.inputValue(), '', 'the refused code is cleared')
  await loginCode.fill(totp(key, confirmed))
  await page.locator(sel('login-code-submit')).click()
  await settle(page)
  await fieldError(page, 'login-code').filter({ hasText: '验证码不正确或已使用过' }).waitFor()
  assert.equal(new URL(page.url()).pathname, '/login')
  // The next step's code (the server accepts one step either side, each code once).
  await loginCode.fill(totp(key, confirmed + 1))
  await page.locator(sel('login-code-submit')).click()
  await page.locator(sel('home')).waitFor()

  // 登录设备: this session (当前) and the program's; the program's is ended.
  await open(page, '/account/security')
  const sessions = rows(page, 'sessions-table')
  await sessions.nth(1).waitFor()
  assert.equal(await sessions.count(), 2, 'this browser and the program (the first browser session ended)')
  const current = page.locator(`${sel('session-row')}[data-current="true"]`)
  assert.equal(await current.count(), 1)
  assert.match(await current.innerText(), /Chrome \d+ · Linux[\s\S]*当前/)
  const mine = rows(page, 'sessions-table').first()
  assert.match(await mine.innerText(), /127\.0\.0\.1[\s\S]*\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
  const program = page.locator(`${sel('session-row')}[data-current="false"]`)
  assert.equal((await program.locator(sel('session-device')).innerText()).trim(), 'node')
  const otherId = await program.getAttribute('data-id')
  assert.equal((await mine.locator(`button${sel(`session-end-${await current.getAttribute('data-id')}`)}`).innerText()).trim(), '退出登录')
  assert.deepEqual(await axe(page), [], 'sessions: axe')
  await screenshot(page, 'desktop', 'security-account')
  await page.locator(sel(`session-end-${otherId}`)).click()
  await page.locator('.el-message-box .el-button--primary').click()
  await toast(page, '已结束此登录')
  await page.waitForFunction(() => document.querySelectorAll('[data-test="session-row"]').length === 1)
  assert.equal((await other.get('/api/session')).status, 401, 'the ended session is refused')

  // An admin resets the user's second factor (a lost phone) from the users page.
  const admin = await newPage()
  try {
    await loginAs(admin.page, 'admin')
    await admin.page.locator('[data-menu="users"]').click()
    await admin.page.locator(input('users-search')).fill(user.username)
    await admin.page.locator(sel('users-search-button')).click()
    await rows(admin.page, 'users-table').filter({ hasText: user.name }).waitFor()
    await admin.page.locator(sel(`edit-${user.username}`)).click()
    const userDialog = admin.page.locator(sel('user-dialog'))
    await userDialog.locator(sel('user-two-factor-reset')).waitFor()
    assert.match(await userDialog.innerText(), /两步验证[\s\S]*更换或丢失手机/)
    assert.deepEqual(await axe(admin.page), [], 'user dialog: axe')
    await screenshot(admin.page, 'desktop', 'security-user-dialog')
    await userDialog.locator(sel('user-two-factor-reset')).click()
    const box = admin.page.locator('.el-message-box')
    assert.match(await box.innerText(), new RegExp(`${user.name}[\\s\\S]*全部登录将被结束`))
    await box.locator('.el-button--primary').click()
    await toast(admin.page, `已重置“${user.name}”的两步验证`)
    // Now the user has none: the dialog says so and offers no reset.
    assert.equal((await userDialog.locator(sel('user-two-factor-status')).innerText()).trim(), '未开启')
    assert.equal(await userDialog.locator(sel('user-two-factor-reset')).count(), 0)
    assert.deepEqual(admin.problems, [], 'no errors in the admin page')
  } finally {
    await admin.context.close()
  }

  // The reset ended the user's sessions; the password alone signs in again.
  await page.goto('/account/security')
  await waitForPath(page, (u) => u.pathname === '/login', 'signed out by the reset')
  await login(page, user.username, user.password)
  await waitForPath(page, (u) => u.pathname === '/account/security', 'back to /account/security')
  assert.equal(await page.locator(sel('login-code-step')).count(), 0, 'no code asked for')
  await page.locator(`${sel('two-factor-status')}[data-enabled="false"]`).waitFor()
})

test('security: the admin reads the security settings (安全设置); staff are refused', async ({ page }) => {
  const admin = await adminApi()
  const expected = (await admin.get('/api/security/settings')).json
  await loginAs(page, 'admin')
  await openMenu(page)
  await page.locator(`${sel('side-menu')} [data-menu="securitySettings"]`).click()
  await waitForPath(page, (u) => u.pathname === '/admin/security', '/admin/security')
  await page.locator(sel('security-settings')).waitFor()
  await settle(page)
  assert.equal(await page.locator('h1').innerText(), '安全设置')
  assert.match(await page.locator(sel('security-settings-intro')).innerText(), /配置文件/)
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(await page.locator(sel(`security-setting-${name}`)).getAttribute('data-value'), String(value), name)
  }
  assert.match(
    await page.locator(sel('security-setting-password_min_length')).innerText(),
    new RegExp(`^${expected.password_min_length} 个字符$`),
  )
  assert.match(await page.locator(sel('security-setting-password_hash')).innerText(), /Argon2id/)
  assert.match(await page.locator(sel('security-settings')).innerText(), /配置项 min_password_length/)
  assert.deepEqual(await axe(page), [], 'security settings: axe')
  assert.deepEqual(await layoutProblems(page), [], 'security settings: layout')
  await screenshot(page, 'desktop', 'security-settings')

  const staff = await newPage()
  try {
    await loginAs(staff.page, 'staff')
    await staff.page.goto('/admin/security')
    await staff.page.locator(sel('forbidden')).waitFor()
  } finally {
    await staff.context.close()
  }
})

test('security (phone): turn two-factor sign-in on, off and on again, sign in with a code; sessions; axe', async () => {
  const user = await newUser('leader', '乙')
  const env = await newPage({ phone: true })
  const { page } = env
  try {
    await page.goto('/login')
    await login(page, user.username, user.password)
    await page.locator(sel('home')).waitFor()
    // The name in the header opens 我的账号; on a phone its tabs are a select.
    await page.locator(sel('user-name')).click()
    await page.locator(sel('account-page')).waitFor()
    await choose(page, 'account-tabs-select', '账号安全')
    await waitForPath(page, (u) => u.pathname === '/account/security', '/account/security')
    await page.locator(sel('two-factor-status')).waitFor()
    await settle(page)
    // Leaders are not pressed to turn it on.
    assert.equal(await page.locator(sel('two-factor-recommend')).count(), 0)
    // 设备 and 操作: the key columns only; the address and last activity under the device.
    const headers = await page
      .locator(`${sel('sessions-table')} .el-table__header-wrapper th`)
      .evaluateAll((ths) => ths.map((th) => th.innerText.trim()).filter(Boolean))
    assert.deepEqual(headers, ['设备', '操作'])
    assert.match(await rows(page, 'sessions-table').first().innerText(), /当前[\s\S]*127\.0\.0\.1 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    assert.deepEqual(await layoutProblems(page), [], 'account security: layout')
    assert.deepEqual(await axe(page), [], 'account security: axe')
    await screenshot(page, 'phone', 'security-account')

    // On: a full-screen sheet with the QR code, a link into the app on this phone, the secret.
    await page.locator(sel('two-factor-enable')).click()
    const dialog = page.locator(sel('two-factor-setup-dialog'))
    const key = await secretOf(dialog)
    assert.equal(await page.locator('.el-dialog.is-fullscreen:visible').count(), 1, 'setup: a full-screen sheet')
    assert.match(await dialog.locator(sel('two-factor-open-app')).getAttribute('href'), /^otpauth:\/\/totp\//)
    await settle(page)
    assert.deepEqual(await layoutProblems(page), [], 'setup dialog: layout')
    assert.deepEqual(await axe(page), [], 'setup dialog: axe')
    await screenshot(page, 'phone', 'security-two-factor-setup')
    const confirmed = stepNow()
    await dialog.locator(input('two-factor-code')).fill(totp(key, confirmed))
    await dialog.locator(sel('two-factor-confirm')).click()
    await toast(page, '两步验证已开启')
    await page.locator(`${sel('two-factor-status')}[data-enabled="true"]`).waitFor()

    // Off, with the next code (the one that turned it on is used).
    await page.locator(sel('two-factor-disable')).click()
    const off = page.locator(sel('two-factor-disable-dialog'))
    await off.locator(input('two-factor-disable-code')).waitFor()
    assert.equal(await page.locator('.el-dialog.is-fullscreen:visible').count(), 1, 'disable: a full-screen sheet')
    assert.deepEqual(await axe(page), [], 'disable dialog: axe')
    await off.locator(input('two-factor-disable-code')).fill(totp(key, confirmed))
    await off.locator(sel('two-factor-disable-confirm')).click()
    await fieldError(off, 'two-factor-disable-code').filter({ hasText: '验证码不正确' }).waitFor()
    await off.locator(input('two-factor-disable-code')).fill(totp(key, confirmed + 1))
    await off.locator(sel('two-factor-disable-confirm')).click()
    await toast(page, '两步验证已关闭')
    await off.waitFor({ state: 'hidden' })
    await page.locator(`${sel('two-factor-status')}[data-enabled="false"]`).waitFor()

    // On again (a new secret), then sign out and in with a code, at phone size.
    const again = await turnOn(page)
    await openMenu(page)
    await page.locator(`${sel('menu-drawer')} ${sel('logout')}`).click()
    await waitForPath(page, (u) => u.pathname === '/login', '/login after signing out')
    await login(page, user.username, user.password)
    await page.locator(sel('login-code-step')).waitFor()
    await settle(page)
    assert.deepEqual(await layoutProblems(page), [], 'code step: layout')
    assert.deepEqual(await axe(page), [], 'code step: axe')
    await screenshot(page, 'phone', 'security-login-code')
    await page.locator(input('login-code')).fill(totp(again.key, again.step + 1))
    await page.locator(sel('login-code-submit')).click()
    await page.locator(sel('home')).waitFor()

    // Ending the session in use (its row's 退出登录) signs out, to the login page.
    await open(page, '/account/security')
    const current = page.locator(`${sel('session-row')}[data-current="true"]`)
    await current.waitFor()
    await page.locator(sel(`session-end-${await current.getAttribute('data-id')}`)).click()
    await page.locator('.el-message-box').filter({ hasText: '结束后将退出登录' }).waitFor()
    await page.locator('.el-message-box .el-button--primary').click()
    await waitForPath(page, (u) => u.pathname === '/login', 'signed out by ending the session in use')
    await page.locator(sel('login-notice')).filter({ hasText: '已退出登录' }).waitFor()
    assert.equal((await page.request.get('/api/session')).status(), 401, 'the session is gone')
    assert.deepEqual(env.problems, [], 'no errors in the page')
  } finally {
    await env.context.close()
    // Leave the user as it was found: no second factor.
    const r = await (await adminApi()).delete(`/api/users/${user.id}/two-factor`)
    assert.ok([204, 404].includes(r.status), `reset: ${r.status}`)
  }
})

// The login page with no code needed is unchanged: a wrong password is the server's message.
test('security: a wrong password with two-factor sign-in on is still a plain sign-in error', async ({ page }) => {
  const user = await newUser('staff', '丙')
  const api = await apiSession(user.username, user.password)
  const setup = await api.post('/api/account/two-factor')
  assert.equal(setup.status, 200, setup.text)
  assert.match(setup.json.qr_svg, /<svg/)
  const key = base32Decode(setup.json.secret)
  const on = await api.post('/api/account/two-factor/confirm', { code: totp(key, stepNow()) })
  assert.equal(on.json?.enabled, true, on.text)
  await page.goto('/login')
  await login(page, user.username, 'not-the-password-123')
  await page.locator(sel('login-error')).filter({ hasText: '用户名或密码错误' }).waitFor()
  assert.equal(await page.locator(sel('login-code-step')).count(), 0, 'no code step for a wrong password')
  // The right password asks for the code; 返回 goes back to the first step, password cleared.
  await login(page, user.username, user.password)
  await page.locator(sel('login-code-step')).waitFor()
  await page.locator(sel('login-code-back')).click()
  await page.locator(input('login-password')).waitFor()
  assert.equal(await page.locator(input('login-password')).inputValue(), '')
  assert.equal(await page.locator(input('login-username')).inputValue(), user.username)
  const r = await fetch(`${BASE}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  })
  assert.equal(r.status, 401)
  assert.equal((await r.json()).details?.fields?.totp_code, '请输入身份验证器中的 6 位验证码')
})

// Run alone: `node tests/ui/security.test.mjs` (ui.test.mjs imports this file and runs everything).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { passed, failed } = await run()
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}
