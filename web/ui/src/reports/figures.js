// The reports' pure rules (GET /api/reports/*, docs/API.md "Reports"): the filters kept in the
// page's address, a headline figure and its year-on-year change, the drill-down address behind a
// chart's bar, the calendar heat map's data. No Vue, no i18n: unit-tested with node --test.
import { formatFen } from '../utils/format.js'
import { CITY_CODES, ORG_LEVELS, ORG_TYPES, STATUSES, TIERS } from '../membership/vocabulary.js'

// The report areas, each a page under /reports (its route name `reports<Area>`).
export const REPORT_AREAS = ['membership', 'dues', 'training', 'meetings', 'visits', 'engagement', 'annual']
// The reports the drill-down list answers for, and the dimensions it cuts by.
export const DRILL_REPORTS = ['membership', 'dues', 'training', 'meetings', 'visits']
export const DRILL_DIMENSIONS = ['city', 'type', 'level', 'tier', 'status', 'age']
// The vocabulary (membership/labels.js kinds) of each dimension's keys; `age` is the dues one.
export const DIMENSION_KINDS = { city: 'city', type: 'type', level: 'level', tier: 'tier', status: 'status', age: 'arrearsAge' }
// The dashboard's composition charts: chart key → its drill dimension.
export const COMPOSITION_CHARTS = { by_city: 'city', by_type: 'type', by_level: 'level', by_tier: 'tier', by_status: 'status' }
// The headline figures in the order the dashboard shows them.
export const HEADLINE_KEYS = [
  'units',
  'joined',
  'left',
  'dues_rate',
  'dues_collected_fen',
  'training_classes',
  'training_places',
  'meetings_held',
  'meeting_attendance_rate',
  'visits_held',
  'visit_delegates',
]
// The report page behind each headline figure, when the server sends no link.
const HEADLINE_AREA = {
  units: 'membership',
  joined: 'membership',
  left: 'membership',
  dues_rate: 'dues',
  dues_collected_fen: 'dues',
  training_classes: 'training',
  training_places: 'training',
  meetings_held: 'meetings',
  meeting_attendance_rate: 'meetings',
  visits_held: 'visits',
  visit_delegates: 'visits',
}
// The years the engagement report looks back over (1–10, default 3).
export const ENGAGEMENT_YEARS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
export const DEFAULT_ENGAGEMENT_YEARS = 3
export const MIN_YEAR = 2000
export const MAX_YEAR = 2100

const isInt = (v) => typeof v === 'number' && Number.isFinite(v)

// countText(1234) → '1,234'; not a number → '—'.
export function countText(n) {
  if (!isInt(n)) return '—'
  return Math.round(n).toLocaleString('en-US')
}

// rateText(0.8734) → '87.3%' (a ratio 0–1, one decimal); not a number → '—'.
export function rateText(ratio) {
  if (!isInt(ratio)) return '—'
  return `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`
}

// figureText('fen', 2000000) → '¥20,000.00'; ('rate', 0.5) → '50.0%'; ('count', 62) → '62'.
export function figureText(kind, value) {
  if (value === null || value === undefined) return '—'
  if (kind === 'fen') return isInt(value) ? formatFen(Math.round(value)) : '—'
  if (kind === 'rate') return rateText(value)
  return countText(value)
}

// The change of a figure since the year before:
//   yoyChange(110, 100) → {direction: 'up', ratio: 0.1, points: null}
//   yoyChange(0.9, 0.8, 'rate') → {direction: 'up', ratio: null, points: 0.1} (percentage points)
//   yoyChange(5, 0) → {direction: 'up', ratio: null, points: null} (new: no percentage)
//   yoyChange(0, 0) → {direction: 'flat', ratio: 0, points: null}; no previous → null.
export function yoyChange(value, previous, kind = 'count') {
  if (!isInt(value) || !isInt(previous)) return null
  const diff = value - previous
  const direction = Math.abs(diff) < 1e-9 ? 'flat' : diff > 0 ? 'up' : 'down'
  if (kind === 'rate') return { direction, ratio: null, points: direction === 'flat' ? 0 : diff }
  if (previous === 0) return { direction, ratio: direction === 'flat' ? 0 : null, points: null }
  return { direction, ratio: direction === 'flat' ? 0 : diff / Math.abs(previous), points: null }
}

// The change as shown beside a figure: '↑ 10.0%', '↓ 2.5%', '→ 0.0%', '↑ 1.2 pp' (a rate's
// percentage points; `pp` is the unit's label), '↑' alone when there was nothing the year before;
// null → ''.
export function yoyText(change, pp = 'pp') {
  if (!change) return ''
  const arrow = { up: '↑', down: '↓', flat: '→' }[change.direction]
  if (change.points !== null && change.points !== undefined) {
    return `${arrow} ${(Math.round(Math.abs(change.points) * 1000) / 10).toFixed(1)} ${pp}`
  }
  if (change.ratio === null || change.ratio === undefined) return arrow
  return `${arrow} ${(Math.round(Math.abs(change.ratio) * 1000) / 10).toFixed(1)}%`
}

