// Browser tests of the training pages: staff create a course and a class through the dialogs; a
// member signs people up (confirmed, then waitlisted), cancels, and sees the waitlisted place
// confirmed; staff see the roster in waitlist order, are refused a seat count below the confirmed
// sign-ups, download the roster, check an attendee in by the pass's QR link, finish the class and
// issue certificates, which anyone can verify signed out. At phone size (390×844): staff check in
// from the QR page (a day outside the class needs a reason) and undo it; the pass link a unit
// sends opens the public pass page signed out. Registered with the harness; run by
// ui.test.mjs (tests/ui/run.sh) against a server started with --demo, whose account changsha
// represents unit 1 (长沙经济技术开发区).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  acceptConsentIfAsked,
  apiSession,
  accounts,
  choose,
  fieldError,
  input,
  login,
  loginAs,
  menuNames,
  newPage,
  noticeVersion,
  pathOf,
  sel,
  screenshot,
  test,
  tickConsent,
  toast,
  waitForPath,
} from './harness.mjs'

// The demo's member account (services/demo/demo_seed.cpp).
const MEMBER = { username: 'changsha', password: 'Demo-Member-2026' }
// Unique per run, so the tests can also be re-run against a long-lived server.
const RUN = String(Date.now() % 100000).padStart(5, '0')
let serial = 0
const mobile = () => `139${RUN}${String(++serial).padStart(3, '0')}`

// A date `days` from today in Asia/Shanghai, YYYY-MM-DD.
function shanghaiDate(days) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000)
  return d.toISOString().slice(0, 10)
}

const rows = (page, table) => page.locator(`${sel(table)} .el-table__body-wrapper .el-table__row`)
const rowOf = (page, table, text) => rows(page, table).filter({ hasText: text })

const staffApi = () => apiSession(accounts.staff.username, accounts.staff.password)
const memberApi = () => apiSession(MEMBER.username, MEMBER.password)

// A course and an open class through the API: {course, cls}.
async function openClass(staff, { capacity = 2, days = 1, minAttendance = 80, title = '' } = {}) {
  serial += 1
  const course = await staff.post('/api/courses', {
    title: title || `界面测试课程${RUN}-${serial}`,
    description: '浏览器测试建立的课程',
    topics: ['测试'],
  })
  assert.equal(course.status, 201, course.text)
  const start = shanghaiDate(40)
  const cls = await staff.post(`/api/courses/${course.json.id}/classes`, {
    venue: '长沙市岳麓区协会培训中心',
    starts_at: `${start}T09:00:00+08:00`,
    ends_at: `${shanghaiDate(40 + days - 1)}T17:00:00+08:00`,
    signup_deadline: shanghaiDate(39),
    capacity,
    per_member_quota: null,
    fee_fen: 50000,
    min_attendance_percent: minAttendance,
    status: 'open',
  })
  assert.equal(cls.status, 201, cls.text)
  return { course: course.json, cls: cls.json }
}

async function signInMember(page) {
  await page.goto('/login')
  await login(page, MEMBER.username, MEMBER.password)
  await page.locator(sel('home')).waitFor()
  await acceptConsentIfAsked(page)
}

// Fills and sends the sign-up form on a class page.
async function signUp(page, { name, title = '', phone }) {
  const form = page.locator(sel('signup-form'))
  await form.locator(input('signup-name')).fill(name)
  await form.locator(input('signup-title')).fill(title)
  await form.locator(input('signup-mobile')).fill(phone)
  // Each sign-up confirms its attendee was told of the privacy notice (unticked after each).
  await tickConsent(form)
  await form.locator(sel('signup-submit')).click()
}

// Types a Shanghai wall time into an Element Plus date-time picker (in a dialog), closes its panel.
async function pickTime(page, name, text) {
  const field = page.locator(input(name))
  await field.click()
  await field.fill(text)
  await field.press('Enter')
  // A click beside it closes the panel (Escape would close the dialog too).
  await page.locator('.el-dialog__title:visible').click()
  await page.locator('.el-picker-panel:visible').waitFor({ state: 'hidden' })
}

