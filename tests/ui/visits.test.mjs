// Browser tests of the exchange visits pages (考察交流): staff create a visit through the dialog —
// hosts (a member unit picked by name and an outside organisation), dates, places, cost in 元 and
// an itinerary reordered in the dialog — and see it in the catalogue and on its page (itinerary by
// day, cost, hosts); a member applies from its home page with two delegates (a bad mobile caught
// first); staff approve one and reject the other with a reason (the reason dialog insists on one);
// the member sees both statuses, the reason and the approved delegate's pass (QR); the documents
// page prints the 名单 and 行程 and downloads the spreadsheets; the rooming page swaps two people
// and saves, is refused a mixed-gender room, and goes back to the automatic pairing; staff check a
// delegate in from the pass's QR page (a day outside the visit needs another half day); the report
// is written, published with an attachment and read by the member; a member's interest matches
// another unit's host offer and staff turn the match into a draft visit; staff keep the topics;
// the participation table. Then every visits page at phone and desktop size (screenshots
// SHOTS/{desktop,phone}/visits-*.png, no horizontal scroll, one h1, axe-core without serious or
// critical violations).
//
// Registered with the harness (ui.test.mjs imports it; XIEHUI_UI_ONLY=visits runs only these), or
// run alone against a server started as tests/ui/run.sh starts it:
//   XIEHUI_URL=http://127.0.0.1:PORT XIEHUI_UI_*_PASSWORD=... node tests/ui/visits.test.mjs
import assert from 'node:assert/strict'
import { pathToFileURL } from 'node:url'
import {
  accounts,
  apiSession,
  axe,
  choose,
  fieldError,
  input,
  layoutProblems,
  login,
  loginAs as signIn,
  newPage,
  noticeVersion,
  open,
  run,
  screenshot,
  sel,
  settle,
  test,
  tickConsent,
  toast,
  waitForPath,
} from './harness.mjs'

// Unique per run, so the tests can also be re-run against a long-lived server.
const RUN = String(Date.now() % 100000).padStart(5, '0')
let serial = 0
const mobile = () => `137${RUN}${String(++serial).padStart(3, '0')}`

const staffApi = () => apiSession(accounts.staff.username, accounts.staff.password)
const memberApi = () => apiSession(accounts.member.username, accounts.member.password)

// A date `days` from today in Asia/Shanghai, YYYY-MM-DD.
function shanghaiDate(days = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10)
}
const START = shanghaiDate(30)
const END = shanghaiDate(31)
const TITLE = `赴深圳前海考察交流${RUN}`

// What the tests hand on to the next ones.
const shared = {}

