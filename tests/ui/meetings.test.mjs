// Browser tests of the meetings and rooms pages (issue 13): staff manage rooms through the dialog;
// the room calendar draws Asia/Shanghai times (09:00+08:00 at 09:00 in a UTC browser), a selected
// free slot opens the booking dialog, a booking dragged onto another is refused by the server and
// goes back with the conflict named, a drag to a free time moves it; a weekly series is checked
// (each occurrence with its conflict), refused as a whole, booked on its free dates, and cut from
// one occurrence on; the month view colours each kind of activity and opens a meeting; staff call
// a council meeting (届/次 suggested, the title composed live, a room conflict named); a member
// replies (a refused proxy shows the server's message), sees the invitation on its home page and
// its pass, and cannot open a meeting it is not invited to; staff see the 回执 matrix, remind,
// export, check units in by roster and by QR pass, watch the quorum, record a vote and the
// minutes, and print the record; every user has a calendar feed URL to copy, renew and revoke.
// Then every meetings page at phone and desktop size (screenshots SHOTS/{desktop,phone}/
// meetings-*.png, no horizontal scroll, axe-core without serious or critical violations).
// Registered with the harness; run by ui.test.mjs (tests/ui/run.sh) against a server started
// with --demo (member1 represents unit 1, 长沙经济技术开发区).
import assert from 'node:assert/strict'
import {
  accounts,
  apiSession,
  axe,
  BASE,
  fieldError,
  input,
  layoutProblems,
  login,
  loginAs as signIn,
  newPage,
  noticeVersion,
  open,
  screenshot,
  sel,
  settle,
  test,
  tickConsent,
  toast,
  waitForPath,
} from './harness.mjs'
import { EVENT_COLORS, composeTitle } from '../../web/ui/src/meetings/vocabulary.js'

// Unique per run, so the tests can also be re-run against a long-lived server.
const RUN = String(Date.now() % 100000).padStart(5, '0')
let serial = 0
const mobile = () => `139${RUN}${String(++serial).padStart(3, '0')}`

const staffApi = () => apiSession(accounts.staff.username, accounts.staff.password)
const memberApi = () => apiSession(accounts.member.username, accounts.member.password)

// Dates in Asia/Shanghai: today + days, and the Monday of the week `weeks` from now.
function shanghaiDate(days = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10)
}
function mondayIn(weeks) {
  const today = new Date(`${shanghaiDate()}T00:00:00Z`)
  const dow = (today.getUTCDay() + 6) % 7
  return new Date(today.getTime() + (weeks * 7 - dow) * 86400 * 1000).toISOString().slice(0, 10)
}
function addDays(day, n) {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + n * 86400 * 1000).toISOString().slice(0, 10)
}
const at = (day, hm) => `${day}T${hm}:00+08:00`
// An instant from the API, as Shanghai wall time 'YYYY-MM-DD HH:mm'.
const wall = (instant) => new Date(new Date(instant).getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ')

const rows = (page, table) => page.locator(`${sel(table)} .el-table__body-wrapper .el-table__row`)

// A fresh room through the API (nothing booked in it yet).
async function newRoom(staff, name = `界面测试室${RUN}-${++serial}`) {
  const r = await staff.post('/api/rooms', { name, location: '协会大楼测试层', capacity: 20, equipment: ['投影仪'] })
  assert.equal(r.status, 201, r.text)
  return r.json
}
async function book(staff, room, day, from, to, title) {
  const r = await staff.post('/api/bookings', { room_id: room.id, starts_at: at(day, from), ends_at: at(day, to), title, booked_for: '测试' })
  assert.equal(r.status, 201, r.text)
  return r.json
}

// Units other than unit 1 (member1's), active, for invitations and proxies.
async function otherUnits(staff, n = 3) {
  const r = await staff.get('/api/members?status=active&page_size=50')
  assert.equal(r.status, 200, r.text)
  const units = r.json.items.filter((u) => u.id !== 1).slice(0, n)
  assert.equal(units.length, n, 'enough active units in the demo')
  return units
}

// A council meeting through the API, inviting units by hand (unit 1 among them unless told).
async function newMeeting(staff, { members = [1], days = 20, title = null, kind = 'seminar', deadlineDays = null } = {}) {
  const day = shanghaiDate(days)
  const body = {
    kind,
    term_no: null,
    session_no: null,
    title: title ?? `界面测试专题会${RUN}-${++serial}`,
    starts_at: at(day, '09:30'),
    ends_at: at(day, '11:30'),
    mode: 'onsite',
    room_id: null,
    venue: '长沙市岳麓区协会会议中心',
    agenda: [{ title: '审议工作报告', presenter: '秘书长' }],
    invite: { rule: false, member_ids: members, user_ids: [] },
    rsvp_deadline: at(shanghaiDate(deadlineDays ?? days - 2), '17:00'),
    description: '浏览器测试建立的会议',
  }
  if (kind !== 'seminar' && kind !== 'other') {
    const next = (await staff.get(`/api/meetings/next-number?kind=${kind}`)).json
    Object.assign(body, { term_no: next.term_no, session_no: next.session_no, title: undefined })
  }
  const r = await staff.post('/api/meetings', body)
  assert.equal(r.status, 201, r.text)
  return r.json
}

// Types a value into a date or date-time picker inside a dialog and closes its panel.
async function pickDate(page, name, text) {
  const field = page.locator(`${sel(name)} input`).first()
  await field.click()
  await field.fill(text)
  await field.press('Enter')
  await page.locator('.el-dialog__title:visible').first().click()
  await page.locator('.el-picker-panel:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
}

// Confirms the open message box.
async function confirmBox(page) {
  await page.locator('.el-message-box .el-button--primary').click()
}

// The room calendar's grid: a column, a slot row and an event in it.
const column = (page, day) => page.locator(`.fc-timegrid-col[data-date="${day}"]`)
const slot = (page, time) => page.locator(`td.fc-timegrid-slot-lane[data-time="${time}:00"]`)
const eventIn = (page, day, title) => column(page, day).locator('.fc-timegrid-event').filter({ hasText: title })

// Waits until the calendar has its events and no loading mask over it (the mask takes the clicks).
async function calendarReady(page, box = 'room-calendar') {
  await page.locator(`${sel(box)} .el-loading-mask`).waitFor({ state: 'hidden' }).catch(() => {})
  await page.waitForTimeout(400)
}

// Drags (mouse) from one point to another in steps, as FullCalendar's interaction plugin expects.
async function drag(page, from, to) {
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(from.x + 4, from.y + 4, { steps: 3 })
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 })
  await page.mouse.move(to.x, to.y, { steps: 8 })
  await page.mouse.up()
}

