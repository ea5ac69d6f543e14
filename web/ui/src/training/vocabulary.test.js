// node --test src/ — the training rules the pages mirror from the server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import {
  CLASS_STATUSES,
  ENROLLMENT_STATUSES,
  LODGING,
  classPeriod,
  classSlots,
  classStatusTargets,
  defaultSlot,
  fromShanghaiWallTime,
  parseSlotKey,
  slotAt,
  slotKey,
  toShanghaiWallTime,
} from './vocabulary.js'

test('each code has a Chinese and an English label', () => {
  for (const [section, codes] of [
    ['classStatus', CLASS_STATUSES],
    ['enrollmentStatus', ENROLLMENT_STATUSES],
    ['lodging', LODGING],
  ]) {
    assert.deepEqual(Object.keys(zhCN[section]).sort(), [...codes].sort(), section)
    assert.deepEqual(Object.keys(en[section]).sort(), [...codes].sort(), section)
  }
})

test('status changes follow the server', () => {
  assert.deepEqual(classStatusTargets('draft'), ['open', 'closed', 'cancelled'])
  assert.deepEqual(classStatusTargets('open'), ['closed', 'finished', 'cancelled'])
  assert.deepEqual(classStatusTargets('closed'), ['open', 'finished', 'cancelled'])
  assert.deepEqual(classStatusTargets('finished'), [])
  assert.deepEqual(classStatusTargets('cancelled'), [])
  assert.deepEqual(classStatusTargets('bogus'), [])
})

test('half-day slots in Asia/Shanghai', () => {
  const cls = { starts_at: '2026-12-10T09:00:00+08:00', ends_at: '2026-12-11T17:00:00+08:00' }
  assert.deepEqual(classSlots(cls).map(slotKey), [
    '2026-12-10/am',
    '2026-12-10/pm',
    '2026-12-11/am',
    '2026-12-11/pm',
  ])
  // Across a month end, and a class starting at midnight Shanghai time (16:00 UTC the day before).
  const midnight = { starts_at: '2026-11-30T16:00:00Z', ends_at: '2026-12-01T15:59:59Z' }
  assert.deepEqual(classSlots(midnight).map(slotKey), ['2026-12-01/am', '2026-12-01/pm'])
  const monthEnd = { starts_at: '2027-02-28T09:00:00+08:00', ends_at: '2027-03-01T12:00:00+08:00' }
  assert.deepEqual(classSlots(monthEnd).map((s) => s.day), ['2027-02-28', '2027-02-28', '2027-03-01', '2027-03-01'])
  assert.deepEqual(classSlots({}), [])

  assert.deepEqual(slotAt(new Date('2026-12-11T03:59:00Z')), { day: '2026-12-11', half: 'am' })
  assert.deepEqual(slotAt(new Date('2026-12-11T04:00:00Z')), { day: '2026-12-11', half: 'pm' })
  // While the class runs the current half day; before it, its first.
  assert.deepEqual(defaultSlot(cls, new Date('2026-12-11T06:00:00Z')), { day: '2026-12-11', half: 'pm' })
  assert.deepEqual(defaultSlot(cls, new Date('2026-11-27T06:00:00Z')), { day: '2026-12-10', half: 'am' })
  assert.deepEqual(parseSlotKey('2026-12-10/pm'), { day: '2026-12-10', half: 'pm' })
  assert.equal(parseSlotKey('2026-12-10/noon'), null)
})

test('wall time in Asia/Shanghai for the pickers', () => {
  assert.equal(toShanghaiWallTime('2026-12-10T01:00:00Z'), '2026-12-10 09:00:00')
  assert.equal(toShanghaiWallTime('2026-12-10T09:30:00+08:00'), '2026-12-10 09:30:00')
  assert.equal(toShanghaiWallTime(''), '')
  assert.equal(fromShanghaiWallTime('2026-12-10 09:00:00'), '2026-12-10T09:00:00+08:00')
  assert.equal(fromShanghaiWallTime('2026-12-10 09:00'), '2026-12-10T09:00:00+08:00')
  assert.equal(fromShanghaiWallTime('10/12/2026'), null)
  assert.equal(
    classPeriod({ starts_at: '2026-12-10T09:00:00+08:00', ends_at: '2026-12-10T17:00:00+08:00' }),
    '2026-12-10 09:00–17:00',
  )
  assert.equal(
    classPeriod({ starts_at: '2026-12-10T09:00:00+08:00', ends_at: '2026-12-12T12:00:00+08:00' }),
    '2026-12-10 09:00 – 2026-12-12 12:00',
  )
})

test('roster order: confirmed, the waitlist by position, cancelled', async () => {
  const { rosterOrder } = await import('./vocabulary.js')
  const list = [
    { id: 1, status: 'cancelled', created_at: '2026-11-01T10:00:00+08:00' },
    { id: 2, status: 'waitlisted', waitlist_position: 2, created_at: '2026-11-01T10:01:00+08:00' },
    { id: 3, status: 'confirmed', created_at: '2026-11-01T10:03:00+08:00' },
    { id: 4, status: 'waitlisted', waitlist_position: 1, created_at: '2026-11-01T10:04:00+08:00' },
    { id: 5, status: 'confirmed', created_at: '2026-11-01T10:02:00+08:00' },
  ]
  assert.deepEqual(rosterOrder(list).map((e) => e.id), [5, 3, 4, 2, 1])
})
