// Browser tests of the xiehui web UI, run by tests/ui/run.sh against a fresh server.
//
//   XIEHUI_URL=http://127.0.0.1:PORT XIEHUI_UI_*_PASSWORD=... node tests/ui/ui.test.mjs
//
// playwright-core drives Debian's /usr/bin/chromium, headless. Each test gets a fresh browser
// context (no cookies, empty localStorage). Prints "N passed, M failed"; exits 1 on a failure.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import {
  BASE,
  DIST,
  SHOTS,
  TIMEOUT,
  accounts,
  input,
  login,
  loginAs,
  menuNames,
  metrics,
  newPage,
  pathOf,
  run,
  sel,
  test,
  waitForPath,
} from './harness.mjs'

// Side menu (data-menu → Chinese label) of every capability; each role must see exactly its own.
const MENU = {
  home: '首页',
  ownUnit: '本单位',
  members: '会员单位',
  applications: '入会申请',
  dues: '会费',
  training: '培训',
  visits: '考察交流',
  meetings: '会议与会议室',
  reports: '统计报表',
  users: '用户管理',
  audit: '审计日志',
  notifications: '通知',
  outbox: '发送队列',
  notificationTemplates: '通知模板',
  people: '个人信息查询与删除',
  securitySettings: '安全设置',
  accessLog: '个人信息访问记录',
  retention: '个人信息保存期限',
  privacyNotice: '个人信息保护声明',
}
// 统计报表 (reports) is the leaders' and staff's.
// 通知 is everyone's; the e-mail/SMS outbox and the templates are the admin's (系统管理).
// 个人信息查询与删除 (personal-data requests) is the staff's (系统管理).
// 安全设置 (the security settings, read-only) is the admin's (系统管理).
// Everyone's own 账号安全 is a tab of 我的账号 (the name in the header), not a menu item.
const MENU_OF = {
  admin: ['home', 'members', 'notifications', 'users', 'audit', 'accessLog', 'outbox', 'notificationTemplates', 'retention', 'privacyNotice', 'securitySettings'],
  staff: ['home', 'members', 'applications', 'dues', 'training', 'visits', 'meetings', 'reports', 'notifications', 'people'],
  leader: ['home', 'members', 'applications', 'dues', 'training', 'visits', 'meetings', 'reports', 'notifications'],
  member: ['home', 'ownUnit', 'members', 'dues', 'training', 'visits', 'meetings', 'notifications'],
}
const ROLE_LABEL = { admin: '管理员', staff: '秘书处', leader: '协会领导', member: '会员单位' }
const HOME_SECTION = {
  admin: 'home-admin',
  staff: 'home-staff',
  leader: 'home-leader',
  member: 'home-member',
}

// ---------------------------------------------------------------------------------------------
test('login page is Chinese by default and loads nothing from elsewhere', async ({ page, requests }) => {
  await page.goto('/')
  await waitForPath(page, (u) => u.pathname === '/login', 'redirect to /login')
  await page.locator(sel('login-submit')).waitFor()
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN')
  assert.match(await page.locator(sel('login-submit')).innerText(), /登\s*录/)
  assert.match(await page.locator('.login-card').innerText(), /用户名[\s\S]*密码/)
  await page.waitForLoadState('networkidle')
  const foreign = requests.filter((u) => !u.startsWith(BASE) && !u.startsWith('data:'))
  assert.deepEqual(foreign, [], 'every request goes to xiehui')
  assert.ok(
    !requests.some((u) => /EChart|echarts/i.test(u)),
    'the login page does not load ECharts',
  )
  // What the login page costs: the scripts and stylesheets it loaded, from dist/.
  const assets = [...new Set(requests.map((u) => new URL(u).pathname))].filter((p) =>
    /^\/assets\/.+\.(js|css)$/.test(p),
  )
  const bytes = assets.map((p) => readFileSync(path.join(DIST, p)))
  metrics.loginPage = {
    files: assets.length,
    raw: bytes.reduce((n, b) => n + b.length, 0),
    gzip: bytes.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
  }
})