// Types a date into the picker wrapped by data-test=name (inside a dialog) and closes it.
async function pickDate(page, name, text) {
  const field = page.locator(`${sel(name)} input`).first()
  await field.click()
  await field.fill(text)
  await field.press('Enter')
  await page.locator('.el-dialog__title:visible').first().click()
  await page.locator('.el-picker-panel:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
}

// Confirms the open message box.
const confirmBox = (page) => page.locator('.el-message-box .el-button--primary').click()

// Active member units other than unit 1 (member1's).
async function otherUnits(staff, n) {
  const r = await staff.get('/api/members?status=active&page_size=50')
  assert.equal(r.status, 200, r.text)
  const units = r.json.items.filter((u) => u.id !== 1).slice(0, n)
  assert.equal(units.length, n, 'enough active units in the demo')
  return units
}

// A visit through the API (open, unit 1 may apply).
async function newVisit(staff, extra = {}) {
  const r = await staff.post('/api/visits', {
    title: `接口考察${RUN}-${++serial}`,
    destination: '湖南省株洲市',
    hosts: [{ member_id: null, name: '株洲某某公司' }],
    starts_on: START,
    ends_on: END,
    capacity: 10,
    per_member_quota: null,
    cost_fen: 0,
    apply_deadline: shanghaiDate(20),
    status: 'open',
    itinerary: [{ date: START, half: 'am', place: '园区展厅', activity: '参观' }],
    ...extra,
  })
  assert.equal(r.status, 201, r.text)
  return r.json
}

const visitOf = async (staff, id) => (await staff.get(`/api/visits/${id}`)).json
async function ownDelegates(member, visitId) {
  const r = await member.get(`/api/visits/${visitId}/applications`)
  assert.equal(r.status, 200, r.text)
  return r.json.items.flatMap((a) => a.delegates)
}

// ---------------------------------------------------------------------------------------------
test('visits: staff create a visit with hosts and an itinerary; the catalogue and the visit page show it', async ({ page }) => {
  const staff = await staffApi()
  const [host] = await otherUnits(staff, 1)
  shared.host = host
  await signIn(page, 'staff')
  await page.goto('/visits')
  await page.locator(sel('visit-create')).click()
  const dialog = page.locator(sel('visit-dialog'))
  await dialog.locator(input('visit-title')).fill(TITLE)
  await dialog.locator(input('visit-theme')).fill('新能源汽车产业链')
  await dialog.locator(input('visit-destination')).fill('广东省深圳市')

  // Saving without a host unit: the field says so.
  await dialog.locator(sel('visit-save')).click()
  await fieldError(dialog, 'host-unit-0').first().waitFor()

  // Hosts: a member unit by name, and an outside organisation.
  const picker = dialog.locator(`${sel('host-unit-0')} .el-select`)
  await picker.click()
  await picker.locator('input').fill(host.name)
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: host.name }).first().click()
  await dialog.locator(sel('host-add')).click()
  await dialog.locator(`${sel('host-kind-1')} [data-value="org"]`).click()
  await dialog.locator(input('host-name-1')).fill(`前海管理局${RUN}`)

  await pickDate(page, 'visit-starts-on', START)
  await pickDate(page, 'visit-ends-on', END)
  await pickDate(page, 'visit-deadline', shanghaiDate(20))
  await dialog.locator(input('visit-capacity')).fill('10')
  await dialog.locator(input('visit-cost')).fill('1500')
  await dialog.locator(input('visit-cost-covers')).fill('往返机票、住宿')
  await dialog.locator(`${sel('visit-status')} [data-value="open"]`).click()

  // The itinerary: an afternoon line, then a morning one moved above it, then the second day.
  await dialog.locator(sel('itinerary-add')).click()
  await pickDate(page, 'itinerary-date-0', START)
  await choose(page, 'itinerary-half-0', '下午')
  await dialog.locator(input('itinerary-place-0')).fill('前海深港现代服务业合作区')
  await dialog.locator(input('itinerary-activity-0')).fill('座谈交流')
  await dialog.locator(sel('itinerary-add')).click()
  await choose(page, 'itinerary-half-1', '上午')
  await dialog.locator(input('itinerary-place-1')).fill(`比亚迪总部${RUN}`)
  await dialog.locator(input('itinerary-activity-1')).fill('参观生产线')
  await dialog.locator(input('itinerary-contact-1')).fill('王经理 13800000000')
  await dialog.locator(input('itinerary-transport-1')).fill('大巴')
  await dialog.locator(sel('itinerary-up-1')).click()
  assert.equal(await dialog.locator(input('itinerary-place-0')).inputValue(), `比亚迪总部${RUN}`)
  await dialog.locator(sel('itinerary-add')).click()
  await pickDate(page, 'itinerary-date-2', END)
  await choose(page, 'itinerary-half-2', '全天')
  await dialog.locator(input('itinerary-place-2')).fill('深圳湾科技生态园')
  await dialog.locator(input('itinerary-activity-2')).fill('考察园区运营')
  assert.deepEqual(await axe(page), [], 'visit dialog: axe')

  await dialog.locator(sel('visit-save')).click()
  await toast(page, '考察活动已保存')
  await waitForPath(page, (u) => /^\/visits\/\d+$/.test(u.pathname), 'the new visit page')
  const id = Number(new URL(page.url()).pathname.split('/').pop())
  assert.equal(await page.locator(sel('visit-title')).innerText(), TITLE)
  assert.equal(await page.locator(sel('visit-status')).innerText(), '报名中')
  assert.match(await page.locator(sel('visit-hosts')).innerText(), new RegExp(`${host.name}、前海管理局${RUN}`))
  assert.equal(await page.locator(sel('visit-cost-text')).innerText(), '¥1,500.00 / 人')
  assert.match(await page.locator(sel('visit-dates')).innerText(), new RegExp(START))
  const days = page.locator(sel('itinerary-day'))
  assert.equal(await days.count(), 2)
  assert.match(await days.first().innerText(), new RegExp(`上午[\\s\\S]*比亚迪总部${RUN}[\\s\\S]*下午[\\s\\S]*前海`))
  assert.match(await days.nth(1).innerText(), /全天[\s\S]*深圳湾科技生态园/)

  const saved = await visitOf(staff, id)
  assert.equal(saved.cost_fen, 150000)
  assert.equal(saved.capacity, 10)
  assert.deepEqual(saved.hosts.map((h) => h.member_id), [host.id, null])
  assert.deepEqual(saved.itinerary.map((i) => [i.date, i.half ?? null]), [[START, 'am'], [START, 'pm'], [END, null]])
  shared.visit = saved

  // A change sends only what changed.
  await page.locator(sel('visit-edit')).click()
  await dialog.locator(input('visit-capacity')).fill('12')
  await dialog.locator(sel('visit-save')).click()
  await toast(page, '考察活动已保存')
  await page.locator(sel('visit-places')).filter({ hasText: '余 12 / 共 12' }).waitFor()
  shared.visit = await visitOf(staff, id)
  assert.equal(shared.visit.capacity, 12)
  assert.deepEqual(shared.visit.itinerary, saved.itinerary, 'the itinerary is unchanged')

  // The catalogue lists it with its places.
  await page.goto('/visits')
  await page.locator(sel(`visit-link-${id}`)).waitFor()
  assert.equal(await page.locator(sel(`visit-places-${id}`)).innerText(), '余 12 / 共 12')
})