// What the tests pass to one another when run in order; each test also works on its own.
const shared = {}

// ---------------------------------------------------------------------------------------------
test('staff create a course and an open class through the dialogs', async ({ page }) => {
  const title = `界面测试招商实务${RUN}`
  await loginAs(page, 'staff')
  await page.locator('[data-menu="training"]').click()
  await page.locator(sel('training-page')).waitFor()

  // A new course: the title is required.
  await page.locator(sel('course-create')).click()
  const courseDialog = page.locator(sel('course-dialog'))
  await courseDialog.locator(sel('course-save')).click()
  await fieldError(courseDialog, 'course-title').filter({ hasText: '请填写课程名称' }).waitFor()
  await courseDialog.locator(input('course-title')).fill(title)
  await courseDialog.locator(input('course-description')).fill('招商引资政策与实务，案例研讨。')
  await courseDialog.locator(input('course-topics')).fill('招商引资、营商环境')
  await courseDialog.locator(sel('course-save')).click()
  await toast(page, '课程已保存')
  const card = page.locator(`${sel('course-card')}[data-course="${title}"]`)
  await card.waitFor()
  assert.match(await card.innerText(), /招商引资[\s\S]*营商环境/)

  // A class of it: required fields first, then dates typed as Shanghai wall time.
  await card.locator(sel('class-create')).click()
  const dialog = page.locator(sel('class-dialog'))
  await dialog.locator(sel('class-save')).click()
  await fieldError(dialog, 'class-venue').filter({ hasText: '请填写培训地点' }).waitFor()
  await fieldError(dialog, 'class-starts-at').filter({ hasText: '请选择开始时间' }).waitFor()
  const start = shanghaiDate(30)
  await dialog.locator(input('class-venue')).fill('长沙市开福区协会会议室')
  await pickTime(page, 'class-starts-at', `${start} 09:00`)
  await pickTime(page, 'class-ends-at', `${start} 17:30`)
  await pickTime(page, 'class-deadline', `${shanghaiDate(25)} 18:00`)
  await dialog.locator(input('class-capacity')).fill('2')
  await dialog.locator(input('class-fee')).fill('800')
  await dialog.locator(`${sel('class-status')} [data-value="open"]`).click()
  await dialog.locator(sel('class-save')).click()
  await toast(page, '班次已保存')

  // The new class's page: its facts as entered.
  await waitForPath(page, (u) => /^\/training\/classes\/\d+$/.test(u.pathname), 'the class page')
  const classId = Number(new URL(page.url()).pathname.split('/').pop())
  assert.equal(await page.locator(sel('class-course')).innerText(), title)
  assert.equal(await page.locator(sel('class-status-tag')).getAttribute('data-status'), 'open')
  assert.equal(await page.locator(sel('class-fact-period')).innerText(), `${start} 09:00–17:30`)
  assert.equal(await page.locator(sel('class-fact-fee')).innerText(), '¥800.00')
  assert.equal(await page.locator(sel('class-seats')).innerText(), '共 2 人，已确认 0 人，余 2 个')
  const saved = await (await staffApi()).get(`/api/classes/${classId}`)
  assert.equal(saved.json.starts_at, `${start}T09:00:00+08:00`)
  assert.equal(saved.json.ends_at, `${start}T17:30:00+08:00`)
  assert.equal(saved.json.signup_deadline, `${shanghaiDate(25)}T18:00:00+08:00`)
  assert.equal(saved.json.fee_fen, 80000)
  assert.equal(saved.json.capacity, 2)
  shared.classId = classId
  shared.courseTitle = title
})

