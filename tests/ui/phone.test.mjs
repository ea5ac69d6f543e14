// The flows that matter on a phone, at 390×844 and at 1280×800: login, apply, directory search,
// a unit page, a member signing someone up for a class, and staff dialogs (full-screen sheets with
// labels above the fields, required fields marked, pickers inside the screen). Every page is
// checked for a horizontal page scroll and for text squeezed to a character per line, and saved as
// a screenshot: SHOTS/{desktop,phone}/<page>.png.
import assert from 'node:assert/strict'
import {
  accounts,
  acceptConsentIfAsked,
  apiSession,
  BASE,
  choose,
  fieldError,
  input,
  layoutProblems,
  login,
  newPage,
  openMenu,
  screenshot,
  sel,
  settle,
  shared,
  test,
  tickConsent,
  toast,
  waitForPath,
} from './harness.mjs'
import { withCheckChar } from '../../web/ui/src/utils/uscc.js'

const RUN = String(Date.now() % 100000).padStart(5, '0')
let serial = 0
const SIZES = ['desktop', 'phone']
const rows = (page, table) => page.locator(`${sel(table)} .el-table__body-wrapper .el-table__row`)

// Screenshot and layout check of the page as it is now.
async function look(page, size, name) {
  await settle(page)
  await screenshot(page, size, name)
  assert.deepEqual(await layoutProblems(page), [], `${name} at ${size}: layout`)
}

// Runs fn(env, size) in a fresh context of each size; a failure names the size.
function bothSizes(name, fn) {
  test(name, async () => {
    for (const size of SIZES) {
      const env = await newPage({ phone: size === 'phone' })
      try {
        await fn(env, size)
        assert.deepEqual(env.problems, [], 'no errors in the page')
      } catch (error) {
        error.message = `[${size}] ${error.message}`
        await screenshot(env.page, size, `failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`).catch(() => {})
        throw error
      } finally {
        await env.context.close()
      }
    }
  })
}

async function signIn(page, role) {
  await page.goto('/login')
  await login(page, accounts[role].username, accounts[role].password)
  await page.locator(sel('home')).waitFor()
}

// Goes to a menu entry the way a user does: on a phone through ☰ and the drawer.
async function viaMenu(page, name) {
  await openMenu(page)
  await page.locator(`${sel('side-menu')} [data-menu="${name}"]`).click()
  if (await page.locator(sel('menu-button')).isVisible()) {
    await page.locator(sel('menu-drawer')).waitFor({ state: 'hidden' })
  }
}

// ---------------------------------------------------------------------------------------------
bothSizes('phone and desktop: login, the shell, the menu in a drawer on a phone', async ({ page }, size) => {
  await page.goto('/login')
  await page.locator(sel('login-submit')).waitFor()
  await look(page, size, 'login')
  await login(page, accounts.staff.username, 'not-the-password-123')
  await page.locator(sel('login-error')).waitFor()
  await login(page, accounts.staff.username, accounts.staff.password)
  await page.locator(sel('home-staff')).waitFor()
  await look(page, size, 'home-staff')

  const header = page.locator('.header')
  const box = await header.boundingBox()
  assert.ok(box.height <= 64, `a one-line header (${box.height} px)`)
  if (size === 'phone') {
    assert.ok(!(await page.locator(sel('side-menu')).isVisible()), 'no menu beside the page on a phone')
    await page.locator(sel('menu-button')).click()
    const drawer = page.locator(sel('menu-drawer'))
    await drawer.locator(sel('side-menu')).waitFor()
    await look(page, size, 'menu-drawer')
    await drawer.locator('[data-menu="members"]').click()
    await waitForPath(page, (u) => u.pathname === '/members', '/members')
    await drawer.waitFor({ state: 'hidden' })
    await viaMenu(page, 'home')
    await page.locator(sel('home-staff')).waitFor()
    await openMenu(page)
    await drawer.locator(sel('logout')).click()
  } else {
    assert.ok(await page.locator(sel('side-menu')).isVisible())
    assert.equal(await page.locator(sel('menu-button')).count(), 0)
    await page.locator(sel('logout')).click()
  }
  await waitForPath(page, (u) => u.pathname === '/login', 'signed out')
})