test('client-side validation on the login form', async ({ page }) => {
  await page.goto('/login')
  await page.locator(sel('login-submit')).click()
  await page.getByText('请输入用户名').waitFor()
  await page.getByText('请输入密码').waitFor()
})

test('wrong password shows the server message', async ({ page }) => {
  await page.goto('/login')
  await login(page, 'staff1', 'not-the-password-123')
  const error = page.locator(sel('login-error'))
  await error.waitFor()
  assert.match(await error.innerText(), /用户名或密码错误/)
  assert.equal(new URL(page.url()).pathname, '/login')
})

for (const role of ['admin', 'staff', 'leader', 'member']) {
  test(`${role}: home page and only the ${role}'s menus`, async ({ page }) => {
    await loginAs(page, role)
    await page.locator(sel(HOME_SECTION[role])).waitFor()
    const names = await menuNames(page)
    const expected = MENU_OF[role]
    for (const name of expected) assert.ok(names.includes(name), `${role} sees ${name}`)
    for (const name of Object.keys(MENU).filter((n) => !expected.includes(n))) {
      assert.ok(!names.includes(name), `${role} does not see ${name}`)
    }
    // The labels are Chinese and visible.
    const text = await page.locator(sel('side-menu')).innerText()
    for (const name of expected) assert.ok(text.includes(MENU[name]), `menu shows ${MENU[name]}`)
    for (const name of Object.keys(MENU).filter((n) => !expected.includes(n))) {
      assert.ok(!text.includes(MENU[name]), `menu hides ${MENU[name]}`)
    }
    assert.equal(await page.locator(sel('user-role')).first().innerText(), ROLE_LABEL[role])

    if (role === 'member') {
      // The home names its unit (never its internal id).
      assert.match(await page.locator(sel('home-unit-link')).innerText(), /长沙经济技术开发区/)
      // A page outside the member's permissions shows the 403 page.
      await page.goto('/admin/users')
      await page.locator(sel('forbidden')).waitFor()
      assert.match(await page.locator(sel('forbidden')).innerText(), /没有权限/)
    }
    if (role === 'leader') {
      // ECharts is loaded only when the chart has data; until then, an empty state.
      await page.locator(`${sel('echart')} canvas, ${sel('chart-empty')}`).first().waitFor()
    }
    if (role === 'staff') {
      // The reports (统计报表) from the menu.
      await page.locator('[data-menu="reports"]').click()
      await page.locator(sel('reports-page')).waitFor()
      await page.locator('[data-menu="home"]').click()
      await page.locator(sel(HOME_SECTION[role])).waitFor()
    }

    // Time to first render of the home page: a fresh load of / with the session cookie.
    await page.goto('/')
    await page.locator(sel(HOME_SECTION[role])).waitFor()
    await page.waitForLoadState('networkidle')
    metrics[role] = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0]
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]
      return {
        ttfb: nav.responseStart,
        domContentLoaded: nav.domContentLoadedEventEnd,
        fcp: fcp ? fcp.startTime : null,
        home: window.__homeAt ?? null,
      }
    })
    await page.screenshot({ path: path.join(SHOTS, `${role}.png`), fullPage: true })
  })
}

test('logout returns to the login page and ends the session', async ({ page }) => {
  await loginAs(page, 'staff')
  await page.locator(sel('logout')).click()
  await waitForPath(page, (u) => u.pathname === '/login', '/login after logout')
  await page.locator(sel('login-notice')).waitFor()
  assert.match(await page.locator(sel('login-notice')).innerText(), /已退出登录/)
  const r = await page.request.get('/api/session')
  assert.equal(r.status(), 401, 'the server-side session is gone')
  await page.goto('/reports')
  await waitForPath(page, (u) => u.pathname === '/login', 'signed-out visit goes to /login')
})