test('visits: a member applies from its home page with two delegates', async ({ page }) => {
  const staff = await staffApi()
  const visit = shared.visit ?? (await newVisit(staff))
  shared.visit = visit
  await signIn(page, 'member')
  await page.locator(sel(`home-visit-${visit.id}`)).waitFor()
  await page.locator(sel(`home-visit-open-${visit.id}`)).click()
  await waitForPath(page, (u) => u.pathname === `/visits/${visit.id}`, 'the visit page')
  const form = page.locator(sel('apply-form'))
  await form.waitFor()

  shared.names = [`张考察${RUN}`, `李考察${RUN}`]
  await form.locator(input('apply-name-0')).fill(shared.names[0])
  await form.locator(input('apply-title-0')).fill('招商局局长')
  await form.locator(input('apply-mobile-0')).fill('1234')
  await form.locator(sel('apply-submit')).click()
  await fieldError(form, 'apply-mobile-0').first().waitFor()
  await form.locator(input('apply-mobile-0')).fill(mobile())
  await form.locator(sel('apply-add-person')).click()
  await form.locator(input('apply-name-1')).fill(shared.names[1])
  await form.locator(input('apply-title-1')).fill('办公室主任')
  await form.locator(`${sel('apply-gender-1')} [data-value="f"]`).click()
  await form.locator(input('apply-mobile-1')).fill(mobile())
  await form.locator(input('apply-dietary-1')).fill('清真')
  await tickConsent(form)
  await form.locator(sel('apply-submit')).click()
  await toast(page, '已提交 2 人的报名')

  const delegates = await ownDelegates(await memberApi(), visit.id)
  assert.equal(delegates.length, 2)
  shared.delegates = delegates
  for (const d of delegates) {
    assert.equal(d.status, 'pending')
    await page.locator(`${sel(`my-delegate-status-${d.id}`)}[data-status="pending"]`).waitFor()
  }
  assert.equal(delegates.find((d) => d.name === shared.names[1]).gender, 'f')

  // A mobile that already holds a place in this visit: the server names it, under its field.
  await form.locator(input('apply-name-0')).fill(`王考察${RUN}`)
  await form.locator(input('apply-mobile-0')).fill(delegates[0].mobile)
  await tickConsent(form)
  await form.locator(sel('apply-submit')).click()
  await fieldError(form, 'apply-mobile-0').first().waitFor()
  assert.equal((await ownDelegates(await memberApi(), visit.id)).length, 2)
})