// Fetches a calendar feed address from this server (whatever host the address names).
function feed(address) {
  const u = new URL(address, BASE)
  return fetch(`${BASE}${u.pathname}${u.search}`)
}

const shared = {}

// ---------------------------------------------------------------------------------------------
test('meetings: staff add, change and take a room out of use through the dialog', async ({ page }) => {
  const staff = await staffApi()
  const existing = (await staff.get('/api/rooms')).json.items
  assert.ok(existing.length >= 3, 'the demo has three rooms')
  const name = `界面测试会议室${RUN}`

  await signIn(page, 'staff')
  await page.locator('[data-menu="meetings"]').click()
  await page.locator(sel('meetings-page')).waitFor()
  await page.goto('/meetings/rooms')
  await page.locator(sel('rooms-page')).waitFor()
  await rows(page, 'rooms-table').first().waitFor()

  await page.locator(sel('room-create')).click()
  const dialog = page.locator(sel('room-dialog'))
  await dialog.locator(sel('room-save')).click()
  await fieldError(dialog, 'room-name').filter({ hasText: '请填写名称' }).waitFor()
  // A taken name: the server's field error under the field.
  await dialog.locator(input('room-name')).fill(existing[0].name)
  await dialog.locator(input('room-location')).fill('协会大楼 6 楼')
  await dialog.locator(input('room-capacity')).fill('24')
  // Equipment is typed as tags: type, choose the new entry, close the list.
  await dialog.locator(`${sel('room-equipment')} input`).fill('投影仪')
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '投影仪' }).first().click()
  await page.locator('.el-dialog__title:visible').click()
  await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
  await dialog.locator(sel('room-save')).click()
  await fieldError(dialog, 'room-name').first().waitFor()
  await dialog.locator(input('room-name')).fill(name)
  await dialog.locator(sel('room-save')).click()
  await toast(page, '会议室已保存')
  const row = rows(page, 'rooms-table').filter({ hasText: name })
  await row.waitFor()
  assert.match(await row.innerText(), /协会大楼 6 楼[\s\S]*24[\s\S]*投影仪/)
  const room = (await staff.get('/api/rooms')).json.items.find((r) => r.name === name)
  assert.deepEqual([room.capacity, room.equipment], [24, ['投影仪']])

  // Change it, then take it out of use: it leaves the list of bookable rooms.
  await page.locator(sel(`room-edit-${room.id}`)).click()
  await dialog.locator(input('room-capacity')).fill('30')
  await dialog.locator(sel('room-save')).click()
  // The create's toast may still be showing: the dialog closing is what says this save is done.
  await dialog.waitFor({ state: 'hidden' })
  await toast(page, '会议室已保存')
  assert.equal((await staff.get('/api/rooms')).json.items.find((r) => r.id === room.id).capacity, 30)
  await page.locator(sel(`room-deactivate-${room.id}`)).click()
  await confirmBox(page)
  await toast(page, '会议室已停用')
  await row.waitFor({ state: 'detached' })
  assert.ok(!(await staff.get('/api/rooms?active=true')).json.items.some((r) => r.id === room.id))
  await page.locator(sel('rooms-inactive')).click()
  await row.filter({ hasText: '已停用' }).waitFor()
})