bothSizes('phone and desktop: apply, errors under their fields, required fields marked', async ({ page }, size) => {
  await page.goto('/apply')
  const form = page.locator(sel('apply-form'))
  await form.waitFor()
  // The asterisk of a required field shows before any submit.
  assert.ok((await form.locator('.el-form-item.is-required').count()) >= 5, 'required fields are marked')
  await look(page, size, 'apply')
  await page.locator(sel('apply-submit')).click()
  const error = fieldError(form, 'apply-org-name').filter({ hasText: '请填写单位名称' })
  await error.waitFor()
  // Under its own field, on a phone too (labels above the fields there).
  const field = await page.locator(input('apply-org-name')).boundingBox()
  const under = await error.boundingBox()
  assert.ok(under.y >= field.y + field.height - 1, 'the error is under the field')
  assert.ok(Math.abs(under.x - field.x) < 24, 'the error is aligned with its field')
  if (size === 'phone') {
    const label = await form.locator('.el-form-item:has([data-test="apply-org-name"]) .el-form-item__label').boundingBox()
    assert.ok(label.y + label.height <= field.y + 1, 'the label is above the field')
    const item = await form.locator('.el-form-item:has([data-test="apply-org-name"]) .el-form-item__content').boundingBox()
    const box = await form.locator('.el-form-item:has([data-test="apply-org-name"]) .el-input').boundingBox()
    assert.ok(box.width >= item.width - 1, `the field is full width (${box.width} of ${item.width} px)`)
    assert.ok(item.width >= 0.7 * page.viewportSize().width, `the form uses the screen's width (${item.width} px)`)
  }
  await look(page, size, 'apply-errors')
  // (Applying through the form is the membership tests' on a desktop; here on a phone only: the
  // server takes five applications an hour from one address.)
  if (size !== 'phone') return

  serial += 1
  const username = `ph${size[0]}${RUN}`
  const password = `Phone-Pass-${RUN}-x`
  await page.locator(input('apply-org-name')).fill(`手机测试产业园${size}${RUN}`)
  await page.locator(input('apply-uscc')).fill(withCheckChar(`9143010${serial}MA4L${RUN}`))
  await choose(page, 'apply-type', '产业园区')
  await page.locator(`${sel('apply-level')} [data-value="provincial"]`).click()
  await choose(page, 'apply-city', '长沙市')
  await page.locator(input('apply-contact-name')).fill('钱手机')
  await page.locator(input('apply-mobile')).fill(`137${RUN}${String(serial).padStart(3, '0')}`)
  await page.locator(input('apply-email')).fill(`ph${size}${RUN}@example.cn`)
  await page.locator(input('apply-username')).fill(username)
  await page.locator(input('apply-password')).fill(password)
  await page.locator(input('apply-confirm')).fill(password)
  await tickConsent(page.locator(sel('apply-form')))
  await page.locator(sel('apply-submit')).click()
  await page.locator(sel('apply-done')).waitFor()
  await look(page, size, 'apply-done')
  // The applicant's own home page.
  await page.locator(sel('apply-go-login')).click()
  await login(page, username, password)
  await page.locator(sel('home-applicant')).waitFor()
  await acceptConsentIfAsked(page)
  shared.applicant = { username, password }
  await look(page, size, 'home-applicant')
})