test('visits: staff approve one delegate and reject the other with a reason', async ({ page }) => {
  const { visit, delegates, names } = shared
  assert.ok(visit && delegates, 'the application of the previous test')
  const [a, b] = names.map((n) => delegates.find((d) => d.name === n))
  await signIn(page, 'staff')
  await page.goto(`/visits/${visit.id}`)
  await page.locator(sel('visit-pending-alert')).filter({ hasText: '2 人' }).waitFor()
  await page.locator(sel('visit-go-review')).click()
  await waitForPath(page, (u) => u.pathname === `/visits/${visit.id}/review`, 'the review page')
  await page.locator(`[data-unit="长沙经济技术开发区"]`).first().waitFor()

  await page.locator(sel(`delegate-approve-${a.id}`)).click()
  await toast(page, `已录取 ${a.name}`)
  await page.locator(`${sel(`delegate-status-${a.id}`)}[data-status="approved"]`).waitFor()

  await page.locator(sel(`delegate-reject-${b.id}`)).click()
  const dialog = page.locator(sel('reject-dialog'))
  await dialog.locator(sel('reject-save')).click()
  await fieldError(dialog, 'reject-reason').filter({ hasText: '请填写原因' }).waitFor()
  shared.reason = `本单位名额已满${RUN}`
  await dialog.locator(input('reject-reason')).fill(shared.reason)
  await dialog.locator(sel('reject-save')).click()
  await toast(page, `已不予录取：${b.name}`)
  await page.locator(`${sel(`delegate-status-${b.id}`)}[data-status="rejected"]`).waitFor()
  await page.locator(sel('review-approved')).filter({ hasText: `1 / ${visit.capacity}` }).waitFor()
  shared.approved = a
  shared.rejected = b
})

test('visits: the member sees each delegate\'s status, the reason and the pass', async ({ page }) => {
  const { visit, approved: a, rejected: b } = shared
  assert.ok(a && b, 'the decisions of the previous test')
  await signIn(page, 'member')
  await page.goto('/visits')
  await page.locator(sel(`visit-mine-${visit.id}`)).filter({ hasText: '已录取 1' }).waitFor()
  await page.goto(`/visits/${visit.id}`)
  await page.locator(`${sel(`my-delegate-status-${a.id}`)}[data-status="approved"]`).waitFor()
  await page.locator(`${sel(`my-delegate-status-${b.id}`)}[data-status="rejected"]`).waitFor()
  assert.match(await page.locator(sel(`my-delegate-reason-${b.id}`)).innerText(), new RegExp(shared.reason))
  await page.locator(sel(`my-delegate-pass-${a.id}`)).click()
  const pass = page.locator(sel('visit-pass-dialog'))
  await pass.locator(`${sel('visit-pass-qr')} svg`).waitFor()
  assert.equal(await pass.locator(sel('visit-pass-name')).innerText(), a.name)
  const passUrl = await pass.locator(input('visit-pass-link')).inputValue()
  assert.match(passUrl, /\/visit-pass\//)

  // The link the unit sends opens the pass without an account.
  const other = await newPage({ phone: true })
  try {
    await other.page.goto(new URL(passUrl).pathname)
    await other.page.locator(`${sel('visit-pass-page')}[data-state="shown"]`).waitFor()
    assert.equal(await other.page.locator(sel('visit-pass-delegate')).innerText(), a.name)
    assert.equal(await other.page.locator(sel('visit-pass-title')).innerText(), visit.title)
    await other.page.locator(`${sel('visit-pass-page-qr')} svg`).waitFor()
    await screenshot(other.page, 'phone', 'visits-public-pass')
    assert.deepEqual(await axe(other.page), [], 'public pass: axe')
    assert.deepEqual(other.problems, [])
  } finally {
    await other.context.close()
  }
})

test('visits: the documents page prints the 名单 and 行程 and downloads the spreadsheets', async ({ page }) => {
  const { visit, approved: a } = shared
  await signIn(page, 'staff')
  await page.goto(`/visits/${visit.id}/documents`)
  const doc = page.locator(sel('visit-documents'))
  await doc.waitFor()
  assert.equal(await doc.locator(sel('documents-title')).innerText(), visit.title)
  const people = doc.locator(sel('documents-delegate'))
  await people.first().waitFor()
  assert.equal(await people.count(), 1, 'approved and waiting only')
  assert.match(await people.first().innerText(), new RegExp(a.name))
  assert.equal(await doc.locator(sel('documents-itinerary-line')).count(), visit.itinerary.length)
  for (const button of ['documents-delegates-xlsx', 'documents-itinerary-xlsx', 'documents-rooming-xlsx']) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator(sel(button)).click()])
    assert.match(file.suggestedFilename(), /\.xlsx$/, button)
  }
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.locator(sel('documents-print')).isVisible(), false, 'the buttons are not printed')
  assert.ok(await doc.isVisible())
  await page.emulateMedia({ media: 'screen' })
})

