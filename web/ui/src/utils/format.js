// Display formatting shared by every page. Pure functions, no Vue: unit-tested with `node --test`.
//
// Dates are shown as YYYY-MM-DD and instants as YYYY-MM-DD HH:mm, always in Asia/Shanghai,
// whatever the browser's own time zone. Money arrives from the API as integer 分 (`*_fen`) and is
// shown as ¥20,000.00.

export const TIME_ZONE = 'Asia/Shanghai'
const EMPTY = '—'

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function isEmpty(value) {
  return value === null || value === undefined || value === ''
}

function toDate(value) {
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

// shanghaiParts(value) → {year, month, day, hour, minute, second} as two-digit strings (year four)
// of the instant `value` (Date, ISO 8601 string or epoch milliseconds) in Asia/Shanghai, or null.
export function shanghaiParts(value) {
  const date = toDate(value)
  if (!date) return null
  const parts = {}
  for (const { type, value: v } of partsFormatter.formatToParts(date)) parts[type] = v
  return parts
}

// formatDate('2026-03-05T01:00:00Z') → '2026-03-05'; a plain 'YYYY-MM-DD' is a calendar date and is
// returned unchanged (no time-zone shift); empty → '—'; unparsable → the input as given.
export function formatDate(value) {
  if (isEmpty(value)) return EMPTY
  if (typeof value === 'string' && DATE_ONLY.test(value)) return value
  const p = shanghaiParts(value)
  return p ? `${p.year}-${p.month}-${p.day}` : String(value)
}

// formatDateTime('2026-03-05T01:02:03Z') → '2026-03-05 09:02:03' (seconds with {seconds: true}, else
// '2026-03-05 09:02'); empty → '—'.
export function formatDateTime(value, { seconds = false } = {}) {
  if (isEmpty(value)) return EMPTY
  if (typeof value === 'string' && DATE_ONLY.test(value)) return value
  const p = shanghaiParts(value)
  if (!p) return String(value)
  const time = seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`
  return `${p.year}-${p.month}-${p.day} ${time}`
}

// todayInShanghai(now) → 'YYYY-MM-DD' of `now` (default: the current instant) in Asia/Shanghai.
export function todayInShanghai(now = new Date()) {
  return formatDate(now)
}

function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

// formatFen(2000000) → '¥20,000.00'; formatFen(-150) → '-¥1.50'; empty → '—'.
// Exact for every safe integer (no floating-point division). A non-integer is a programming error
// (the API sends integer 分 only) and throws TypeError.
export function formatFen(fen, { symbol = '¥' } = {}) {
  if (isEmpty(fen)) return EMPTY
  const n = typeof fen === 'bigint' ? fen : Number(fen)
  if (typeof n !== 'bigint' && !Number.isSafeInteger(n)) {
    throw new TypeError(`formatFen expects an integer amount in fen, got ${String(fen)}`)
  }
  const negative = n < 0
  const digits = (negative ? -BigInt(n) : BigInt(n)).toString().padStart(3, '0')
  const yuan = groupThousands(digits.slice(0, -2))
  const cents = digits.slice(-2)
  return `${negative ? '-' : ''}${symbol}${yuan}.${cents}`
}

// parseYuanToFen('20,000.5') → 2000050; '' or invalid (more than two decimals, letters) → null.
// For money inputs: people type 元, the API wants 分.
export function parseYuanToFen(text) {
  if (typeof text === 'number') text = String(text)
  if (typeof text !== 'string') return null
  const s = text.trim().replace(/^¥/, '').replace(/,/g, '')
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(s)
  if (!m) return null
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'))
  if (!Number.isSafeInteger(fen)) return null
  return m[1] ? -fen : fen
}