test('meetings: the room calendar shows Shanghai times; select books; a drag onto a booking is refused and reverts', async ({ page }) => {
  const staff = await staffApi()
  const room = await newRoom(staff)
  const monday = mondayIn(2)
  const tuesday = addDays(monday, 1)
  const wednesday = addDays(monday, 2)
  const a = await book(staff, room, monday, '09:00', '10:00', `周例会${RUN}`)
  const b = await book(staff, room, tuesday, '14:00', '15:00', `座谈会${RUN}`)

  await signIn(page, 'staff')
  await page.goto(`/meetings/room-calendar?room=${room.id}&date=${monday}`)
  await page.locator(sel('room-calendar-page')).waitFor()
  const eventA = eventIn(page, monday, a.title)
  await eventA.waitFor()
  // 09:00+08:00 is drawn at 09:00 whatever the browser's zone (the tests' browser runs in UTC).
  assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone === 'Asia/Shanghai'), false, 'the browser is not in Shanghai')
  assert.match(await eventA.locator('.fc-event-time').innerText(), /^09:00\s*-\s*10:00$/)
  const slotTop = (await slot(page, '09:00').boundingBox()).y
  assert.ok(Math.abs((await eventA.boundingBox()).y - slotTop) < 4, 'the event starts on the 09:00 line')
  assert.match(await page.locator(sel('calendar-room')).innerText(), new RegExp(room.name))

  // Drag B (Tuesday 14:00) onto A (Monday 09:00): the server refuses, B goes back, A is named.
  await calendarReady(page)
  const eventB = eventIn(page, tuesday, b.title)
  const boxB = await eventB.boundingBox()
  const monBox = await column(page, monday).boundingBox()
  const nine = await slot(page, '09:00').boundingBox()
  await drag(page, { x: boxB.x + boxB.width / 2, y: boxB.y + 6 }, { x: monBox.x + monBox.width / 2, y: nine.y + 6 })
  const refusal = page.locator(sel('calendar-conflict'))
  await refusal.waitFor()
  assert.match(await refusal.innerText(), new RegExp(a.title))
  assert.match(await refusal.locator(sel('booking-conflict')).innerText(), new RegExp(`${monday} 09:00–10:00`))
  await eventIn(page, tuesday, b.title).waitFor()
  assert.equal(await eventIn(page, monday, b.title).count(), 0, 'B went back')
  assert.equal((await staff.get(`/api/bookings?room_id=${room.id}&from=${monday}&to=${addDays(monday, 7)}`)).json.items.find((x) => x.id === b.id).starts_at, at(tuesday, '14:00'))

  // Drag B to 16:00 the same day: moved.
  await refusal.locator('.el-alert__close-btn').click()
  await refusal.waitFor({ state: 'detached' })
  await calendarReady(page)
  await slot(page, '17:00').scrollIntoViewIfNeeded()
  const box2 = await eventIn(page, tuesday, b.title).boundingBox()
  const four = await slot(page, '16:00').boundingBox()
  await drag(page, { x: box2.x + box2.width / 2, y: box2.y + 6 }, { x: box2.x + box2.width / 2, y: four.y + 6 })
  await toast(page, '预订时间已调整')
  const moved = (await staff.get(`/api/bookings?room_id=${room.id}&from=${monday}&to=${addDays(monday, 7)}`)).json.items.find((x) => x.id === b.id)
  assert.equal(wall(moved.starts_at), `${tuesday} 16:00`)
  assert.equal(wall(moved.ends_at), `${tuesday} 17:00`)

  // Select Wednesday 10:00–11:00: the booking dialog opens with the times filled in.
  await calendarReady(page)
  await slot(page, '11:00').scrollIntoViewIfNeeded()
  const wedBox = await column(page, wednesday).boundingBox()
  const ten = await slot(page, '10:00').boundingBox()
  const eleven = await slot(page, '11:00').boundingBox()
  await drag(page, { x: wedBox.x + wedBox.width / 2, y: ten.y + 3 }, { x: wedBox.x + wedBox.width / 2, y: eleven.y - 3 })
  const dialog = page.locator(sel('booking-dialog'))
  await dialog.locator(sel('booking-save')).waitFor()
  assert.equal(await dialog.locator(`${sel('booking-starts-at')} input`).inputValue(), `${wednesday} 10:00`)
  assert.equal(await dialog.locator(`${sel('booking-ends-at')} input`).inputValue(), `${wednesday} 11:00`)
  assert.deepEqual(await axe(page), [], 'booking dialog: axe')
  await dialog.locator(input('booking-title')).fill(`选中时段${RUN}`)
  await dialog.locator(sel('booking-save')).click()
  await toast(page, '预订已保存')
  await eventIn(page, wednesday, `选中时段${RUN}`).waitFor()

  // The 预订会议室 button: an overlap with A is refused, A's title and time under the form.
  await page.locator(sel('booking-create')).click()
  await dialog.locator(input('booking-title')).fill(`重叠预订${RUN}`)
  await pickDate(page, 'booking-starts-at', `${monday} 09:30`)
  await pickDate(page, 'booking-ends-at', `${monday} 10:30`)
  await dialog.locator(sel('booking-save')).click()
  await dialog.locator(sel('booking-dialog-error')).waitFor()
  assert.match(await dialog.locator(sel('booking-conflict')).innerText(), new RegExp(`${a.title}[\\s\\S]*${monday} 09:00–10:00`))
  // Touching is not overlapping: 10:00–11:00 goes in.
  await pickDate(page, 'booking-starts-at', `${monday} 10:00`)
  await pickDate(page, 'booking-ends-at', `${monday} 11:00`)
  await dialog.locator(sel('booking-save')).click()
  await toast(page, '预订已保存')
  await eventIn(page, monday, `重叠预订${RUN}`).waitFor()
  shared.room = room
})

test('meetings: a member sees when a room is taken, not what for', async ({ page }) => {
  const staff = await staffApi()
  const room = shared.room ?? (await newRoom(staff))
  const monday = mondayIn(2)
  if (!shared.room) await book(staff, room, monday, '09:00', '10:00', `周例会${RUN}`)
  await signIn(page, 'member')
  await page.goto(`/meetings/room-calendar?room=${room.id}&date=${monday}`)
  const first = page.locator('.fc-event').first()
  await first.waitFor()
  assert.match(await first.innerText(), /已预订/)
  assert.doesNotMatch(await page.locator(sel('room-calendar')).innerText(), new RegExp(`周例会${RUN}`))
  assert.equal(await page.locator(sel('booking-create')).count(), 0, 'a member books nothing')
})