test('visits: the rooming page swaps two people, refuses a mixed room, and goes back to automatic', async ({ page }) => {
  const staff = await staffApi()
  const { visit, approved: a, host } = shared
  // Three more approved delegates of another unit: two men (a twin room) and a woman.
  const applied = await staff.post(`/api/visits/${visit.id}/applications`, {
    member_id: host.id,
    delegates: [
      { name: `王甲${RUN}`, title: '科长', gender: 'm', mobile: mobile(), shares_room: true },
      { name: `王乙${RUN}`, title: '科员', gender: 'm', mobile: mobile(), shares_room: true },
      { name: `赵丙${RUN}`, title: '科员', gender: 'f', mobile: mobile(), shares_room: true },
    ],
    consent_version: await noticeVersion(),
  })
  assert.equal(applied.status, 201, applied.text)
  const approvedAll = await staff.post(`/api/visit-applications/${applied.json.id}/approve`)
  assert.equal(approvedAll.status, 200, approvedAll.text)
  const [m1, , f1] = applied.json.delegates

  await signIn(page, 'staff')
  await page.goto(`/visits/${visit.id}/rooming`)
  await page.locator(sel('rooming-tools')).waitFor()
  await page.locator(sel(`rooming-person-${a.id}`)).waitFor()
  assert.equal(await page.locator(sel('rooming-save')).isDisabled(), true, 'nothing to save yet')

  // a (alone) and m1 (in the twin room) change places.
  await page.locator(sel(`rooming-person-${a.id}`)).click()
  await page.locator(sel(`rooming-person-${m1.id}`)).click()
  await page.locator(sel('rooming-swap')).click()
  await page.locator(sel('rooming-save')).click()
  await toast(page, '分房已保存')
  const rooming = (await staff.get(`/api/visits/${visit.id}/rooming`)).json
  assert.equal(rooming.saved, true)
  const roomOfA = rooming.rooms.find((r) => r.delegates.includes(a.id))
  assert.equal(roomOfA.delegates.length, 2, `${a.name} now shares a room`)
  assert.ok(!roomOfA.delegates.includes(m1.id))

  // The woman into a man's place: flagged here, refused by the server on the room it names.
  await page.locator(sel(`rooming-person-${f1.id}`)).click()
  await page.locator(sel(`rooming-person-${a.id}`)).click()
  await page.locator(sel('rooming-swap')).click()
  await page.locator(sel('rooming-mixed')).waitFor()
  await page.locator(sel('rooming-save')).click()
  await page.locator(sel('rooming-error')).waitFor()
  await page.locator(sel('rooming-discard')).click()
  await page.locator(sel('rooming-mixed')).waitFor({ state: 'hidden' })

  await page.locator(sel('rooming-reset')).click()
  await confirmBox(page)
  await toast(page, '已恢复自动分房')
  assert.equal((await staff.get(`/api/visits/${visit.id}/rooming`)).json.saved, false)
})

test('visits: staff check a delegate in from the pass\'s QR page; the attendance sheet shows it', async ({ page }) => {
  const staff = await staffApi()
  const { visit, approved: a } = shared
  const pass = await staff.get(`/api/visit-delegates/${a.id}/pass`)
  assert.equal(pass.status, 200, pass.text)
  assert.match(pass.json.check_in_url, new RegExp(`/visit-check-in/${visit.id}/`))
  await signIn(page, 'staff')
  await page.goto(new URL(pass.json.check_in_url).pathname)
  await page.locator(sel('checkin-name')).filter({ hasText: a.name }).waitFor()
  assert.equal(await page.locator(sel('checkin-unit')).innerText(), '长沙经济技术开发区')
  // Today is not a day of the visit: refused, then one of its half days.
  assert.equal(await page.locator(sel('checkin-half')).getAttribute('data-outside'), 'true')
  await page.locator(sel('checkin-submit')).click()
  await page.locator(sel('checkin-refused')).waitFor()
  await choose(page, 'checkin-slot', `${START} 上午`)
  await page.locator(sel('checkin-submit')).click()
  await page.locator(`${sel('checkin-result')}[data-new="true"]`).waitFor()
  await page.locator(sel('checkin-roster')).click()
  await waitForPath(page, (u) => u.pathname === `/visits/${visit.id}/attendance`, 'the attendance page')
  await page.locator(sel(`visit-present-${a.id}-0`)).waitFor()
})

