// node --test src/ — Asia/Shanghai times for the calendars and the meeting pages. The tests run in
// whatever zone the machine has (CI: UTC); the answers must not depend on it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  addMinutesToWall,
  calendarDay,
  calendarNow,
  formatRange,
  formatTime,
  fromCalendarDate,
  isPast,
  isoWeekday,
  shanghaiDate,
  toCalendarTime,
} from './time.js'

test("instants to the calendar's wall time and back", () => {
  assert.equal(toCalendarTime('2026-03-05T09:00:00+08:00'), '2026-03-05T09:00:00')
  assert.equal(toCalendarTime('2026-03-05T01:00:00Z'), '2026-03-05T09:00:00')
  // Late evening UTC is the next morning in Shanghai.
  assert.equal(toCalendarTime('2026-03-31T17:30:00Z'), '2026-04-01T01:30:00')
  assert.equal(toCalendarTime('nonsense'), '')
  // FullCalendar (timeZone UTC) hands back a Date whose UTC fields are the wall time.
  const drawn = new Date(Date.UTC(2026, 2, 5, 9, 0, 0))
  assert.equal(fromCalendarDate(drawn), '2026-03-05T09:00:00+08:00')
  assert.equal(fromCalendarDate(new Date(`${toCalendarTime('2026-12-31T23:45:00+08:00')}Z`)), '2026-12-31T23:45:00+08:00')
  assert.equal(fromCalendarDate(new Date('x')), null)
  assert.equal(calendarDay(drawn), '2026-03-05')
  assert.equal(calendarNow(new Date('2026-03-05T16:00:00Z')), '2026-03-06T00:00:00')
})

test('times for people, 24 h, Asia/Shanghai', () => {
  assert.equal(formatTime('2026-03-05T01:30:00Z'), '09:30')
  assert.equal(formatTime(''), '—')
  assert.equal(formatRange('2026-03-05T09:00:00+08:00', '2026-03-05T11:30:00+08:00'), '2026-03-05 09:00–11:30')
  assert.equal(formatRange('2026-03-05T09:00:00+08:00', '2026-03-06T12:00:00+08:00'), '2026-03-05 09:00 – 2026-03-06 12:00')
  assert.equal(formatRange('2026-03-05T15:00:00Z', '2026-03-05T17:00:00Z'), '2026-03-05 23:00 – 2026-03-06 01:00')
  assert.equal(formatRange(null, null), '—')
  assert.equal(addMinutesToWall('2026-03-05 09:00:00', 90), '2026-03-05 10:30:00')
  assert.equal(addMinutesToWall('2026-03-31 23:30:00', 60), '2026-04-01 00:30:00')
  assert.equal(shanghaiDate('2026-03-05T20:00:00Z'), '2026-03-06')
})

test('weekdays (ISO, 1 = Monday) in Shanghai', () => {
  assert.equal(isoWeekday('2026-03-05T09:00:00+08:00'), 4)
  assert.equal(isoWeekday('2026-03-08'), 7)
  assert.equal(isoWeekday('2026-03-08T20:00:00Z'), 1)
  assert.equal(isPast('2026-03-05T09:00:00+08:00', new Date('2026-03-05T02:00:00Z')), true)
  assert.equal(isPast('2026-03-05T09:00:00+08:00', new Date('2026-03-05T00:00:00Z')), false)
})