test('meetings: a weekly series is checked, refused whole, booked on its free dates, and cut from one date on', async ({ page }) => {
  const staff = await staffApi()
  const room = await newRoom(staff)
  const first = mondayIn(3)
  const third = addDays(first, 14)
  const blocker = await book(staff, room, third, '09:30', '10:30', `外来借用${RUN}`)

  await signIn(page, 'staff')
  await page.goto(`/meetings/room-calendar?room=${room.id}&date=${first}`)
  await page.locator(sel('room-calendar')).waitFor()
  await page.locator(sel('series-create')).click()
  const dialog = page.locator(sel('series-dialog'))
  await dialog.locator(input('series-title')).fill(`学习例会${RUN}`)
  await pickDate(page, 'series-day', first)
  await dialog.locator(`${sel('series-end-by')} [data-value="count"]`).click()
  await dialog.locator(input('series-count')).fill('4')
  await dialog.locator(input('series-count')).press('Tab')
  assert.equal(await dialog.locator(sel('series-summary')).innerText(), '每周一，共 4 次')
  await dialog.locator(sel('series-check')).click()
  const occurrences = dialog.locator(sel('series-occurrence'))
  await occurrences.first().waitFor()
  assert.equal(await occurrences.count(), 4)
  assert.equal(await dialog.locator(`${sel('series-occurrence')}[data-conflict="true"]`).count(), 1)
  assert.match(await dialog.locator(`${sel('series-occurrence')}[data-conflict="true"]`).innerText(), new RegExp(`${third} 09:00–10:00[\\s\\S]*${blocker.title}`))
  assert.match(await dialog.locator(sel('series-counts')).innerText(), /空闲 3 次，冲突 1 次/)
  assert.deepEqual(await axe(page), [], 'series dialog: axe')

  // All or nothing: refused, each conflict listed; then the free ones only.
  await dialog.locator(sel('series-book-all')).click()
  await dialog.locator(sel('series-dialog-error')).waitFor()
  assert.match(await dialog.locator(sel('series-conflicts')).innerText(), new RegExp(blocker.title))
  assert.equal((await staff.get(`/api/bookings?room_id=${room.id}&from=${first}&to=${addDays(first, 28)}`)).json.items.length, 1)
  await dialog.locator(sel('series-book-free')).click()
  await toast(page, '已预订 3 次，跳过 1 次')
  const booked = (await staff.get(`/api/bookings?room_id=${room.id}&from=${first}&to=${addDays(first, 28)}`)).json.items
  const series = booked.filter((x) => x.series_id != null)
  assert.deepEqual(series.map((x) => wall(x.starts_at).slice(0, 10)).sort(), [first, addDays(first, 7), addDays(first, 21)])
  await eventIn(page, first, `学习例会${RUN}`).waitFor()

  // The second occurrence: cancel it and the following ones.
  const second = addDays(first, 7)
  await page.goto(`/meetings/room-calendar?room=${room.id}&date=${second}`)
  await eventIn(page, second, `学习例会${RUN}`).waitFor()
  await calendarReady(page)
  await eventIn(page, second, `学习例会${RUN}`).click()
  const details = page.locator(sel('booking-details'))
  await details.locator(sel('series-cancel-following')).click()
  await confirmBox(page)
  await toast(page, '已取消')
  const left = (await staff.get(`/api/bookings?room_id=${room.id}&from=${first}&to=${addDays(first, 28)}`)).json.items.filter((x) => x.series_id != null)
  assert.deepEqual(left.map((x) => wall(x.starts_at).slice(0, 10)), [first])
})

test('meetings: staff call a council meeting: 届/次 suggested, the title composed live, a room conflict named', async ({ page }) => {
  const staff = await staffApi()
  const room = await newRoom(staff)
  const day = shanghaiDate(45)
  const taken = await book(staff, room, day, '09:00', '12:00', `已借出${RUN}`)
  const next = (await staff.get('/api/meetings/next-number?kind=council')).json

  await signIn(page, 'staff')
  await page.goto('/meetings')
  await page.locator(sel('meeting-create')).click()
  const dialog = page.locator(sel('meeting-dialog'))
  const preview = dialog.locator(sel('meeting-title-preview'))
  await preview.filter({ hasText: next.title }).waitFor()
  assert.equal(await preview.innerText(), composeTitle('council', next.term_no, next.session_no))
  // A change of 次 changes the title as it is typed.
  await dialog.locator(input('meeting-session')).fill(String(next.session_no + 1))
  await dialog.locator(input('meeting-session')).press('Tab')
  await preview.filter({ hasText: composeTitle('council', next.term_no, next.session_no + 1) }).waitFor()
  await dialog.locator(input('meeting-session')).fill(String(next.session_no))
  await dialog.locator(input('meeting-session')).press('Tab')
  assert.match(await dialog.locator(sel('meeting-invite-tiers')).innerText(), /理事单位/)

  await dialog.locator(`${sel('meeting-room')}`).click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: room.name }).first().click()
  await pickDate(page, 'meeting-starts-at', `${day} 10:00`)
  await pickDate(page, 'meeting-ends-at', `${day} 11:30`)
  await pickDate(page, 'meeting-deadline', `${shanghaiDate(40)} 17:00`)
  await dialog.locator(sel('agenda-add')).click()
  await dialog.locator(sel('agenda-add')).click()
  await dialog.locator(input('agenda-title-0')).fill('审议财务报告')
  await dialog.locator(input('agenda-title-1')).fill('审议年度工作报告')
  await dialog.locator(sel('agenda-up-1')).click()
  assert.equal(await dialog.locator(input('agenda-title-0')).inputValue(), '审议年度工作报告')
  assert.deepEqual(await axe(page), [], 'meeting dialog: axe')

  // The room is taken at that time: the booking in the way is named.
  await dialog.locator(sel('meeting-save')).click()
  await dialog.locator(sel('meeting-dialog-error')).waitFor()
  assert.match(await dialog.locator(sel('booking-conflict')).innerText(), new RegExp(taken.title))
  await pickDate(page, 'meeting-starts-at', `${day} 14:00`)
  await pickDate(page, 'meeting-ends-at', `${day} 16:00`)
  await dialog.locator(sel('meeting-save')).click()
  await toast(page, '会议已保存')
  await waitForPath(page, (u) => /^\/meetings\/\d+$/.test(u.pathname), 'the new meeting page')
  assert.equal(await page.locator(sel('meeting-title')).innerText(), next.title)
  assert.equal(await page.locator(sel('meeting-time')).innerText(), `${day} 14:00–16:00`)
  assert.equal(await page.locator(sel('meeting-place-text')).innerText(), room.name)
  assert.match(await page.locator(sel('agenda')).innerText(), /审议年度工作报告[\s\S]*审议财务报告/)
  const id = Number(new URL(page.url()).pathname.split('/').pop())
  const saved = (await staff.get(`/api/meetings/${id}`)).json
  assert.ok(saved.booking_id, 'the room is booked with the meeting')
  assert.ok(saved.invited > 0, 'the rule invited the council tiers')
})