test('visits: staff write and publish the report with an attachment; the member reads it', async ({ page }) => {
  const { visit } = shared
  const text = `考察团一行参观了比亚迪总部，与前海管理局座谈交流。${RUN}`
  const pdf = { name: `考察报告${RUN}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n') }
  await signIn(page, 'staff')
  await page.goto(`/visits/${visit.id}/report`)
  await page.locator(`${sel('report-state')}[data-published="false"]`).waitFor()
  await page.locator(input('report-text')).fill(text)
  await page.locator(sel('report-publish')).click()
  await toast(page, '报告已发布')
  await page.locator(`${sel('report-state')}[data-published="true"]`).waitFor()
  await page.locator(`${sel('report-upload')} input[type="file"]`).setInputFiles(pdf)
  await toast(page, `已上传 ${pdf.name}`)
  await page.locator(sel('report-files-table')).filter({ hasText: pdf.name }).waitFor()

  const other = await newPage({ acceptDownloads: true })
  try {
    await signIn(other.page, 'member')
    await other.page.goto(`/visits/${visit.id}/report`)
    await other.page.locator(sel('report-body')).filter({ hasText: text }).waitFor()
    const link = other.page.locator(sel('report-files-table')).getByRole('button', { name: pdf.name })
    const [file] = await Promise.all([other.page.waitForEvent('download'), link.click()])
    assert.equal(file.suggestedFilename(), pdf.name)
    assert.deepEqual(other.problems, [])
  } finally {
    await other.context.close()
  }
})

test('visits: a member\'s interest matches another unit\'s host offer; staff draft a visit from the match', async ({ page }) => {
  const staff = await staffApi()
  const host = shared.host ?? (await otherUnits(staff, 1))[0]
  const topics = [`新能源汽车${RUN}`, `电子信息${RUN}`]
  for (const name of topics) {
    const r = await staff.post('/api/topics', { name })
    assert.equal(r.status, 201, r.text)
  }
  const offer = await staff.post('/api/host-offers', {
    member_id: host.id,
    topics,
    available: [{ from: shanghaiDate(40), to: shanghaiDate(70) }],
    group_size: 30,
    note: '可安排座谈',
  })
  assert.equal(offer.status, 201, offer.text)

  await signIn(page, 'member')
  await page.goto('/visits/exchange')
  await page.locator(sel('interest-create')).click()
  const dialog = page.locator(sel('wish-dialog'))
  await dialog.locator(`${sel('wish-topics')}`).click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: topics[0] }).first().click()
  await page.keyboard.press('Escape')
  const range = dialog.locator(`${sel('period-range-0')} input`)
  await range.nth(0).click()
  await range.nth(0).fill(shanghaiDate(50))
  await range.nth(1).fill(shanghaiDate(60))
  await range.nth(1).press('Enter')
  await page.locator('.el-dialog__title:visible').first().click()
  await dialog.locator(input('wish-group-size')).fill('8')
  await dialog.locator(sel('wish-save')).click()
  await toast(page, '已保存')
  const match = page.locator(`${sel('exchange-matches')} ${sel('matches-table')} .el-table__row`).filter({ hasText: host.name })
  await match.waitFor()
  assert.match(await match.innerText(), new RegExp(`共同主题：${topics[0]}`))
  const interest = (await (await memberApi()).get('/api/visit-interests?member_id=1')).json.items.find((i) => i.topics.includes(topics[0]))
  assert.ok(interest, 'the interest is stored')

  const other = await newPage()
  try {
    await signIn(other.page, 'staff')
    await other.page.goto('/visits/exchange?unit=1')
    await other.page.locator(sel(`match-draft-${offer.json.id}-${interest.id}`)).click()
    await waitForPath(other.page, (u) => /^\/visits\/\d+$/.test(u.pathname) && u.pathname !== `/visits/${shared.visit?.id}`, 'the drafted visit')
    await other.page.locator(sel('visit-title')).filter({ hasText: host.name }).waitFor()
    assert.equal(await other.page.locator(sel('visit-status')).innerText(), '草稿')
    // The units interested in the host's offer, from the list of every unit's offers.
    await other.page.goto('/visits/exchange')
    await other.page.locator(sel(`offer-interested-${offer.json.id}`)).click()
    const interested = other.page.locator(sel('interested-dialog'))
    await interested.locator('.el-table__row').filter({ hasText: '长沙经济技术开发区' }).waitFor()
    assert.match(await interested.innerText(), /共同主题/)
    assert.deepEqual(other.problems, [])
  } finally {
    await other.context.close()
  }
})

test('visits: staff close and confirm the visit; keep the topic list; the participation table and its spreadsheet', async ({ page }) => {
  const { visit } = shared
  const name = `智能制造${RUN}`
  await signIn(page, 'staff')
  // Status changes, each confirmed first.
  await page.goto(`/visits/${visit.id}`)
  await page.locator(sel('visit-to-closed')).click()
  await confirmBox(page)
  await toast(page, '考察状态已改为“已截止”')
  await page.locator(sel('visit-status')).filter({ hasText: '已截止' }).waitFor()
  await page.locator(sel('visit-to-confirmed')).click()
  await confirmBox(page)
  await page.locator(sel('visit-status')).filter({ hasText: '已成团' }).waitFor()
  assert.equal(await page.locator(sel('visit-to-open')).count(), 0, 'a confirmed visit does not reopen')

  await page.goto('/visits/topics')
  await page.locator(input('topic-name')).fill(name)
  await page.locator(sel('topic-add')).click()
  await toast(page, `已添加主题“${name}”`)
  const row = page.locator(`${sel('topics-table')} .el-table__row`).filter({ hasText: name })
  await row.locator('[data-test^="topic-retire-"]').click()
  await toast(page, `已停用“${name}”`)
  await row.locator('[data-test^="topic-restore-"]').waitFor()
  // The same name again: the server's complaint under the field.
  await page.locator(input('topic-name')).fill(name)
  await page.locator(sel('topic-add')).click()
  await fieldError(page, 'topic-name').first().waitFor()

  // The confirmed visit counts: unit 1 took part with its one approved delegate.
  await page.goto(`/visits/participation?year=${START.slice(0, 4)}`)
  const unit = page.locator(`${sel('participation-table')} .el-table__row`).filter({ hasText: '长沙经济技术开发区' })
  await unit.waitFor()
  assert.match(await unit.innerText(), /长沙经济技术开发区\s+\d+\s+\d+/)
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(sel('participation-xlsx')).click()])
  assert.match(file.suggestedFilename(), /\.xlsx$/)

  // In English.
  await page.evaluate(() => localStorage.setItem('xiehui.locale', 'en'))
  await page.goto('/visits')
  await page.locator(sel('visit-create')).filter({ hasText: 'New visit' }).waitFor()
  assert.equal(await page.locator(sel(`visit-status-${visit.id}`)).innerText(), 'Confirmed')
  await page.evaluate(() => localStorage.setItem('xiehui.locale', 'zh-CN'))
})

test('visits: a member withdraws an approved delegate', async ({ page }) => {
  const staff = await staffApi()
  const visit = await newVisit(staff)
  const applied = await (await memberApi()).post(`/api/visits/${visit.id}/applications`, {
    member_id: 1,
    delegates: [{ name: `退出${RUN}`, title: '科员', gender: 'm', mobile: mobile(), shares_room: false }],
    consent_version: await noticeVersion(),
  })
  assert.equal(applied.status, 201, applied.text)
  const [d] = applied.json.delegates
  assert.equal((await staff.post(`/api/visit-delegates/${d.id}/approve`)).status, 200)
  await signIn(page, 'member')
  await page.goto(`/visits/${visit.id}`)
  await page.locator(`${sel(`my-delegate-status-${d.id}`)}[data-status="approved"]`).waitFor()
  await page.locator(sel(`my-delegate-withdraw-${d.id}`)).click()
  await confirmBox(page)
  await toast(page, `${d.name} 已退出`)
  await page.locator(`${sel(`my-delegate-status-${d.id}`)}[data-status="withdrawn"]`).waitFor()
  assert.equal(await page.locator(sel(`my-delegate-withdraw-${d.id}`)).count(), 0)
  assert.equal((await visitOf(staff, visit.id)).approved, 0)
})

// Every visits page at both sizes: screenshots, the layout checks, one h1 and axe.
for (const size of ['desktop', 'phone']) {
  test(`visits (${size}): every visits page fits the screen and passes axe; screenshots`, async () => {
    const staff = await staffApi()
    const visit = shared.visit ?? (await newVisit(staff))
    const pass = shared.approved ? (await staff.get(`/api/visit-delegates/${shared.approved.id}/pass`)).json : null
    const pages = {
      staff: {
        'visits-list': '/visits',
        'visits-visit': `/visits/${visit.id}`,
        'visits-review': `/visits/${visit.id}/review`,
        'visits-documents': `/visits/${visit.id}/documents`,
        'visits-rooming': `/visits/${visit.id}/rooming`,
        'visits-attendance': `/visits/${visit.id}/attendance`,
        'visits-report': `/visits/${visit.id}/report`,
        'visits-exchange': '/visits/exchange?unit=1',
        'visits-topics': '/visits/topics',
        'visits-participation': `/visits/participation?year=${START.slice(0, 4)}`,
        ...(pass ? { 'visits-check-in': new URL(pass.check_in_url).pathname } : {}),
        'visits-staff-home': '/',
      },
      leader: {
        'visits-leader-list': '/visits',
        'visits-leader-visit': `/visits/${visit.id}`,
        'visits-leader-review': `/visits/${visit.id}/review`,
      },
      member: {
        'visits-member-list': '/visits',
        'visits-member-visit': `/visits/${visit.id}`,
        'visits-member-report': `/visits/${visit.id}/report`,
        'visits-member-exchange': '/visits/exchange',
        'visits-member-home': '/',
      },
    }
    const failures = []
    for (const [role, list] of Object.entries(pages)) {
      const env = await newPage({ phone: size === 'phone' })
      try {
        await signIn(env.page, role)
        for (const [name, path] of Object.entries(list)) {
          await open(env.page, path)
          await screenshot(env.page, size, name)
          for (const p of await layoutProblems(env.page)) failures.push(`${size} ${name}: ${p}`)
          if ((await env.page.locator('h1').count()) !== 1) failures.push(`${size} ${name}: not one h1`)
          for (const v of await axe(env.page)) failures.push(`${size} ${name}: ${v}`)
        }
        if (role === 'staff') {
          // The visit dialog: a full-screen sheet on a phone.
          await env.page.goto('/visits')
          await env.page.locator(sel('visit-create')).click()
          await env.page.locator(sel('visit-save')).waitFor()
          await env.page.locator(sel('itinerary-add')).click()
          assert.equal(await env.page.locator('.el-dialog.is-fullscreen').count(), size === 'phone' ? 1 : 0)
          await settle(env.page)
          await screenshot(env.page, size, 'visits-dialog')
          for (const v of await axe(env.page)) failures.push(`${size} visit dialog: ${v}`)
        }
        if (role === 'member') {
          await env.page.goto('/visits/exchange')
          await env.page.locator(sel('offer-create')).click()
          await env.page.locator(sel('wish-save')).waitFor()
          await settle(env.page)
          await screenshot(env.page, size, 'visits-offer-dialog')
          for (const v of await axe(env.page)) failures.push(`${size} offer dialog: ${v}`)
        }
        assert.deepEqual(env.problems, [], `${role}: no errors in the page`)
      } catch (error) {
        error.message = `[${size} ${role}] ${error.message}`
        await screenshot(env.page, size, `failed-visits-${role}`).catch(() => {})
        throw error
      } finally {
        await env.context.close()
      }
    }
    assert.deepEqual(failures, [])
  })
}

// Run alone: `node tests/ui/visits.test.mjs` (ui.test.mjs imports this file and runs everything).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { passed, failed } = await run()
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}