test('a member signs up two (confirmed), a third is waitlisted; a cancellation promotes it', async ({ page }) => {
  let classId = shared.classId
  let title = shared.courseTitle
  if (!classId) {
    const made = await openClass(await staffApi(), { capacity: 2 })
    classId = made.cls.id
    title = made.course.title
  }
  await signInMember(page)
  const session = await (await memberApi()).get('/api/session')
  const unit = session.json.user.member_id
  assert.ok(unit, 'the demo member account has a unit')

  // From the catalogue to the class.
  await page.locator('[data-menu="training"]').click()
  const card = page.locator(`${sel('course-card')}[data-course="${title}"]`)
  await card.locator(sel(`class-open-${classId}`)).click()
  await waitForPath(page, (u) => u.pathname === `/training/classes/${classId}`, 'the class page')
  await page.locator(sel('signup-unit')).filter({ hasText: '长沙经济技术开发区' }).waitFor()

  // Client-side check of the mobile number, then two confirmed places.
  const form = page.locator(sel('signup-form'))
  await signUp(page, { name: '测甲', phone: '1381234' })
  await fieldError(form, 'signup-mobile').filter({ hasText: '11 位手机号码' }).waitFor()
  const first = mobile()
  await signUp(page, { name: `甲${RUN}`, title: '招商局局长', phone: first })
  await toast(page, `报名成功：甲${RUN} 已确认名额`)
  await signUp(page, { name: `乙${RUN}`, phone: mobile() })
  await toast(page, `报名成功：乙${RUN} 已确认名额`)
  // The same mobile twice: the server's message under the field.
  await signUp(page, { name: '重复', phone: first })
  await fieldError(form, 'signup-mobile').filter({ hasText: '该手机号已报名本班次' }).waitFor()

  // The class is full now: the third is waitlisted, first in line.
  await page.locator(sel('signup-full')).waitFor()
  await signUp(page, { name: `丙${RUN}`, phone: mobile() })
  await toast(page, `丙${RUN} 已列入候补第 1 位`, 'warning')
  const third = rowOf(page, 'roster-table', `丙${RUN}`)
  await third.getByText('候补第 1 位').waitFor()
  assert.equal(await rows(page, 'roster-table').count(), 3)
  for (const who of ['甲', '乙']) {
    await rowOf(page, 'roster-table', `${who}${RUN}`).getByText('已确认').waitFor()
  }
  assert.equal(await page.locator(sel('class-seats')).innerText(), '共 2 人，已确认 2 人，余 0 个')
  assert.equal(await page.locator(sel('class-waitlisted')).innerText(), '候补 1 人')

  // 本单位报名: the three, the pass of a confirmed one, then cancel one confirmed place.
  await page.locator('[data-menu="training"]').click()
  await page.locator(`${sel('training-tabs')} .el-tabs__item`).filter({ hasText: '本单位报名' }).click()
  await waitForPath(page, (u) => u.pathname === '/training/mine', '/training/mine')
  const mine = (who) => rowOf(page, 'mine-table', `${who}${RUN}`)
  await mine('丙').getByText('候补第 1 位').waitFor()
  assert.equal(await mine('丙').locator('[data-test^="mine-promoted-"]').count(), 0)
  assert.equal(await mine('丙').locator('[data-test^="mine-pass-"]').count(), 0, 'no pass while waitlisted')

  await mine('乙').locator('[data-test^="mine-pass-"]').click()
  const pass = page.locator(sel('pass-dialog'))
  await pass.locator(`${sel('pass-qr')} svg`).waitFor()
  assert.equal(await pass.locator(sel('pass-name')).innerText(), `乙${RUN}`)
  // What the unit sends: the public pass page, not the staff check-in URL.
  const passLink = await pass.locator(input('pass-link')).inputValue()
  assert.match(passLink, /\/pass\/[A-Za-z0-9_-]+$/)
  const wechat = await pass.locator(input('pass-message')).inputValue()
  assert.ok(wechat.startsWith(`【湖南省开发区协会】乙${RUN}，您已报名《`), wechat)
  assert.ok(wechat.endsWith(`入场时请出示二维码：${passLink}`), wechat)
  await page.keyboard.press('Escape')
  await pass.locator('.el-dialog').waitFor({ state: 'hidden' })

  await mine('甲').locator('[data-test^="mine-cancel-"]').click()
  await page.locator('.el-message-box .el-button--primary').click()
  await toast(page, `已取消 甲${RUN} 的报名`)
  // The waitlisted one now holds the freed seat, marked as promoted.
  const promoted = mine('丙')
  await promoted.getByText('已由候补转正').waitFor()
  assert.equal(await promoted.locator('[data-status]').first().getAttribute('data-status'), 'confirmed')
  assert.equal(await mine('甲').count(), 0, 'cancelled sign-ups are hidden by default')
  await page.locator(sel('mine-show-cancelled')).click()
  await mine('甲').getByText('已取消').waitFor()

  const after = await (await memberApi()).get(`/api/classes/${classId}`)
  assert.equal(after.json.confirmed, 2)
  assert.equal(after.json.waitlisted, 0)
})

