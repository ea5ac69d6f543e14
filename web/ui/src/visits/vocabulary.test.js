// node --test src/ — the exchange visit rules the pages mirror from the server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import {
  DELEGATE_STATUSES,
  GENDERS,
  HALF_DAYS,
  VISIT_STATUSES,
  addDays,
  byUnit,
  canApply,
  canWithdraw,
  countByStatus,
  daysBetween,
  delegationOrder,
  fieldPath,
  hostNames,
  itineraryByDay,
  listErrors,
  mixedRooms,
  moveDelegate,
  moveItem,
  overlapDays,
  periodProblem,
  periodsText,
  roomingBody,
  swapDelegates,
  topicChoices,
  visitPeriod,
  visitSlots,
  visitStatusTargets,
} from './vocabulary.js'

test('each code has a Chinese and an English label', () => {
  for (const [section, codes] of [
    ['visitStatus', VISIT_STATUSES],
    ['delegateStatus', DELEGATE_STATUSES],
    ['genders', GENDERS],
    ['halfDays', HALF_DAYS],
  ]) {
    assert.deepEqual(Object.keys(zhCN[section]).sort(), [...codes].sort(), section)
    assert.deepEqual(Object.keys(en[section]).sort(), [...codes].sort(), section)
    for (const code of codes) assert.match(zhCN[section][code], /[\u4e00-\u9fff]/, `${section}.${code} is Chinese`)
  }
  assert.equal(zhCN.halfDays.am, '上午')
  assert.equal(zhCN.halfDays.pm, '下午')
  assert.equal(zhCN.halfDays.day, '全天')
  assert.equal(zhCN.genders.m, '男')
  assert.equal(zhCN.genders.f, '女')
})

test('status changes follow the server', () => {
  assert.deepEqual(visitStatusTargets('draft'), ['open', 'cancelled'])
  assert.deepEqual(visitStatusTargets('open'), ['closed', 'completed', 'cancelled'])
  assert.deepEqual(visitStatusTargets('closed'), ['open', 'confirmed', 'completed', 'cancelled'])
  assert.deepEqual(visitStatusTargets('confirmed'), ['completed', 'cancelled'])
  assert.deepEqual(visitStatusTargets('completed'), [])
  assert.deepEqual(visitStatusTargets('cancelled'), [])
  assert.deepEqual(visitStatusTargets('bogus'), [])
})

test('days, slots and periods', () => {
  assert.equal(addDays('2026-02-28', 1), '2026-03-01')
  assert.equal(addDays('2028-02-28', 1), '2028-02-29')
  assert.equal(addDays('bad', 1), '')
  assert.deepEqual(daysBetween('2026-12-31', '2027-01-01'), ['2026-12-31', '2027-01-01'])
  assert.deepEqual(daysBetween('2026-05-02', '2026-05-01'), [])
  const visit = { starts_on: '2026-05-10', ends_on: '2026-05-11' }
  assert.deepEqual(
    visitSlots(visit).map((s) => `${s.day}/${s.half}`),
    ['2026-05-10/am', '2026-05-10/pm', '2026-05-11/am', '2026-05-11/pm'],
  )
  assert.equal(visitPeriod(visit), '2026-05-10 至 05-11')
  assert.equal(visitPeriod({ starts_on: '2026-12-30', ends_on: '2027-01-02' }, 'to'), '2026-12-30 to 2027-01-02')
  assert.equal(visitPeriod({ starts_on: '2026-05-10', ends_on: '2026-05-10' }), '2026-05-10')
  assert.equal(hostNames({ hosts: [{ member_id: 1, name: '长沙经开区' }, { member_id: null, name: '比亚迪' }] }), '长沙经开区、比亚迪')
})

test('the itinerary by day: whole-day lines first, then morning, afternoon', () => {
  const items = [
    { date: '2026-05-11', half: 'am', place: 'C' },
    { date: '2026-05-10', half: 'pm', place: 'B' },
    { date: '2026-05-10', half: null, place: 'A' },
    { date: '2026-05-10', half: 'am', place: 'A2' },
  ]
  const days = itineraryByDay(items)
  assert.deepEqual(days.map((d) => d.day), ['2026-05-10', '2026-05-11'])
  assert.deepEqual(days[0].items.map((i) => i.place), ['A', 'A2', 'B'])
  assert.deepEqual(itineraryByDay([]), [])
})

test('the delegation: order, units and counts', () => {
  const list = [
    { id: 1, status: 'rejected', member_id: 2, member_name: '株洲高新区' },
    { id: 2, status: 'waitlisted', waitlist_position: 2, member_id: 1, member_name: '长沙经开区' },
    { id: 3, status: 'approved', member_id: 1, member_name: '长沙经开区' },
    { id: 4, status: 'waitlisted', waitlist_position: 1, member_id: 2, member_name: '株洲高新区' },
    { id: 5, status: 'pending', member_id: 1, member_name: '长沙经开区' },
  ]
  assert.deepEqual(delegationOrder(list).map((d) => d.id), [3, 4, 2, 5, 1])
  // 长沙 (chang) before 株洲 (zhu) by pinyin.
  assert.deepEqual(byUnit(list).map((u) => u.member_name), ['长沙经开区', '株洲高新区'])
  assert.deepEqual(countByStatus(list), { pending: 1, approved: 1, waitlisted: 2, rejected: 1, withdrawn: 0 })
})