test('meetings: a member replies from its home page; a refused proxy shows why; its pass; others are hidden', async ({ page }) => {
  const staff = await staffApi()
  const [x, y, z] = await otherUnits(staff, 3)
  const meeting = await newMeeting(staff, { members: [1, x.id, y.id], kind: 'council' })
  const hidden = await newMeeting(staff, { members: [z.id] })
  shared.meeting = meeting
  shared.units = [x, y, z]

  await signIn(page, 'member')
  const card = page.locator(sel(`home-invitation-${meeting.id}`))
  await card.waitFor()
  await card.locator(sel(`home-invitation-reply-${meeting.id}`)).click()
  await waitForPath(page, (u) => u.pathname === `/meetings/${meeting.id}`, 'the meeting page')
  const form = page.locator(sel('reply-form'))
  await form.waitFor()

  // Attending: a bad mobile is caught here, then two people go.
  await form.locator(input('reply-name-0')).fill('王主任')
  await form.locator(input('reply-title-0')).fill('办公室主任')
  await form.locator(input('reply-mobile-0')).fill('1234')
  await form.locator(sel('reply-save')).click()
  await fieldError(form, 'reply-mobile-0').first().waitFor()
  await form.locator(input('reply-mobile-0')).fill(mobile())
  await form.locator(sel('reply-add-person')).click()
  await form.locator(input('reply-name-1')).fill('李科长')
  await form.locator(input('reply-mobile-1')).fill(mobile())
  // Naming attendees confirms they were told of the privacy notice.
  await tickConsent(form)
  await form.locator(sel('reply-save')).click()
  await toast(page, '回执已提交')
  const summary = page.locator(sel('reply-summary'))
  await summary.waitFor()
  assert.equal(await summary.getAttribute('data-state'), 'attending')
  assert.equal(await summary.locator(sel('reply-attendee')).count(), 2)
  let own = (await (await memberApi()).get(`/api/meetings/${meeting.id}/rsvp`)).json
  assert.equal(own.attending, true)

  // A proxy to a unit not invited: the server's message under the picker; to an invited unit: saved.
  await page.locator(sel('reply-change')).click()
  await form.locator(`${sel('reply-choice')} [data-value="proxy"]`).click()
  const pickUnit = async (unit) => {
    const picker = form.locator(`${sel('reply-proxy-unit')} .el-select`)
    await picker.click()
    await picker.locator('input').fill(unit.name)
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: unit.name }).first().click()
  }
  await pickUnit(z)
  await form.locator(sel('reply-save')).click()
  await fieldError(form, 'reply-proxy-unit').first().waitFor()
  await pickUnit(x)
  await form.locator(sel('reply-save')).click()
  await toast(page, '回执已提交')
  await page.locator(`${sel('reply-summary')}[data-state="proxy"]`).waitFor()
  assert.match(await page.locator(sel('reply-proxy')).innerText(), new RegExp(x.name))

  // Back to attending, and the pass's QR code.
  await page.locator(sel('reply-change')).click()
  await form.locator(`${sel('reply-choice')} [data-value="attending"]`).click()
  await form.locator(input('reply-name-0')).fill('王主任')
  await form.locator(input('reply-mobile-0')).fill(mobile())
  await tickConsent(form)
  await form.locator(sel('reply-save')).click()
  await toast(page, '回执已提交')
  await page.locator(sel('meeting-pass')).click()
  await page.locator(`${sel('meeting-pass-qr')} svg`).waitFor()
  own = (await (await memberApi()).get(`/api/meetings/${meeting.id}/rsvp`)).json
  assert.deepEqual([own.attending, own.proxy_to_member_id ?? null], [true, null])

  // Not invited: the meeting is not there for this unit.
  await page.goto(`/meetings/${hidden.id}`)
  await page.locator(sel('meeting-error')).filter({ hasText: '会议不存在' }).waitFor()
  await page.goto('/meetings')
  await page.locator(sel(`meeting-link-${meeting.id}`)).waitFor()
  assert.equal(await page.locator(sel(`meeting-link-${hidden.id}`)).count(), 0)
})