test('staff: roster in waitlist order, a seat count below the confirmed is refused, more seats promote; xlsx roster', async ({
  page,
}) => {
  const staff = await staffApi()
  const { cls } = await openClass(staff, { capacity: 2 })
  for (const name of ['一号', '二号', '三号', '四号']) {
    const r = await staff.post(`/api/classes/${cls.id}/enrollments`, {
      member_id: null,
      org_name: `非会员测试单位${RUN}`,
      attendee: { name: `${name}${RUN}`, title: '', mobile: mobile() },
      consent_version: await noticeVersion(),
    })
    assert.equal(r.status, 201, r.text)
  }

  await loginAs(page, 'staff')
  await page.goto(`/training/classes/${cls.id}`)
  const roster = rows(page, 'roster-table')
  await roster.nth(3).waitFor()
  const order = await roster.evaluateAll((trs) => trs.map((tr) => tr.innerText))
  assert.match(order[0], new RegExp(`已确认[\\s\\S]*非会员测试单位${RUN}[\\s\\S]*一号${RUN}`))
  assert.match(order[1], new RegExp(`已确认[\\s\\S]*二号${RUN}`))
  assert.match(order[2], new RegExp(`候补第 1 位[\\s\\S]*三号${RUN}`))
  assert.match(order[3], new RegExp(`候补第 2 位[\\s\\S]*四号${RUN}`))

  // Fewer seats than confirmed sign-ups: the server refuses, its message is shown.
  await page.locator(sel('class-capacity')).click()
  const dialog = page.locator(sel('capacity-dialog'))
  await dialog.locator(input('capacity-new')).fill('1')
  await dialog.locator(sel('capacity-save')).click()
  const refused = dialog.locator(sel('capacity-error'))
  await refused.waitFor()
  const server = await staff.patch(`/api/classes/${cls.id}`, { capacity: 1 })
  assert.equal(server.status, 409)
  assert.equal((await refused.innerText()).trim(), server.json.message)
  assert.match(server.json.message, /名额不能少于已确认的 2 人/)

  // One more seat: the first waitlisted is confirmed, marked as promoted; the second moves up.
  await dialog.locator(input('capacity-new')).fill('3')
  await dialog.locator(sel('capacity-save')).click()
  await toast(page, '1 位候补已转正')
  await rowOf(page, 'roster-table', `三号${RUN}`).getByText('已由候补转正').waitFor()
  await rowOf(page, 'roster-table', `四号${RUN}`).getByText('候补第 1 位').waitFor()
  assert.equal(await page.locator(sel('class-seats')).innerText(), '共 3 人，已确认 3 人，余 0 个')

  // The roster as xlsx (a zip: "PK"), through the dialog asking for mobiles and e-mails.
  await page.locator(sel('roster-export')).click()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`${sel('export-dialog')} ${sel('export-download')}`).click(),
  ])
  assert.equal(download.suggestedFilename(), '培训名单.xlsx')
  const bytes = readFileSync(await download.path())
  assert.equal(bytes.subarray(0, 2).toString(), 'PK')
})