test('applying and withdrawing', () => {
  const now = new Date('2026-05-01T15:00:00Z') // 23:00 in Shanghai
  assert.equal(canApply({ status: 'open', apply_deadline: '2026-05-01' }, now), true)
  assert.equal(canApply({ status: 'open', apply_deadline: '2026-04-30' }, now), false)
  assert.equal(canApply({ status: 'open', apply_deadline: '2026-05-01T12:00:00+08:00' }, now), false)
  assert.equal(canApply({ status: 'closed', apply_deadline: '2026-06-01' }, now), false)
  assert.equal(canWithdraw({ status: 'open' }, { status: 'approved' }), true)
  assert.equal(canWithdraw({ status: 'completed' }, { status: 'approved' }), false)
  assert.equal(canWithdraw({ status: 'open' }, { status: 'rejected' }), false)
})

test('server field paths', () => {
  assert.deepEqual(fieldPath('itinerary[2].date'), { list: 'itinerary', index: 2, field: 'date' })
  assert.deepEqual(fieldPath('rooms[1]'), { list: 'rooms', index: 1, field: '' })
  assert.equal(fieldPath('title'), null)
  assert.deepEqual(listErrors({ 'itinerary[2].date': '不在考察日期内', 'itinerary[0].place': '必填', title: 'x' }, 'itinerary'), {
    2: { date: '不在考察日期内' },
    0: { place: '必填' },
  })
  assert.deepEqual(moveItem(['a', 'b', 'c'], 2, -1), ['a', 'c', 'b'])
  assert.deepEqual(moveItem(['a', 'b'], 0, -1), ['a', 'b'])
})

test('rooming: swap two people, move one, the body', () => {
  const rooms = [{ delegates: [1, 2] }, { delegates: [3, 4] }, { delegates: [5] }]
  assert.deepEqual(roomingBody(swapDelegates(rooms, 2, 3)).rooms, [{ delegates: [1, 3] }, { delegates: [2, 4] }, { delegates: [5] }])
  // Both in one room: nothing changes.
  assert.deepEqual(swapDelegates(rooms, 1, 2), rooms)
  // Into a room with a free place; the emptied room disappears.
  assert.deepEqual(moveDelegate(rooms, 5, 0), rooms) // room 0 is full: unchanged
  assert.deepEqual(moveDelegate(rooms, 4, 2).map((r) => r.delegates), [[1, 2], [3], [5, 4]])
  assert.deepEqual(moveDelegate([{ delegates: [1] }, { delegates: [2] }], 1, 1).map((r) => r.delegates), [[2, 1]])
  // Alone in a new room.
  assert.deepEqual(moveDelegate(rooms, 1, null).map((r) => r.delegates), [[2], [3, 4], [5], [1]])
  const gender = { 1: 'm', 2: 'f', 3: 'm', 4: 'm' }
  assert.deepEqual(mixedRooms(rooms, (id) => gender[id]), [0])
})

test('periods and topics', () => {
  assert.equal(periodProblem({ from: '2026-05-01', to: '2026-05-10' }), null)
  assert.equal(periodProblem({ from: '2026-05-10', to: '2026-05-01' }), 'order')
  assert.equal(periodProblem({ from: '2026-01-01', to: '2027-01-02' }), 'long')
  assert.equal(periodProblem({ from: '', to: '2026-05-01' }), 'missing')
  assert.equal(overlapDays({ from: '2026-05-01', to: '2026-05-14' }, { from: '2026-05-10', to: '2026-06-01' }), 5)
  assert.equal(overlapDays({ from: '2026-05-01', to: '2026-05-02' }, { from: '2026-05-03', to: '2026-05-04' }), 0)
  assert.equal(periodsText([{ from: '2026-05-01', to: '2026-05-02' }, { from: '2026-06-01', to: '2026-06-01' }]), '2026-05-01 至 2026-05-02；2026-06-01')
  const topics = [
    { id: 1, name: '新能源汽车', active: true },
    { id: 2, name: '电子信息', active: false },
  ]
  assert.deepEqual(topicChoices(topics), ['新能源汽车'])
  assert.deepEqual(topicChoices(topics, ['电子信息']), ['新能源汽车', '电子信息'])
})

test('report attachments by extension', async () => {
  const { reportExtensionOk } = await import('./vocabulary.js')
  assert.equal(reportExtensionOk('考察报告.PDF'), true)
  assert.equal(reportExtensionOk('现场.jpg'), true)
  assert.equal(reportExtensionOk('现场.png'), true)
  assert.equal(reportExtensionOk('a.exe'), false)
  assert.equal(reportExtensionOk('noext'), false)
})