// Where a headline figure leads: its `link` when the server sends an address of this app (with
// the dashboard's year added when the link has none), else the report page of its area for the year.
export function headlineLink(item, year) {
  const link = item?.link
  if (typeof link === 'string' && link.startsWith('/') && !link.startsWith('//')) {
    const path = link.startsWith('/api/') ? link.replace(/^\/api\//, '/') : link
    if (!isInt(year) || /[?&]year=/.test(path)) return path
    return `${path}${path.includes('?') ? '&' : '?'}year=${year}`
  }
  const area = HEADLINE_AREA[item?.key] ?? 'membership'
  return `/reports/${area}${isInt(year) ? `?year=${year}` : ''}`
}

// The headline figures in the dashboard's order (unknown keys after the known ones).
export function orderHeadline(items = []) {
  const rank = (k) => (HEADLINE_KEYS.includes(k) ? HEADLINE_KEYS.indexOf(k) : HEADLINE_KEYS.length)
  return [...items].sort((a, b) => rank(a.key) - rank(b.key))
}

// A year from the address if valid (2000–2100), else `fallback`.
export function yearOf(value, fallback) {
  const n = Number(value)
  return Number.isInteger(n) && n >= MIN_YEAR && n <= MAX_YEAR && String(value).trim() !== '' ? n : fallback
}

// The report filters read from the page's address: unknown codes are dropped (the server would
// answer 400). `fields` names which filters the page has.
//   filtersFromQuery({year: '2025', city_code: '430100', tier: 'x'}, 2026)
//   → {year: 2025, city_code: '430100', type: '', tier: ''}
export function filtersFromQuery(query = {}, thisYear, fields = ['year', 'city_code', 'type', 'tier']) {
  const pick = (value, list) => (list.includes(String(value ?? '')) ? String(value) : '')
  const out = {}
  if (fields.includes('year')) out.year = yearOf(query.year, thisYear)
  if (fields.includes('years')) {
    const y = Number(query.years)
    out.years = ENGAGEMENT_YEARS.includes(y) ? y : DEFAULT_ENGAGEMENT_YEARS
  }
  if (fields.includes('city_code')) out.city_code = pick(query.city_code, CITY_CODES)
  if (fields.includes('type')) out.type = pick(query.type, ORG_TYPES)
  if (fields.includes('tier')) out.tier = pick(query.tier, TIERS)
  return out
}

// The filters as query parameters (empty ones left out): for the address and for the API.
export function filterParams(filters = {}) {
  const out = {}
  for (const [k, v] of Object.entries(filters)) {
    if (v === null || v === undefined || v === '') continue
    out[k] = String(v)
  }
  return out
}

// The address of a report's download: /api/reports/dues?year=2026&format=xlsx.
export function exportUrl(area, filters, format) {
  const params = new URLSearchParams({ ...filterParams(filters), format })
  return `/api/reports/${area}?${params.toString()}`
}

// The drill-down page behind one bar of a chart (a route location).
export function drillLocation({ report, dimension, key, year, page }) {
  const query = { report, dimension, key: String(key) }
  if (isInt(year)) query.year = String(year)
  if (page && page > 1) query.page = String(page)
  return { path: '/reports/drill', query }
}

// The drill-down's parameters from the page's address, or null when they are not valid.
export function drillFromQuery(query = {}, thisYear) {
  const report = String(query.report ?? '')
  const dimension = String(query.dimension ?? '')
  const key = String(query.key ?? '')
  if (!DRILL_REPORTS.includes(report) || !DRILL_DIMENSIONS.includes(dimension) || key === '') return null
  const page = Number(query.page)
  return { report, dimension, key, year: yearOf(query.year, thisYear), page: Number.isInteger(page) && page > 0 ? page : 1 }
}

// Whether a key is one of a dimension's known codes (its label comes from the i18n files).
export function knownKey(dimension, key) {
  const lists = { city: CITY_CODES, type: ORG_TYPES, level: ORG_LEVELS, tier: TIERS, status: STATUSES, age: ['current', '1y', '2y', '3y+'] }
  return (lists[dimension] ?? []).includes(key)
}

// The calendar heat map's data: [['2026-03-05', 2], ...] of the given year, and the largest count.
export function heatmapData(days = [], year) {
  const prefix = `${year}-`
  const data = days
    .filter((d) => typeof d?.date === 'string' && d.date.startsWith(prefix) && isInt(d.count))
    .map((d) => [d.date, d.count])
  const max = data.reduce((m, [, c]) => Math.max(m, c), 0)
  return { data, max }
}

// 'YYYY-MM' → the month's number (1–12) for a chart's axis; anything else as it is.
export function monthOf(month) {
  const m = /^\d{4}-(\d{2})$/.exec(String(month ?? ''))
  return m ? Number(m[1]) : month
}

// The columns of a member's participation table (its unit's `years` rows): every key but `year`,
// in the order first seen.
export function participationColumns(years = []) {
  const cols = []
  for (const row of years) for (const k of Object.keys(row ?? {})) if (k !== 'year' && !cols.includes(k)) cols.push(k)
  return cols
}

// The years a year filter offers: this year down to `back` years ago.
export function reportYears(thisYear, back = 9) {
  const out = []
  for (let y = thisYear; y >= Math.max(MIN_YEAR, thisYear - back); y--) out.push(y)
  return out
}