test('check-in by the pass QR link, attendance sheet, finishing, certificates and their public check', async ({
  page,
}) => {
  const staff = await staffApi()
  const member = await memberApi()
  const unit = (await member.get('/api/session')).json.user.member_id
  // One day (two half days); half of them is enough for the certificate.
  const { cls, course } = await openClass(staff, { capacity: 5, minAttendance: 50 })
  const other = await openClass(staff, { capacity: 5 })
  const signed = await member.post(`/api/classes/${cls.id}/enrollments`, {
    member_id: unit,
    attendee: { name: `丁${RUN}`, title: '办公室主任', mobile: mobile(), lodging: 'shared' },
    consent_version: await noticeVersion(),
  })
  assert.equal(signed.status, 201, signed.text)
  const pass = await member.get(`/api/enrollments/${signed.json.id}/pass`)
  assert.equal(pass.status, 200, pass.text)
  const link = new URL(pass.json.check_in_url)
  assert.equal(link.pathname, `/check-in/${cls.id}/${pass.json.token}`)

  // Scanning while signed out: sign in as staff, then back to the check-in page.
  await page.goto(link.pathname)
  await waitForPath(page, (u) => u.pathname === '/login', 'the login page first')
  await login(page, accounts.staff.username, accounts.staff.password)
  await waitForPath(page, (u) => u.pathname === link.pathname, 'back to the check-in page')
  await page.locator(sel('checkin-name')).filter({ hasText: `丁${RUN}` }).waitFor()
  assert.match(await page.locator(sel('checkin-attendee')).innerText(), /长沙经济技术开发区[\s\S]*办公室主任/)
  // Today is not a day of the class (it starts in 40 days): refused; the class's morning is fine.
  assert.equal(await page.locator(sel('checkin-half')).getAttribute('data-outside'), 'true')
  await page.locator(sel('checkin-submit')).click()
  await page.locator(sel('checkin-refused')).filter({ hasText: '不在培训日期内' }).waitFor()
  await choose(page, 'checkin-slot', `${shanghaiDate(40)} 上午`)
  await page.locator(sel('checkin-refused')).waitFor({ state: 'hidden' })
  await page.locator(sel('checkin-submit')).click()
  const result = page.locator(sel('checkin-result'))
  await result.waitFor()
  assert.equal(await result.getAttribute('data-new'), 'true')
  assert.match(await result.innerText(), /签到成功/)
  // Scanned twice: recorded once.
  await page.locator(sel('checkin-submit')).click()
  await page.locator(`${sel('checkin-result')}[data-new="false"]`).waitFor()
  assert.match(await page.locator(sel('checkin-result')).innerText(), /此前已签到/)

  // The same pass at another class's door is refused.
  await page.goto(`/check-in/${other.cls.id}/${pass.json.token}`)
  await page.locator(sel('checkin-unknown')).waitFor()
  await page.locator(sel('checkin-submit')).click()
  await page.locator(sel('checkin-error')).filter({ hasText: '该签到码不属于本班次' }).waitFor()

  // The attendance sheet: the morning is recorded; the afternoon by hand.
  await page.goto(`/training/classes/${cls.id}/attendance`)
  const id = signed.json.id
  await page.locator(sel(`present-${id}-0`)).waitFor()
  assert.equal(await page.locator(sel(`meets-${id}`)).getAttribute('data-meets'), 'true')
  await page.locator(sel(`mark-${id}-1`)).click()
  await toast(page, `丁${RUN} 已签到`)
  await page.locator(sel(`present-${id}-1`)).waitFor()

  // Finish the class, issue the certificates.
  await page.goto(`/training/classes/${cls.id}`)
  assert.equal(await page.locator(sel('issue-certificates')).count(), 0, 'no certificates before the end')
  await page.locator(sel('class-change-status')).click()
  await page.locator(`${sel('class-status-finished')}:visible`).click()
  await page.locator('.el-message-box .el-button--primary').click()
  await toast(page, '班次状态已改为“已结业”')
  await page.locator(sel('issue-certificates')).click()
  await toast(page, '已发放 1 张结业证书')
  await page.locator(sel(`certificate-${id}`)).click()

  // The certificate: number, QR code, verification address.
  await waitForPath(page, (u) => u.pathname === `/training/enrollments/${id}/certificate`, 'the certificate')
  const number = page.locator(sel('training-certificate-number'))
  await number.waitFor()
  assert.match(await number.innerText(), new RegExp(`^PX\\d{4}${String(cls.id).padStart(4, '0')}-\\d{3}$`))
  assert.match(await page.locator(sel('training-certificate-body')).innerText(), new RegExp(`丁${RUN}[\\s\\S]*${course.title}`))
  await page.locator(`${sel('training-certificate-qr')} svg`).waitFor()
  const verifyUrl = new URL(await page.locator(sel('training-certificate-verify-url')).innerText())
  assert.match(verifyUrl.pathname, /^\/verify-training\/[A-Za-z0-9_-]+$/)

  // Anyone checks it, signed out; a made-up code is not found.
  const visitor = await newPage()
  try {
    await visitor.page.goto(verifyUrl.pathname)
    await visitor.page.locator(`${sel('training-verify-page')}[data-state="genuine"]`).waitFor()
    assert.equal(await visitor.page.locator(sel('training-verify-name')).innerText(), `丁${RUN}`)
    assert.equal(await visitor.page.locator(sel('training-verify-course')).innerText(), course.title)
    assert.equal(await visitor.page.locator(sel('training-verify-number')).innerText(), await number.innerText())
    assert.doesNotMatch(await visitor.page.locator(sel('training-verify-details')).innerText(), /长沙经济技术开发区/)
    await visitor.page.goto('/verify-training/NoSuchCertificateCode0000000000')
    await visitor.page.locator(`${sel('training-verify-page')}[data-state="not-found"]`).waitFor()
  } finally {
    await visitor.context.close()
  }
})

