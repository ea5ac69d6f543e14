// Times of meetings and bookings, always Asia/Shanghai (UTC+8, no daylight saving), whatever the
// browser's own zone. Pure functions, unit-tested with `node --test`.
//
// The calendars (FullCalendar) run in UTC and are fed Shanghai wall time: an event at
// 09:00+08:00 goes in as '…T09:00:00' and is drawn at 09:00 in any browser; a Date FullCalendar
// hands back (a selection, a drop) carries the wall time in its UTC fields, and
// fromCalendarDate() turns it into the instant '…T09:00:00+08:00' the API takes. FullCalendar's
// own named-zone support needs a time-zone plugin, which this avoids.
import { shanghaiParts } from '../utils/format.js'
import { fromShanghaiWallTime, toShanghaiWallTime } from '../training/vocabulary.js'

export { fromShanghaiWallTime, toShanghaiWallTime }

const pad = (n) => String(n).padStart(2, '0')
const missing = (v) => v === null || v === undefined || v === ''

// toCalendarTime('2026-03-05T01:00:00Z') → '2026-03-05T09:00:00'; '' when unreadable.
export function toCalendarTime(instant) {
  if (missing(instant)) return ''
  const p = shanghaiParts(instant)
  return p ? `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}` : ''
}

// fromCalendarDate(date whose UTC fields are Shanghai wall time) → '2026-03-05T09:00:00+08:00'.
export function fromCalendarDate(date) {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return null
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}+08:00`
  )
}

// The wall time now in Shanghai, for FullCalendar's `now` (today's column, the now line).
export function calendarNow(now = new Date()) {
  return toCalendarTime(now)
}

// The calendar date of a wall-time Date (its UTC fields): 'YYYY-MM-DD'.
export function calendarDay(date) {
  return fromCalendarDate(date)?.slice(0, 10) ?? ''
}

// formatTime('2026-03-05T01:30:00Z') → '09:30'.
export function formatTime(instant) {
  if (missing(instant)) return '—'
  const p = shanghaiParts(instant)
  return p ? `${p.hour}:${p.minute}` : '—'
}

// formatRange(a, b) → '2026-03-05 09:00–11:00' within one day, else
// '2026-03-05 09:00 – 2026-03-06 12:00'; '—' when either is missing.
export function formatRange(start, end) {
  const a = missing(start) ? '' : toShanghaiWallTime(start)
  const b = missing(end) ? '' : toShanghaiWallTime(end)
  if (!a || !b) return a ? a.slice(0, 16) : '—'
  if (a.slice(0, 10) === b.slice(0, 10)) return `${a.slice(0, 16)}–${b.slice(11, 16)}`
  return `${a.slice(0, 16)} – ${b.slice(0, 16)}`
}

// addMinutesToWall('2026-03-05 09:00:00', 90) → '2026-03-05 10:30:00' (wall time in, wall out).
export function addMinutesToWall(wall, minutes) {
  const iso = fromShanghaiWallTime(wall)
  if (!iso) return ''
  return toShanghaiWallTime(new Date(new Date(iso).getTime() + minutes * 60000))
}

// isoWeekday('2026-03-05T09:00:00+08:00') → 4 (Thursday; 1 = Monday … 7 = Sunday) in Shanghai;
// a plain 'YYYY-MM-DD' is that calendar day.
export function isoWeekday(value) {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? value : toShanghaiWallTime(value).slice(0, 10)
  if (!day) return null
  const d = new Date(`${day}T00:00:00Z`).getUTCDay()
  return d === 0 ? 7 : d
}

// The Shanghai date of an instant, 'YYYY-MM-DD' ('' when unreadable).
export function shanghaiDate(instant) {
  return missing(instant) ? '' : toShanghaiWallTime(instant).slice(0, 10)
}

// Whether an instant has passed.
export function isPast(instant, now = new Date()) {
  if (missing(instant)) return false
  const d = new Date(instant)
  return !Number.isNaN(d.getTime()) && d.getTime() < now.getTime()
}