test('meetings: staff see the 回执 matrix, remind, export; check in by roster and QR; quorum, a vote, minutes, the record', async ({ page }) => {
  const staff = await staffApi()
  const meeting = shared.meeting ?? (await newMeeting(staff, { members: [1, ...(await otherUnits(staff, 2)).map((u) => u.id)], kind: 'council' }))
  if (!shared.meeting) {
    const member = await memberApi()
    const r = await member.post(`/api/meetings/${meeting.id}/rsvp`, { member_id: 1, attending: true, attendees: [{ name: '王主任', title: '', mobile: mobile() }], proxy_to_member_id: null, note: '', consent_version: await noticeVersion() })
    assert.equal(r.status, 200, r.text)
  }
  const matrix = (await staff.get(`/api/meetings/${meeting.id}/rsvps`)).json

  await signIn(page, 'staff')
  await page.goto(`/meetings/${meeting.id}?tab=rsvps`)
  const table = page.locator(sel('rsvps-table'))
  await rows(page, 'rsvps-table').first().waitFor()
  assert.equal(await rows(page, 'rsvps-table').count(), matrix.counts.invited)
  assert.equal(await page.locator(sel('rsvps-count-none')).innerText(), String(matrix.counts.none))
  assert.equal(await table.locator(sel('rsvp-state-1')).innerText(), '参会')
  await page.locator(`${sel('rsvps-filter')} [data-value="none"]`).click()
  assert.equal(await rows(page, 'rsvps-table').count(), matrix.counts.none)
  await page.locator(sel('rsvps-remind')).click()
  await page.locator(sel('rsvps-reminded')).filter({ hasText: /已向 \d+ 家单位发送提醒/ }).waitFor()
  for (const [button, pattern] of [['rsvps-export', /\.xlsx$/], ['rsvps-sign-in-sheet', /\.xlsx$/]]) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator(sel(button)).click()])
    assert.match(file.suggestedFilename(), pattern)
  }

  // Attendance by roster: unit 1 present; the quorum card follows at once.
  await page.goto(`/meetings/${meeting.id}?tab=attendance`)
  const quorum = page.locator(sel('quorum'))
  await quorum.locator(sel('quorum-entitled')).waitFor()
  const before = Number(await quorum.locator(sel('quorum-in-person')).innerText())
  await page.locator(sel('attendance-present-1')).click()
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-test="quorum-in-person"]')?.textContent) === n + 1,
    before,
  )
  const q = (await staff.get(`/api/meetings/${meeting.id}/quorum`)).json
  assert.equal(await quorum.locator(sel('quorum-present')).innerText(), String(q.present))
  assert.equal((await quorum.locator(sel('quorum-required')).innerText()).split(/\s/)[0], String(q.required))
  assert.equal(await quorum.getAttribute('data-reached'), String(q.reached))

  // By QR pass: another unit's pass opens the check-in page, which names the unit.
  const other = matrix.items.find((i) => i.member_id !== 1)
  const pass = (await staff.get(`/api/meetings/${meeting.id}/pass?member_id=${other.member_id}`)).json
  assert.match(pass.check_in_url, new RegExp(`/meeting-check-in/${meeting.id}/`))
  await page.goto(new URL(pass.check_in_url, BASE).pathname)
  await page.locator(sel('check-in-confirm')).click()
  await page.locator(sel('check-in-result')).waitFor()
  assert.equal(await page.locator(sel('check-in-unit')).innerText(), other.member_name)
  assert.ok((await staff.get(`/api/meetings/${meeting.id}/rsvps`)).json.items.find((i) => i.member_id === other.member_id).present)

  // A vote: 应到 and 实到 from the quorum; the outcome shown, then recorded.
  await page.goto(`/meetings/${meeting.id}?tab=resolutions`)
  await page.locator(sel('resolution-create')).click()
  const dialog = page.locator(sel('resolution-dialog'))
  const q2 = (await staff.get(`/api/meetings/${meeting.id}/quorum`)).json
  await page.waitForFunction((n) => document.querySelector('[data-test="resolution-present"] input')?.value === String(n), q2.present)
  assert.equal(await dialog.locator(input('resolution-entitled')).inputValue(), String(q2.entitled))
  await dialog.locator(input('resolution-title')).fill(`关于年度工作报告的决议${RUN}`)
  await dialog.locator(input('resolution-votes_for')).fill(String(q2.present))
  await dialog.locator(input('resolution-votes_for')).press('Tab')
  await dialog.locator(sel('resolution-outcome')).filter({ hasText: '获得通过' }).waitFor()
  await dialog.locator(`${sel('resolution-method')} [data-value="secret_ballot"]`).click()
  await dialog.locator(sel('resolution-save')).click()
  await toast(page, '已记录：通过')
  const res = (await staff.get(`/api/meetings/${meeting.id}/resolutions`)).json.items.find((r) => r.title.includes(RUN))
  assert.deepEqual([res.entitled, res.present, res.votes_for, res.method, res.passed], [q2.entitled, q2.present, q2.present, 'secret_ballot', true])
  await page.locator(sel(`resolution-passed-${res.id}`)).filter({ hasText: '通过' }).waitFor()

  // Minutes, then the printable record.
  await page.goto(`/meetings/${meeting.id}?tab=minutes`)
  await page.locator(input('minutes-text')).fill(`会议由秘书长主持。\n审议通过年度工作报告。${RUN}`)
  await page.locator(sel('minutes-save')).click()
  await toast(page, '会议纪要已保存')
  await page.locator(sel('minutes-record')).click()
  await waitForPath(page, (u) => u.pathname === `/meetings/${meeting.id}/record`, 'the record')
  const record = page.locator(sel('meeting-record'))
  await record.locator(sel('record-resolution')).first().waitFor()
  assert.match(await record.locator(sel('record-resolution')).first().innerText(), new RegExp(`${q2.entitled}[\\s\\S]*${q2.present}[\\s\\S]*无记名投票[\\s\\S]*通过`))
  assert.match(await record.locator(sel('record-minutes')).innerText(), new RegExp(RUN))
  assert.match(await record.locator(sel('record-attendance')).innerText(), new RegExp(`应到 ${q2.entitled} 家`))
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.locator('.no-print').first().isVisible(), false, 'the menu and buttons are not printed')
  assert.ok(await record.isVisible())
  await page.emulateMedia({ media: 'screen' })
})