// A confirmed place signed up by the demo member through the API: {cls, course, enrollment, pass}.
async function confirmedPlace(name) {
  const staff = await staffApi()
  const member = await memberApi()
  const unit = (await member.get('/api/session')).json.user.member_id
  const { cls, course } = await openClass(staff, { capacity: 5 })
  const signed = await member.post(`/api/classes/${cls.id}/enrollments`, {
    member_id: unit,
    attendee: { name, title: '招商科科长', mobile: mobile() },
    consent_version: await noticeVersion(),
  })
  assert.equal(signed.status, 201, signed.text)
  const pass = await member.get(`/api/enrollments/${signed.json.id}/pass`)
  assert.equal(pass.status, 200, pass.text)
  return { staff, cls, course, enrollment: signed.json, pass: pass.json }
}

test('staff check in from the QR page at 390×844: a day outside the class needs a reason; undo', async ({ page }) => {
  const { staff, cls, enrollment, pass } = await confirmedPlace(`戊${RUN}`)
  await page.setViewportSize({ width: 390, height: 844 })
  await loginAs(page, 'staff')
  await page.goto(new URL(pass.check_in_url).pathname)
  await page.locator(sel('checkin-name')).filter({ hasText: `戊${RUN}` }).waitFor()
  assert.equal(await page.locator(sel('checkin-unit')).innerText(), '长沙经济技术开发区')
  const button = await page.locator(sel('checkin-submit')).boundingBox()
  assert.ok(button.width >= 300, `the 签到 button spans the phone's width (${button.width} px)`)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px too wide)`)

  // Today is outside the class's dates: the server's refusal, then an override with a reason.
  await page.locator(sel('checkin-submit')).click()
  const refused = page.locator(sel('checkin-refused'))
  await refused.filter({ hasText: '不在培训日期内' }).waitFor()
  await refused.locator(sel('checkin-override-submit')).click()
  await fieldError(refused, 'checkin-override-reason').filter({ hasText: '请填写原因' }).waitFor()
  await refused.locator(input('checkin-override-reason')).fill('学员因公提前报到，经秘书处同意')
  await refused.locator(sel('checkin-override-submit')).click()
  await page.locator(`${sel('checkin-result')}[data-new="true"]`).waitFor()
  await screenshot(page, 'phone', 'check-in')

  // Undo within the five minutes: the check-in is gone (checking in again is new again).
  await page.locator(sel('checkin-undo-left')).filter({ hasText: /^[45]:\d\d 内可撤销$/ }).waitFor()
  await page.locator(sel('checkin-undo')).click()
  await toast(page, `已撤销 戊${RUN} 的签到`)
  await page.locator(sel('checkin-result')).waitFor({ state: 'hidden' })

  // A half day of the class: recorded on the attendance sheet, then undone.
  await choose(page, 'checkin-slot', `${shanghaiDate(40)} 下午`)
  await page.locator(sel('checkin-submit')).click()
  await page.locator(`${sel('checkin-result')}[data-new="true"]`).waitFor()
  const present = async () => {
    const sheet = await staff.get(`/api/classes/${cls.id}/attendance`)
    assert.equal(sheet.status, 200, sheet.text)
    return sheet.json.rows.find((r) => r.enrollment.id === enrollment.id).present
  }
  assert.deepEqual(await present(), [false, true])
  await page.locator(sel('checkin-undo')).click()
  await toast(page, `已撤销 戊${RUN} 的签到`)
  assert.deepEqual(await present(), [false, false])
  await page.locator(sel('checkin-submit')).click()
  await page.locator(`${sel('checkin-result')}[data-new="true"]`).waitFor()
  assert.deepEqual(await present(), [false, true], 'checked in again after the undo')
})

test('the pass link a unit sends opens the public pass page signed out, with the name and QR code', async ({
  page,
}) => {
  const { course, enrollment } = await confirmedPlace(`己${RUN}`)
  await signInMember(page)
  await page.goto('/training/mine')
  const row = rowOf(page, 'mine-table', `己${RUN}`)
  await row.locator(`[data-test="mine-pass-${enrollment.id}"]`).click()
  const dialog = page.locator(sel('pass-dialog'))
  const link = dialog.locator(input('pass-link'))
  await link.waitFor()
  const passUrl = new URL(await link.inputValue())
  assert.match(passUrl.pathname, /^\/pass\/[A-Za-z0-9_-]+$/)
  await dialog.locator(input('pass-message')).waitFor()
  assert.match(await dialog.locator(input('pass-message')).inputValue(), new RegExp(`己${RUN}，您已报名《${course.title}》`))

  const visitor = await newPage()
  try {
    await visitor.page.setViewportSize({ width: 390, height: 844 })
    await visitor.page.goto(passUrl.pathname)
    await visitor.page.locator(`${sel('pass-page')}[data-state="shown"]`).waitFor()
    assert.equal(pathOf(visitor.page), passUrl.pathname, 'no sign-in, no 403')
    assert.equal(await visitor.page.locator(sel('pass-attendee')).innerText(), `己${RUN}`)
    assert.match(await visitor.page.locator(sel('pass-course')).innerText(), new RegExp(course.title))
    const qr = visitor.page.locator(`${sel('pass-page-qr')} svg`)
    await qr.waitFor()
    assert.ok((await qr.boundingBox()).width >= 250, 'a QR code large enough to scan')
    const text = await visitor.page.locator(sel('pass-page')).innerText()
    assert.doesNotMatch(text, /长沙经济技术开发区|139\d{8}|招商科科长/, 'nothing else personal')
    const overflow = await visitor.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px too wide)`)
    await screenshot(visitor.page, 'phone', 'pass')
    await visitor.page.goto('/pass/NoSuchPassToken00000000000000000')
    await visitor.page.locator(`${sel('pass-page')}[data-state="not-found"]`).waitFor()
  } finally {
    await visitor.context.close()
  }
})

test('leaders browse the training catalogue without signing anyone up', async ({ page }) => {
  const { cls, course } = await openClass(await staffApi(), { capacity: 3 })
  await loginAs(page, 'leader')
  assert.ok((await menuNames(page)).includes('training'))
  await page.locator('[data-menu="training"]').click()
  const card = page.locator(`${sel('course-card')}[data-course="${course.title}"]`)
  await card.waitFor()
  assert.equal(await card.locator(sel(`class-seats-${cls.id}`)).innerText(), '余 3 / 共 3')
  assert.equal(await page.locator(sel('course-create')).count(), 0)
  await card.locator(sel(`class-open-${cls.id}`)).click()
  await page.locator(sel('class-facts')).waitFor()
  assert.equal(await page.locator(sel('class-fact-fee')).innerText(), '¥500.00')
  assert.equal(await page.locator(sel('signup-card')).count(), 0)
  assert.equal(await page.locator(sel('roster-card')).count(), 0)
  assert.equal(await page.locator(sel('class-edit')).count(), 0)
})