test('admin creates a user (client and server validation), resets, disables; the user logs in', async ({
  page,
  context,
}) => {
  await loginAs(page, 'admin')
  await page.locator('[data-menu="users"]').click()
  await page.locator(`${sel('users-table')} .el-table__row`).first().waitFor()

  await page.screenshot({ path: path.join(SHOTS, 'admin-users.png'), fullPage: true })
  await page.locator(sel('users-create')).click()
  const dialog = page.locator(`${sel('user-dialog')}`)
  await dialog.locator(sel('user-save')).waitFor()
  // Client-side validation first.
  await dialog.locator(sel('user-save')).click()
  await dialog.getByText('请输入姓名').waitFor()
  await dialog.getByText('请至少选择一个角色').waitFor()

  // A taken username passes the client's rules; the server's field error shows under the field.
  const field = (name) => dialog.locator(input(name))
  await field('user-username').fill('staff1')
  await field('user-display-name').fill('新用户 张三')
  await field('user-password').fill('Zhangsan-Pass-2026')
  await field('user-confirm').fill('Zhangsan-Pass-2026')
  await dialog.locator('[data-role="leader"]').click()
  await dialog.locator(sel('user-save')).click()
  // (Wait for the server's text: the client's message for the empty field may still be shown.)
  await dialog
    .locator(`.el-form-item:has(${sel('user-username')}) .el-form-item__error`)
    .filter({ hasText: '用户名已被使用' })
    .waitFor()

  await field('user-username').fill('zhangsan')
  await dialog.locator(sel('user-save')).click()
  await page.locator('.el-message--success').filter({ hasText: '用户已创建' }).waitFor()
  await dialog.waitFor({ state: 'hidden' })

  // Server-side search finds the new row.
  await page.locator(input('users-search')).fill('zhangsan')
  await page.locator(sel('users-search-button')).click()
  await page.locator(`${sel('users-table')} .el-table__row`).filter({ hasText: '新用户 张三' }).waitFor()
  assert.equal(await page.locator(`${sel('users-table')} .el-table__row`).count(), 1)

  // Reset the password.
  await page.locator(sel('password-zhangsan')).click()
  const pw = page.locator(sel('password-dialog'))
  await pw.locator(input('reset-password')).fill('Zhangsan-New-2026')
  await pw.locator(input('reset-confirm')).fill('Zhangsan-New-2026')
  await pw.locator(sel('reset-save')).click()
  await page.locator('.el-message--success').filter({ hasText: '密码已重置' }).waitFor()

  // The new user signs in (another browser context) with the new password.
  const other = await newPage()
  try {
    await other.page.goto('/login')
    await login(other.page, 'zhangsan', 'Zhangsan-New-2026')
    await other.page.locator(sel('home-leader')).waitFor()
    assert.equal(await other.page.locator(sel('user-name')).innerText(), '新用户 张三')
    assert.deepEqual(await menuNames(other.page), MENU_OF.leader)
  } finally {
    await other.context.close()
  }

  // Disable: the user can no longer sign in; enable again.
  await page.locator(sel('toggle-zhangsan')).click()
  await page.locator('.el-message-box .el-button--primary').click()
  await page.locator('.el-message--success').filter({ hasText: '已停用' }).waitFor()
  await page.locator(`${sel('users-table')} .el-table__row`).filter({ hasText: '已停用' }).waitFor()
  const refused = await fetch(`${BASE}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'zhangsan', password: 'Zhangsan-New-2026' }),
  })
  assert.equal(refused.status, 401, 'a disabled user cannot sign in')
  await page.locator(sel('toggle-zhangsan')).click()
  await page.locator('.el-message-box .el-button--primary').click()
  await page.locator('.el-message--success').filter({ hasText: '已启用' }).waitFor()

  // Edit the roles: leader → staff.
  await page.locator(sel('edit-zhangsan')).click()
  await dialog.locator('[data-role="leader"]').click()
  await dialog.locator('[data-role="staff"]').click()
  await dialog.locator(sel('user-save')).click()
  await page.locator('.el-message--success').filter({ hasText: '用户已更新' }).waitFor()
  await page.locator(`${sel('users-table')} .el-table__row`).filter({ hasText: '秘书处' }).waitFor()
  const updated = await page.request.get('/api/users?q=zhangsan')
  assert.deepEqual((await updated.json()).items[0].roles, ['staff'])
})

test('admin cannot disable the last admin: the server message is shown', async ({ page }) => {
  await page.goto('/admin/users')
  await waitForPath(page, (u) => u.pathname === '/login', 'signed-out visit goes to /login')
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/admin/users')
  await login(page, accounts.admin.username, accounts.admin.password)
  await waitForPath(page, (u) => u.pathname === '/admin/users', 'back to /admin/users')
  await page.locator(sel('toggle-admin')).click()
  await page.locator('.el-message-box .el-button--primary').click()
  const error = page.locator('.el-message--error')
  await error.waitFor()
  assert.ok((await error.innerText()).trim().length > 0)
})

test('audit log: filter by actor and verify the chain', async ({ page }) => {
  await loginAs(page, 'admin')
  await page.locator('[data-menu="audit"]').click()
  const rows = page.locator(`${sel('audit-table')} .el-table__row`)
  await rows.first().waitFor()
  await page.locator(input('audit-actor')).fill('member1')
  await page.locator(sel('audit-search')).click()
  await page.waitForFunction(
    () => {
      const cells = [...document.querySelectorAll('[data-test="audit-table"] .el-table__row td:nth-child(3)')]
      return cells.length > 0 && cells.every((c) => c.textContent.trim() === 'member1')
    },
    null,
    { timeout: TIMEOUT },
  )
  // Times are shown as YYYY-MM-DD HH:mm:ss.
  assert.match(await rows.first().locator('td:nth-child(2)').innerText(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  await page.locator(sel('audit-verify')).click()
  const result = page.locator(sel('audit-verify-result'))
  await result.waitFor()
  assert.match(await result.innerText(), /校验通过/)
  await page.screenshot({ path: path.join(SHOTS, 'admin-audit.png'), fullPage: true })
})

test('switch to English and back; the choice survives a reload', async ({ page }) => {
  await page.goto('/login')
  await page.locator(sel('language-switch')).click()
  await page.locator(sel('login-submit')).filter({ hasText: 'Sign in' }).waitFor()
  assert.equal(await page.locator('html').getAttribute('lang'), 'en')
  // The server's messages follow the language (Accept-Language: en).
  await login(page, 'staff1', 'not-the-password-123')
  assert.match(await page.locator(sel('login-error')).innerText(), /Wrong username or password/)
  await page.reload()
  await page.locator(sel('login-submit')).filter({ hasText: 'Sign in' }).waitFor()

  await login(page, accounts.admin.username, accounts.admin.password)
  await page.locator(sel('home')).waitFor()
  const menu = page.locator(sel('side-menu'))
  await menu.getByText('Users').waitFor()
  assert.ok((await menu.innerText()).includes('Audit log'))
  assert.equal(await page.locator(sel('user-role')).first().innerText(), 'Administrator')
  assert.equal(await page.locator(sel('logout')).innerText(), 'Sign out')

  await page.locator(sel('language-switch')).click()
  await menu.getByText('用户管理').waitFor()
  assert.equal(await page.locator(sel('logout')).innerText(), '退出登录')
  await page.reload()
  await page.locator(sel('side-menu')).getByText('用户管理').waitFor()
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN')
})

test('a 401 returns to login and, after signing in, back to the page', async ({ page }) => {
  await loginAs(page, 'admin')
  await page.goto('/admin/users?page_hint=1')
  await page.locator(`${sel('users-table')} .el-table__row`).first().waitFor()

  // Kill the session server-side, behind the page's back.
  const session = await (await page.request.get('/api/session')).json()
  const killed = await page.request.delete('/api/session', {
    headers: { 'X-CSRF-Token': session.csrf_token },
  })
  assert.equal(killed.status(), 204)

  // The next API call of the page gets 401.
  await page.locator(sel('users-search-button')).click()
  await waitForPath(page, (u) => u.pathname === '/login', '/login after the 401')
  const u = new URL(page.url())
  assert.equal(u.searchParams.get('redirect'), '/admin/users?page_hint=1')
  await page.locator(sel('login-notice')).waitFor()
  assert.match(await page.locator(sel('login-notice')).innerText(), /登录已过期/)

  await login(page, accounts.admin.username, accounts.admin.password)
  await waitForPath(page, (u) => u.pathname === '/admin/users', 'back to /admin/users')
  assert.equal(pathOf(page), '/admin/users?page_hint=1')
  await page.locator(`${sel('users-table')} .el-table__row`).first().waitFor()
})

test('a reload keeps the session; unknown paths show the not-found page', async ({ page }) => {
  await loginAs(page, 'leader')
  await page.reload()
  await page.locator(sel('home-leader')).waitFor()
  await page.goto('/no/such/page')
  await page.locator(sel('not-found')).waitFor()
})

// ---------------------------------------------------------------------------------------------
// The membership pages' tests (apply, review, directory, unit, import, certificate), then the
// training pages' (catalogue, sign-up and waitlist, roster, check-in, certificates), then the
// dues pages' (schedule, bill run, payment, receipt, a member's dues), after these;
// then the phone-size flows and the accessibility checks.
await import('./membership.test.mjs')
await import('./training.test.mjs')
// The dues pages' tests (schedule, bill run, payment and receipt, a member's own dues, both sizes).
await import('./dues.test.mjs')
// The meetings and rooms pages' tests (rooms, room calendar and drag, series, meetings, 回执,
// attendance and quorum, resolutions, record, calendar feed; both sizes).
await import('./meetings.test.mjs')
// The exchange visits pages' tests (catalogue, visit with itinerary, application, review,
// documents, rooming, check-in, report, offers and matches; both sizes, axe-core).
await import('./visits.test.mjs')
// The notifications pages' tests (bell and inbox, preferences, the account's e-mail, a password
// reset through a real SMTP sink, the admin's outbox and templates; both sizes, axe-core).
await import('./notifications.test.mjs')
// The reports' and dashboard's tests (each role's figures, drill-down, every report page with its
// filters and downloads, a member refused; both sizes, axe-core).
await import('./reports.test.mjs')
// 个人信息查询与删除 (staff find, export and erase a person's data; both sizes, axe-core).
await import('./privacy.test.mjs')
// 个人信息访问记录 and 个人信息保存期限 (admin), correcting a person, the exports' field choice.
await import('./retention.test.mjs')
// 账号安全 and 安全设置 (two-factor sign-in turned on, used at sign-in, off and reset by an admin;
// the signed-in devices; the security settings; both sizes, axe-core).
await import('./security.test.mjs')
// The phone-size flows with screenshots at both sizes (SHOTS/{desktop,phone}/<page>.png), then
// axe-core on every page of every role at both sizes and the keyboard checks.
await import('./phone.test.mjs')
await import('./a11y.test.mjs')
// 个人信息保护声明 and consent (the forms' consent box, the admin's notice editor, asked again at
// sign-in, /privacy at 390 px) and the required two-factor setup. Last: it publishes a new notice
// version, which every account in its lane is then asked to accept.
await import('./consent.test.mjs')
const { passed, failed } = await run()

const ms = (v) => (v == null ? 'n/a' : `${Math.round(v)} ms`)
const { loginPage, ...homes } = metrics
if (loginPage) {
  console.log(
    `the login page loads ${loginPage.files} script/style files: ` +
      `${Math.round(loginPage.raw / 1024)} KiB raw, ${Math.round(loginPage.gzip / 1024)} KiB gzip -9`,
  )
}
for (const [role, m] of Object.entries(homes)) {
  console.log(
    `first render of the ${role} home page in Chromium: first-contentful-paint ${ms(m.fcp)}, ` +
      `home rendered ${ms(m.home)} (TTFB ${ms(m.ttfb)}, DOMContentLoaded ${ms(m.domContentLoaded)})`,
  )
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
