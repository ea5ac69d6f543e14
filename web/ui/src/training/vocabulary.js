// The training vocabulary: the codes the server stores (services/training/training_rules.cpp) and
// the pure rules the pages need — which status changes staff may make, a class's half-day
// attendance slots, and Asia/Shanghai wall time for the date pickers. Labels live in the i18n
// files: t(`classStatus.${code}`), t(`enrollmentStatus.${code}`), t(`lodging.${code}`).
import { formatDate, shanghaiParts } from '../utils/format.js'

// A class's status, in the order of its life.
export const CLASS_STATUSES = ['draft', 'open', 'closed', 'finished', 'cancelled']
// The statuses a class may be created with.
export const NEW_CLASS_STATUSES = ['draft', 'open', 'closed']
// What a member (or a leader) may list; staff also see drafts and cancelled classes.
export const PUBLIC_CLASS_STATUSES = ['open', 'closed', 'finished']

export const ENROLLMENT_STATUSES = ['confirmed', 'waitlisted', 'cancelled']
export const LODGING = ['none', 'single', 'shared']
export const HALVES = ['am', 'pm']

// classStatusTargets('open') → ['closed', 'finished', 'cancelled']: the server's
// class_status_change_allowed (draft → open/closed, open ⇄ closed, open/closed → finished,
// anything unfinished → cancelled; finished and cancelled are final).
export function classStatusTargets(from) {
  if (!CLASS_STATUSES.includes(from) || from === 'finished' || from === 'cancelled') return []
  return CLASS_STATUSES.filter((to) => {
    if (to === from || to === 'draft') return false
    if (to === 'finished') return from === 'open' || from === 'closed'
    return true
  })
}

// Element-style tag colour of a class or enrolment status.
export function trainingTagType(status) {
  return (
    {
      draft: 'info',
      open: 'success',
      closed: 'warning',
      finished: 'primary',
      cancelled: 'info',
      confirmed: 'success',
      waitlisted: 'warning',
    }[status] ?? 'info'
  )
}

const pad = (n) => String(n).padStart(2, '0')

// The calendar days (YYYY-MM-DD, Asia/Shanghai) from `starts_at` to `ends_at`, both included.
export function classDays(cls) {
  const first = formatDate(cls?.starts_at)
  const last = formatDate(cls?.ends_at)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(first) || !/^\d{4}-\d{2}-\d{2}$/.test(last)) return []
  const days = []
  const d = new Date(`${first}T00:00:00Z`)
  const end = new Date(`${last}T00:00:00Z`)
  while (d <= end && days.length < 62) {
    days.push(`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`)
    d.setUTCDate(d.getUTCDate() + 1)
  }
  return days
}

// The half-day attendance slots of a class, as the server counts them: [{day, half}].
export function classSlots(cls) {
  return classDays(cls).flatMap((day) => HALVES.map((half) => ({ day, half })))
}

// The half day `now` falls in (Asia/Shanghai): {day, half}.
export function slotAt(now = new Date()) {
  const p = shanghaiParts(now)
  return { day: `${p.year}-${p.month}-${p.day}`, half: Number(p.hour) < 12 ? 'am' : 'pm' }
}

// The slot a check-in defaults to: the current half day while the class runs, else its first.
export function defaultSlot(cls, now = new Date()) {
  const slots = classSlots(cls)
  const current = slotAt(now)
  return slots.find((s) => s.day === current.day && s.half === current.half) ?? slots[0] ?? null
}

export const slotKey = (slot) => (slot ? `${slot.day}/${slot.half}` : '')
export function parseSlotKey(key) {
  const m = /^(\d{4}-\d{2}-\d{2})\/(am|pm)$/.exec(String(key ?? ''))
  return m ? { day: m[1], half: m[2] } : null
}

// The date pickers work in wall time: 'YYYY-MM-DD HH:mm:ss' read as Asia/Shanghai, whatever the
// browser's own zone. toShanghaiWallTime('2026-12-10T01:00:00Z') → '2026-12-10 09:00:00'.
export function toShanghaiWallTime(instant) {
  const p = shanghaiParts(instant)
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}` : ''
}

// fromShanghaiWallTime('2026-12-10 09:00:00') → '2026-12-10T09:00:00+08:00' (what the API takes);
// a bad value → null.
export function fromShanghaiWallTime(text) {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(String(text ?? '').trim())
  return m ? `${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00` : null
}

// A class's dates for people: '2026-12-10 09:00–17:00' within one day, else
// '2026-12-10 09:00 – 2026-12-12 17:00'.
export function classPeriod(cls) {
  const a = toShanghaiWallTime(cls?.starts_at)
  const b = toShanghaiWallTime(cls?.ends_at)
  if (!a || !b) return '—'
  if (a.slice(0, 10) === b.slice(0, 10)) return `${a.slice(0, 16)}–${b.slice(11, 16)}`
  return `${a.slice(0, 16)} – ${b.slice(0, 16)}`
}

// A roster in the order people read it: confirmed places by sign-up time, then the waitlist by
// position, then cancelled ones.
export function rosterOrder(enrollments) {
  const rank = { confirmed: 0, waitlisted: 1, cancelled: 2 }
  return [...enrollments].sort(
    (a, b) =>
      (rank[a.status] ?? 3) - (rank[b.status] ?? 3) ||
      (a.status === 'waitlisted' ? (a.waitlist_position ?? 0) - (b.waitlist_position ?? 0) : 0) ||
      String(a.created_at).localeCompare(String(b.created_at)) ||
      a.id - b.id,
  )
}