test('meetings: staff upload materials (checked by content); a member downloads one; staff delete it', async ({ page }) => {
  const staff = await staffApi()
  const meeting = shared.meeting ?? (await newMeeting(staff))
  const pdf = { name: `议程${RUN}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n') }
  const fake = { name: `伪装${RUN}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from('this is not a PDF at all') }

  await signIn(page, 'staff')
  await page.goto(`/meetings/${meeting.id}?tab=materials`)
  const fileInput = page.locator(`${sel('material-upload')} input[type="file"]`)
  // A file whose content is not what its name says: the server's message, nothing listed.
  await fileInput.setInputFiles(fake)
  await page.locator(sel('material-error')).waitFor()
  assert.equal(await rows(page, 'materials-table').filter({ hasText: fake.name }).count(), 0)
  await fileInput.setInputFiles(pdf)
  await toast(page, `已上传 ${pdf.name}`)
  const row = rows(page, 'materials-table').filter({ hasText: pdf.name })
  await row.waitFor()
  const material = (await staff.get(`/api/meetings/${meeting.id}`)).json.materials.find((m) => m.filename === pdf.name)
  assert.ok(material, 'the material is stored')

  // An invited member downloads it.
  const other = await newPage({ acceptDownloads: true })
  try {
    await signIn(other.page, 'member')
    await other.page.goto(`/meetings/${meeting.id}`)
    const [file] = await Promise.all([
      other.page.waitForEvent('download'),
      other.page.locator(sel(`material-download-${material.id}`)).click(),
    ])
    assert.equal(file.suggestedFilename(), pdf.name)
    assert.deepEqual(other.problems, [])
  } finally {
    await other.context.close()
  }

  await page.locator(sel(`material-delete-${material.id}`)).click()
  await confirmBox(page)
  await toast(page, '材料已删除')
  await row.waitFor({ state: 'detached' })
})

test('meetings: the month view colours each kind of activity; a meeting opens its page', async ({ page }) => {
  const staff = await staffApi()
  const meeting = shared.meeting ?? (await newMeeting(staff))
  const day = wall(meeting.starts_at).slice(0, 10)
  await signIn(page, 'staff')
  await page.goto(`/meetings/calendar?date=${day}`)
  for (const type of ['meeting', 'class', 'booking']) {
    await page.locator(`${sel('calendar-legend')} [data-type="${type}"]`).waitFor()
  }
  const event = page.locator(`${sel('activity-calendar')} .fc-event`).filter({ hasText: meeting.title }).first()
  await event.waitFor()
  await calendarReady(page, 'activity-calendar')
  const colour = await event.evaluate((el) => getComputedStyle(el).backgroundColor)
  const hex = EVENT_COLORS.meeting.match(/[0-9a-f]{2}/gi).map((h) => parseInt(h, 16))
  assert.equal(colour, `rgb(${hex.join(', ')})`)
  await event.click()
  await waitForPath(page, (u) => u.pathname === `/meetings/${meeting.id}`, 'the meeting page')
})

test('meetings: the demo has rooms, a weekly series, a council with its quorum, an assembly half replied', async ({ page }) => {
  const staff = await staffApi()
  const rooms = (await staff.get('/api/rooms')).json.items
  assert.ok(rooms.length >= 3)
  const councils = (await staff.get('/api/meetings?kind=council')).json.items
  let reached = null
  for (const m of councils) {
    const q = (await staff.get(`/api/meetings/${m.id}/quorum`)).json
    if (q?.reached && m.replied > 0) {
      reached = m
      break
    }
  }
  assert.ok(reached, 'a council meeting with replies and its quorum reached')
  const assemblies = (await staff.get('/api/meetings?kind=general_assembly&status=scheduled')).json.items
  const assembly = assemblies.find((m) => m.replied > 0 && m.replied < m.invited)
  assert.ok(assembly, 'an upcoming general assembly with some replies in')

  await signIn(page, 'staff')
  await page.goto(`/meetings/${reached.id}`)
  await page.locator(`${sel('quorum')}[data-reached="true"]`).waitFor()
  await page.goto(`/meetings/${assembly.id}?tab=rsvps`)
  await rows(page, 'rsvps-table').first().waitFor()
  assert.equal(await page.locator(sel('rsvps-count-none')).innerText(), String(assembly.invited - assembly.replied))
  // The weekly series: in one of the rooms, drawn on its calendar.
  let seriesBooking = null
  for (const r of rooms) {
    const items = (await staff.get(`/api/bookings?room_id=${r.id}&from=${shanghaiDate(-14)}&to=${shanghaiDate(90)}`)).json.items
    seriesBooking = items.find((b) => b.series_id != null) ?? null
    if (seriesBooking) break
  }
  assert.ok(seriesBooking, 'a weekly series is booked')
  const seriesDay = wall(seriesBooking.starts_at).slice(0, 10)
  await page.goto(`/meetings/room-calendar?room=${seriesBooking.room_id}&date=${seriesDay}`)
  await eventIn(page, seriesDay, seriesBooking.title).waitFor()
})

