// The exchange visits (考察交流) vocabulary: the codes the server stores (docs/API.md "Exchange
// visits") and the pure rules the pages need — which status changes staff may make, a visit's
// days and half-day slots, the itinerary by day, the delegation in the order people read it, the
// rooming moves, the server's field paths (itinerary[2].date) and topic/period helpers. Labels
// live in the i18n files: t(`visitStatus.${code}`), t(`delegateStatus.${code}`),
// t(`genders.${code}`), t(`halfDays.${code}`) ('' is the whole day: halfDays.day).

// A visit's status, in the order of its life.
export const VISIT_STATUSES = ['draft', 'open', 'closed', 'confirmed', 'completed', 'cancelled']
// The statuses a visit may be created with.
export const NEW_VISIT_STATUSES = ['draft', 'open']
// What members and leaders may list (drafts are for staff only).
export const PUBLIC_VISIT_STATUSES = ['open', 'closed', 'confirmed', 'completed', 'cancelled']
export const DELEGATE_STATUSES = ['pending', 'approved', 'waitlisted', 'rejected', 'withdrawn']
export const GENDERS = ['m', 'f']
// The half of a day an itinerary line takes: morning, afternoon, or the whole day ('day', sent as
// null).
export const HALF_DAYS = ['day', 'am', 'pm']
// Check-in slots are half days.
export const HALVES = ['am', 'pm']
// At most this many delegates in one application, hosts on a visit, lines in an itinerary.
export const MAX_DELEGATES = 50
export const MAX_HOSTS = 10
export const MAX_ITINERARY = 100
export const MAX_TOPICS = 10
export const MAX_PERIODS = 10
// A visit lasts at most this many days.
export const MAX_DAYS = 31

// visitStatusTargets('open') → ['closed', 'completed', 'cancelled']: the server's rule
// (draft → open, open ⇄ closed, closed → confirmed → completed, open|closed → completed, any but
// completed → cancelled; completed and cancelled are final).
export function visitStatusTargets(from) {
  const next = {
    draft: ['open', 'cancelled'],
    open: ['closed', 'completed', 'cancelled'],
    closed: ['open', 'confirmed', 'completed', 'cancelled'],
    confirmed: ['completed', 'cancelled'],
  }
  return next[from] ?? []
}