bothSizes('phone and desktop: directory search, a row opens the unit page', async ({ page }, size) => {
  await signIn(page, 'member')
  await look(page, size, 'home-member')
  await viaMenu(page, 'members')
  await rows(page, 'members-table').first().waitFor()
  await page.locator(input('members-q')).fill('长沙')
  await page.locator(sel('members-search')).click()
  await waitForPath(page, (u) => u.searchParams.get('q') === '长沙', 'the search in the address')
  const first = rows(page, 'members-table').filter({ hasText: '长沙' }).first()
  await first.waitFor()
  await look(page, size, 'members')
  const columns = await page.locator(`${sel('members-table')} .el-table__header-wrapper th`).count()
  if (size === 'phone') {
    assert.ok(columns <= 2, `key columns only on a phone (${columns})`)
    // A tap anywhere on the row opens the unit (not only its name).
    await first.locator('td').first().click({ position: { x: 8, y: 8 } })
  } else {
    assert.ok(columns >= 5, `every column on a desktop (${columns})`)
    await first.locator('[data-test^="member-link-"]').click()
  }
  await waitForPath(page, (u) => /^\/members\/\d+$/.test(u.pathname), 'a unit page')
  await page.locator(sel('member-name')).waitFor()
  await look(page, size, 'member-public')

  // Its own unit: details, contacts, the edit dialog as a full-screen sheet on a phone.
  await viaMenu(page, 'ownUnit')
  await waitForPath(page, (u) => u.pathname === '/members/1', '/members/1')
  await rows(page, 'contacts-table').first().waitFor()
  await look(page, size, 'member-own')
  await page.locator(sel('member-edit')).click()
  const dialog = page.locator(`${sel('member-edit-dialog')}`)
  await dialog.locator(input('edit-short-name')).waitFor()
  const sheet = page.locator('.el-dialog:visible')
  assert.equal(await sheet.evaluate((e) => e.classList.contains('is-fullscreen')), size === 'phone', 'full screen on a phone only')
  assert.ok((await sheet.locator('.el-form-item.is-required').count()) >= 1, 'required fields marked')
  await look(page, size, 'member-edit-dialog')
  await page.keyboard.press('Escape')
})

bothSizes('phone and desktop: a member signs an attendee up for a class', async ({ page }, size) => {
  const staff = await apiSession(accounts.staff.username, accounts.staff.password)
  const course = await staff.post('/api/courses', { title: `手机报名课程${size}${RUN}`, description: '', topics: [] })
  assert.equal(course.status, 201, course.text)
  const day = (d) => new Date(Date.now() + 8 * 3600e3 + d * 86400e3).toISOString().slice(0, 10)
  const cls = await staff.post(`/api/courses/${course.json.id}/classes`, {
    venue: '长沙市岳麓区协会培训中心',
    starts_at: `${day(30)}T09:00:00+08:00`,
    ends_at: `${day(31)}T17:00:00+08:00`,
    signup_deadline: day(29),
    capacity: 10,
    per_member_quota: null,
    fee_fen: 0,
    min_attendance_percent: 80,
    status: 'open',
  })
  assert.equal(cls.status, 201, cls.text)
  const id = cls.json.id

  await signIn(page, 'member')
  await viaMenu(page, 'training')
  const card = page.locator(`${sel('course-card')}[data-course="${course.json.title}"]`)
  await card.waitFor()
  await look(page, size, 'training')
  await card.locator(sel(`class-open-${id}`)).click()
  await waitForPath(page, (u) => u.pathname === `/training/classes/${id}`, 'the class page')
  const form = page.locator(sel('signup-form'))
  await form.waitFor()
  await look(page, size, 'training-class')
  const name = `手机${size === 'phone' ? '甲' : '乙'}${RUN}`
  await form.locator(input('signup-name')).fill(name)
  await form.locator(input('signup-mobile')).fill('1381234')
  await form.locator(sel('signup-submit')).click()
  await fieldError(form, 'signup-mobile').filter({ hasText: '11 位手机号码' }).waitFor()
  await form.locator(input('signup-mobile')).fill(`136${RUN}${size === 'phone' ? '001' : '002'}`)
  await tickConsent(form)
  await form.locator(sel('signup-submit')).click()
  await toast(page, `报名成功：${name} 已确认名额`)

  await page.goto('/training/mine')
  await rows(page, 'mine-table').filter({ hasText: name }).waitFor()
  await look(page, size, 'training-mine')
})