test('meetings: the calendar feed on the user\'s own page: copy, renew, revoke', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE }).catch(() => {})
  await signIn(page, 'member')
  await page.locator(sel('user-name')).click()
  await waitForPath(page, (u) => u.pathname === '/account', 'the account page')
  const url = page.locator(input('feed-url'))
  await url.waitFor()
  const first = await url.inputValue()
  assert.match(first, /\/api\/calendar\.ics\?token=/)
  assert.match(await page.locator(sel('feed-howto')).innerText(), /日历/)
  await page.locator(sel('feed-copy')).click()
  await page.locator('.el-message').first().waitFor()
  const ics = await feed(first)
  assert.equal(ics.status, 200)
  assert.match(ics.headers.get('content-type'), /text\/calendar/)
  assert.match(await ics.text(), /BEGIN:VCALENDAR/)

  await page.locator(sel('feed-renew')).click()
  await confirmBox(page)
  await toast(page, '已生成新的订阅链接')
  const second = await url.inputValue()
  assert.notEqual(second, first)
  assert.equal((await feed(first)).status, 404, 'the old address is dead')

  await page.locator(sel('feed-revoke')).click()
  await confirmBox(page)
  await toast(page, '日历订阅已停用')
  await page.locator(sel('feed-revoked')).waitFor()
  assert.equal((await feed(second)).status, 404, 'a revoked address is dead')
  await page.locator(sel('feed-create')).click()
  await url.waitFor()
  assert.notEqual(await url.inputValue(), second)
})

test('meetings: settings are saved and read back', async ({ page }) => {
  const staff = await staffApi()
  const before = (await staff.get('/api/meetings/settings')).json
  await signIn(page, 'staff')
  await page.goto('/meetings/settings')
  const field = page.locator(input('settings-max-proxies'))
  await field.waitFor()
  assert.equal(await field.inputValue(), String(before.max_proxies_per_holder))
  await field.fill(String(before.max_proxies_per_holder + 1))
  await page.locator(sel('meeting-settings-save')).click()
  await toast(page, '会议设置已保存')
  assert.equal((await staff.get('/api/meetings/settings')).json.max_proxies_per_holder, before.max_proxies_per_holder + 1)
  const restored = await staff.put('/api/meetings/settings', before)
  assert.equal(restored.status, 200, restored.text)
})

// Every meetings page at both sizes: screenshots, the layout checks and axe.
for (const size of ['desktop', 'phone']) {
  test(`meetings (${size}): every meetings page fits the screen and passes axe; screenshots`, async () => {
    const staff = await staffApi()
    const meeting = shared.meeting ?? (await newMeeting(staff))
    const room = (await staff.get('/api/rooms?active=true')).json.items[0]
    const date = wall(meeting.starts_at).slice(0, 10)
    const pages = {
      staff: {
        'meetings-list': '/meetings',
        'meetings-rooms': '/meetings/rooms',
        'meetings-room-calendar': `/meetings/room-calendar?room=${room.id}&date=${date}`,
        'meetings-calendar': `/meetings/calendar?date=${date}`,
        'meetings-settings': '/meetings/settings',
        'meetings-meeting': `/meetings/${meeting.id}`,
        'meetings-materials': `/meetings/${meeting.id}?tab=materials`,
        'meetings-invitees': `/meetings/${meeting.id}?tab=invitees`,
        'meetings-rsvps': `/meetings/${meeting.id}?tab=rsvps`,
        'meetings-attendance': `/meetings/${meeting.id}?tab=attendance`,
        'meetings-resolutions': `/meetings/${meeting.id}?tab=resolutions`,
        'meetings-minutes': `/meetings/${meeting.id}?tab=minutes`,
        'meetings-record': `/meetings/${meeting.id}/record`,
        'meetings-account': '/account',
      },
      leader: {
        'meetings-leader-list': '/meetings',
        'meetings-leader-meeting': `/meetings/${meeting.id}`,
      },
      member: {
        'meetings-member-list': '/meetings',
        'meetings-member-meeting': `/meetings/${meeting.id}`,
        'meetings-member-room-calendar': `/meetings/room-calendar?room=${room.id}&date=${date}`,
        'meetings-member-home': '/',
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
          // The dialogs: full-screen sheets on a phone.
          await env.page.goto('/meetings')
          await env.page.locator(sel('meeting-create')).click()
          await env.page.locator(sel('meeting-save')).waitFor()
          assert.equal(await env.page.locator('.el-dialog.is-fullscreen').count(), size === 'phone' ? 1 : 0)
          await settle(env.page)
          await screenshot(env.page, size, 'meetings-meeting-dialog')
          for (const v of await axe(env.page)) failures.push(`${size} meeting dialog: ${v}`)
          await env.page.goto(`/meetings/room-calendar?room=${room.id}&date=${date}`)
          await env.page.locator(sel('series-create')).click()
          await env.page.locator(sel('series-check')).waitFor()
          await settle(env.page)
          await screenshot(env.page, size, 'meetings-series-dialog')
          for (const v of await axe(env.page)) failures.push(`${size} series dialog: ${v}`)
        }
        assert.deepEqual(env.problems, [], `${role}: no errors in the page`)
      } catch (error) {
        error.message = `[${size} ${role}] ${error.message}`
        await screenshot(env.page, size, `failed-meetings-${role}`).catch(() => {})
        throw error
      } finally {
        await env.context.close()
      }
    }
    assert.deepEqual(failures, [])
  })
}