// Element-style tag colour of a visit or delegate status.
export function visitTagType(status) {
  return (
    {
      draft: 'info',
      open: 'success',
      closed: 'warning',
      confirmed: 'primary',
      completed: 'primary',
      cancelled: 'info',
      pending: 'warning',
      approved: 'success',
      waitlisted: 'warning',
      rejected: 'danger',
      withdrawn: 'info',
    }[status] ?? 'info'
  )
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
const pad = (n) => String(n).padStart(2, '0')
const iso = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`

// addDays('2026-02-28', 1) → '2026-03-01'; a bad day → ''.
export function addDays(day, n) {
  if (!DAY.test(String(day ?? ''))) return ''
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return iso(d)
}

// daysBetween('2026-05-10', '2026-05-12') → ['2026-05-10', '2026-05-11', '2026-05-12'] (at most
// 400 days; empty for a bad or reversed range).
export function daysBetween(from, to) {
  if (!DAY.test(String(from ?? '')) || !DAY.test(String(to ?? '')) || from > to) return []
  const days = []
  for (let d = from; d && d <= to && days.length < 400; d = addDays(d, 1)) days.push(d)
  return days
}

// The visit's days, starts_on to ends_on.
export const visitDays = (visit) => daysBetween(visit?.starts_on, visit?.ends_on)

// Its half-day check-in slots: [{day, half}].
export const visitSlots = (visit) => visitDays(visit).flatMap((day) => HALVES.map((half) => ({ day, half })))

// A visit's dates for people: '2026-05-10 至 05-12' (the year once), one day '2026-05-10'.
// `to` is the joining word (至 / to).
export function visitPeriod(visit, to = '至') {
  const a = visit?.starts_on
  const b = visit?.ends_on
  if (!a) return '—'
  if (!b || a === b) return a
  return `${a} ${to} ${a.slice(0, 4) === b.slice(0, 4) ? b.slice(5) : b}`
}

// The hosts' names, joined: '长沙经开区、比亚迪股份有限公司'.
export const hostNames = (visit, sep = '、') => (visit?.hosts ?? []).map((h) => h.name).filter(Boolean).join(sep)

// The half code of an itinerary line as the editor holds it: 'am', 'pm', or 'day' for null / ''.
export const halfOf = (item) => (item?.half === 'am' || item?.half === 'pm' ? item.half : 'day')

// The itinerary in days, in the server's order (whole-day lines first, then morning, afternoon):
// [{day, items: [...]}].
export function itineraryByDay(items = []) {
  const rank = { day: 0, am: 1, pm: 2 }
  const sorted = items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => String(a.item.date).localeCompare(String(b.item.date)) || rank[halfOf(a.item)] - rank[halfOf(b.item)] || a.i - b.i)
  const out = []
  for (const { item } of sorted) {
    const last = out[out.length - 1]
    if (last && last.day === item.date) last.items.push(item)
    else out.push({ day: item.date, items: [item] })
  }
  return out
}

// A delegation in the order people read it: approved, the waitlist by position, pending, the rest
// (rejected, withdrawn); ties by id (the order they applied in).
export function delegationOrder(delegates = []) {
  const rank = { approved: 0, waitlisted: 1, pending: 2, rejected: 3, withdrawn: 4 }
  return [...delegates].sort(
    (a, b) =>
      (rank[a.status] ?? 5) - (rank[b.status] ?? 5) ||
      (a.status === 'waitlisted' ? (a.waitlist_position ?? 0) - (b.waitlist_position ?? 0) : 0) ||
      a.id - b.id,
  )
}

// The delegates grouped by unit, units in the order given by `collator` on their names (pinyin
// with 'zh-CN'): [{member_id, member_name, delegates}].
export function byUnit(delegates = [], locale = 'zh-CN') {
  const units = new Map()
  for (const d of delegates) {
    if (!units.has(d.member_id)) units.set(d.member_id, { member_id: d.member_id, member_name: d.member_name, delegates: [] })
    units.get(d.member_id).delegates.push(d)
  }
  const collator = new Intl.Collator(locale)
  return [...units.values()].sort((a, b) => collator.compare(a.member_name ?? '', b.member_name ?? ''))
}

// Counts of a list of delegates by status: {pending, approved, waitlisted, rejected, withdrawn}.
export function countByStatus(delegates = []) {
  const out = Object.fromEntries(DELEGATE_STATUSES.map((s) => [s, 0]))
  for (const d of delegates) if (d.status in out) out[d.status]++
  return out
}

// Whether a member may still apply: the visit is open and its deadline (a date: until its end in
// Asia/Shanghai; or an instant) has not passed.
export function canApply(visit, now = new Date()) {
  if (!visit || visit.status !== 'open') return false
  const d = String(visit.apply_deadline ?? '')
  const end = DAY.test(d) ? new Date(`${d}T23:59:59+08:00`) : new Date(d)
  if (Number.isNaN(end.getTime())) return true
  return now.getTime() <= end.getTime()
}

// Whether a delegate can still be withdrawn by its unit.
export const canWithdraw = (visit, delegate) =>
  Boolean(visit && delegate) &&
  !['completed', 'cancelled'].includes(visit.status) &&
  ['pending', 'approved', 'waitlisted'].includes(delegate.status)

// fieldPath('itinerary[2].date') → {list: 'itinerary', index: 2, field: 'date'};
// fieldPath('rooms[1]') → {list: 'rooms', index: 1, field: ''}; a plain name → null.
export function fieldPath(name) {
  const m = /^(\w+)\[(\d+)\](?:\.(\w+))?$/.exec(String(name ?? ''))
  return m ? { list: m[1], index: Number(m[2]), field: m[3] ?? '' } : null
}

// The server's field errors for one list, by row: listErrors({'itinerary[2].date': 'x'}, 'itinerary')
// → {2: {date: 'x'}} ('' for a message about the row itself).
export function listErrors(fields = {}, list) {
  const out = {}
  for (const [name, message] of Object.entries(fields ?? {})) {
    const p = fieldPath(name)
    if (!p || p.list !== list) continue
    out[p.index] = { ...(out[p.index] ?? {}), [p.field]: String(message) }
  }
  return out
}

// moveItem(['a','b','c'], 2, -1) → ['a','c','b'] (no change past either end).
export function moveItem(list, i, delta) {
  const j = i + delta
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list]
  const out = [...list]
  const [item] = out.splice(i, 1)
  out.splice(j, 0, item)
  return out
}

// ---- Rooming: rooms are [{delegates: [id, …]}] (one or two ids each). ----

// The room index holding delegate `id`, or -1.
export const roomOf = (rooms, id) => rooms.findIndex((r) => r.delegates.includes(id))

// swapDelegates(rooms, a, b) → new rooms with a and b in each other's places; unchanged when
// either is missing or both share a room.
export function swapDelegates(rooms, a, b) {
  const ra = roomOf(rooms, a)
  const rb = roomOf(rooms, b)
  if (ra < 0 || rb < 0 || ra === rb) return rooms.map((r) => ({ ...r, delegates: [...r.delegates] }))
  return rooms.map((r, i) => {
    if (i === ra) return { ...r, delegates: r.delegates.map((d) => (d === a ? b : d)) }
    if (i === rb) return { ...r, delegates: r.delegates.map((d) => (d === b ? a : d)) }
    return { ...r, delegates: [...r.delegates] }
  })
}

// moveDelegate(rooms, id, target) → new rooms with `id` moved into room `target` (which must have
// one place free), or alone in a new room when target is null; emptied rooms disappear.
export function moveDelegate(rooms, id, target) {
  const from = roomOf(rooms, id)
  if (from < 0 || from === target) return rooms.map((r) => ({ ...r, delegates: [...r.delegates] }))
  if (target !== null && (!rooms[target] || rooms[target].delegates.length >= 2)) {
    return rooms.map((r) => ({ ...r, delegates: [...r.delegates] }))
  }
  const out = rooms.map((r, i) => {
    if (i === from) return { ...r, delegates: r.delegates.filter((d) => d !== id) }
    if (i === target) return { ...r, delegates: [...r.delegates, id] }
    return { ...r, delegates: [...r.delegates] }
  })
  if (target === null) out.push({ delegates: [id] })
  return out.filter((r) => r.delegates.length > 0)
}

// The PUT body of a rooming: {rooms: [{delegates: [id, …]}]}.
export const roomingBody = (rooms) => ({ rooms: rooms.map((r) => ({ delegates: [...r.delegates] })) })

// Two people of different genders in one room (the server refuses it): the room indexes.
export function mixedRooms(rooms, genderOf) {
  return rooms
    .map((r, i) => ({ i, genders: new Set(r.delegates.map(genderOf).filter(Boolean)) }))
    .filter((r) => r.genders.size > 1)
    .map((r) => r.i)
}

// ---- Offers and interests ----

// A period {from, to} is well formed and at most 366 days long.
export function periodProblem(p) {
  if (!p || !DAY.test(String(p.from ?? '')) || !DAY.test(String(p.to ?? ''))) return 'missing'
  if (p.from > p.to) return 'order'
  if (daysBetween(p.from, p.to).length > 366) return 'long'
  return null
}

// The days two periods share (both ends included), 0 when none.
export function overlapDays(a, b) {
  const from = a.from > b.from ? a.from : b.from
  const to = a.to < b.to ? a.to : b.to
  return from > to ? 0 : daysBetween(from, to).length
}

// 'YYYY-MM-DD 至 YYYY-MM-DD' of each period, joined.
export const periodsText = (periods = [], to = '至', sep = '；') =>
  periods.map((p) => (p.from === p.to ? p.from : `${p.from} ${to} ${p.to}`)).join(sep)

// The topics a list may offer: the active ones, and those already chosen (a retired topic stays
// on an old offer).
export function topicChoices(topics = [], chosen = []) {
  const names = topics.filter((t) => t.active).map((t) => t.name)
  for (const c of chosen) if (!names.includes(c)) names.push(c)
  return names
}

// ---- The visit report's attachments ----

// What the server takes (checked by content too): PDF, Word, Excel, PowerPoint and photos.
export const REPORT_EXTENSIONS = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'jpg', 'jpeg', 'png']
export function reportExtensionOk(filename) {
  const m = /\.([A-Za-z0-9]+)$/.exec(String(filename ?? ''))
  return Boolean(m) && REPORT_EXTENSIONS.includes(m[1].toLowerCase())
}