bothSizes('phone and desktop: staff dialogs are sheets on a phone; the date picker fits', async ({ page }, size) => {
  await signIn(page, 'staff')
  await page.goto('/members/1')
  await page.locator(sel('member-change-tier')).click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.locator(sel('tier-reason')).waitFor()
  assert.equal(await dialog.evaluate((e) => e.classList.contains('is-fullscreen')), size === 'phone')
  // Required fields are marked before submitting; a submit without a reason says so under it.
  assert.ok((await dialog.locator('.el-form-item.is-required').count()) >= 2)
  await dialog.locator(sel('tier-save')).click()
  await fieldError(dialog, 'tier-reason').filter({ hasText: '原因' }).waitFor()
  // The date picker's panel lies inside the screen.
  // (The picker hands its data-test to its pop-up panel.)
  await dialog.locator('.el-date-editor input').first().click()
  const panel = page.locator('.el-picker-panel:visible')
  await panel.waitFor()
  const box = await panel.boundingBox()
  const width = page.viewportSize().width
  assert.ok(box.x >= 0 && box.x + box.width <= width + 1, `the picker fits (${box.x}+${box.width} of ${width})`)
  await screenshot(page, size, 'member-tier-dialog-picker')
  await page.keyboard.press('Escape')

  await page.goto('/training')
  await page.locator(sel('course-create')).click()
  const course = page.locator('.el-dialog:visible')
  await course.locator(input('course-title')).waitFor()
  assert.equal(await course.evaluate((e) => e.classList.contains('is-fullscreen')), size === 'phone')
  await look(page, size, 'course-dialog')
  await page.keyboard.press('Escape')

  await page.goto('/applications')
  await rows(page, 'applications-table').first().waitFor()
  await look(page, size, 'applications')
  await page.goto('/members/import')
  await look(page, size, 'members-import')
})

bothSizes('phone and desktop: admin users list and its dialog', async ({ page }, size) => {
  await signIn(page, 'admin')
  await viaMenu(page, 'users')
  await rows(page, 'users-table').first().waitFor()
  await look(page, size, 'users')
  await page.locator(sel('users-create')).click()
  const dialog = page.locator('.el-dialog:visible')
  await dialog.locator(input('user-username')).waitFor()
  assert.equal(await dialog.evaluate((e) => e.classList.contains('is-fullscreen')), size === 'phone')
  assert.ok((await dialog.locator('.el-form-item.is-required').count()) >= 4, 'required fields marked')
  await dialog.locator(sel('user-save')).click()
  await fieldError(dialog, 'user-username').first().waitFor()
  await look(page, size, 'user-dialog')
  if (size === 'desktop') {
    // A member account's unit is picked by name (an admin sees public fields, so no number in
    // the picker) and listed by number and name, never by id.
    await dialog.locator(input('user-username')).fill('changsha.liaison')
    await dialog.locator(input('user-display-name')).fill('长沙经开区 联络员')
    await dialog.locator(input('user-password')).fill('Liaison-Pass-2026')
    await dialog.locator(input('user-confirm')).fill('Liaison-Pass-2026')
    await dialog.locator('[data-role="member"]').click()
    await dialog.locator(input('user-member-id')).fill('长沙经济技术')
    await page
      .locator('.el-select-dropdown__item:visible')
      .filter({ hasText: /^\s*(XH\d{4} )?长沙经济技术开发区\s*$/ })
      .first()
      .click()
    await dialog.locator(sel('user-save')).click()
    await page.locator('.el-dialog:visible').waitFor({ state: 'hidden' })
    await page.locator(input('users-search')).fill('changsha.liaison')
    await page.locator(sel('users-search-button')).click()
    const unit = page.locator(sel('user-unit')).filter({ hasText: '长沙经济技术开发区' })
    await unit.first().waitFor()
    assert.match(await unit.first().innerText(), /^XH\d{4} 长沙经济技术开发区$/)
  } else {
    await page.keyboard.press('Escape')
  }
  void BASE
})
