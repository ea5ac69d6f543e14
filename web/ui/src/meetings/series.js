// Recurring bookings (POST /api/booking-series): the rule the series dialog sends, and the rule in
// words for people, in Chinese or English ('每 2 周的周一、周三，至 2026-06-30' /
// 'Every 2 weeks on Mon, Wed, until 2026-06-30'). Pure functions, unit-tested with `node --test`.
import { isoWeekday, shanghaiDate } from './time.js'

export const FREQUENCIES = ['weekly', 'monthly']
export const MONTHLY_BY = ['date', 'weekday']
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]
export const MAX_OCCURRENCES = 200

const ZH_WEEKDAY = ['', '一', '二', '三', '四', '五', '六', '日']
const EN_WEEKDAY = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const EN_WEEKDAY_LONG = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const ZH_NTH = ['', '第一个', '第二个', '第三个', '第四个', '最后一个']
const EN_NTH = ['', '1st', '2nd', '3rd', '4th', 'last']

// weekdayLabel(3, 'zh-CN') → '周三'; (3, 'en') → 'Wed'.
export function weekdayLabel(n, lang = 'zh-CN') {
  return lang === 'en' ? EN_WEEKDAY[n] ?? String(n) : `周${ZH_WEEKDAY[n] ?? n}`
}

// The n-th weekday of its month a date is (the 5th counts as the last, as the server does):
// nthWeekday('2026-03-10') → {n: 2, weekday: 2}.
export function nthWeekday(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(day ?? ''))
  if (!m) return null
  const n = Math.min(5, Math.ceil(Number(m[3]) / 7))
  return { n, weekday: isoWeekday(day) }
}

// buildRule(form) → the API's rule: {freq, interval, by_weekday?, monthly_by?, until, count}
// (exactly one of until and count set). form: {freq, interval, by_weekday: [1..7],
// monthly_by, end: 'until'|'count', until: 'YYYY-MM-DD', count}.
export function buildRule(form) {
  const rule = { freq: form.freq, interval: Number(form.interval) || 1 }
  if (form.freq === 'weekly') {
    rule.by_weekday = [...new Set(form.by_weekday ?? [])].map(Number).sort((a, b) => a - b)
  } else {
    rule.monthly_by = form.monthly_by === 'weekday' ? 'weekday' : 'date'
  }
  if (form.end === 'count') {
    rule.until = null
    rule.count = Number(form.count) || null
  } else {
    rule.until = form.until || null
    rule.count = null
  }
  return rule
}

// What is wrong with a series form before asking the server, as a message key under
// meetings.series.problems, or null.
export function ruleProblem(form, startsAt) {
  const interval = Number(form.interval)
  if (!Number.isInteger(interval) || interval < 1 || interval > 12) return 'interval'
  if (form.freq === 'weekly' && (form.by_weekday ?? []).length === 0) return 'weekdays'
  if (form.end === 'count') {
    const n = Number(form.count)
    if (!Number.isInteger(n) || n < 1 || n > MAX_OCCURRENCES) return 'count'
  } else {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(form.until ?? ''))) return 'until'
    const first = shanghaiDate(startsAt)
    if (first && form.until < first) return 'untilBeforeStart'
  }
  return null
}

function list(items, lang) {
  return items.join(lang === 'en' ? ', ' : '、')
}

// describeRule(rule, {startsAt, except, lang}) → the rule in words. `startsAt` (the first
// occurrence) gives a monthly rule its day; `except` lists the dates left out.
export function describeRule(rule, { startsAt = null, except = [], lang = 'zh-CN' } = {}) {
  if (!rule || !FREQUENCIES.includes(rule.freq)) return ''
  const en = lang === 'en'
  const interval = Number(rule.interval) || 1
  const first = startsAt ? shanghaiDate(startsAt) : ''
  let text
  if (rule.freq === 'weekly') {
    const days = (rule.by_weekday?.length ? rule.by_weekday : [isoWeekday(first)]).filter(Boolean)
    const names = list(days.map((d) => weekdayLabel(d, lang)), lang)
    if (en) text = interval === 1 ? `Weekly on ${names}` : `Every ${interval} weeks on ${names}`
    else text = interval === 1 ? `每${names}` : `每 ${interval} 周的${names}`
  } else if (rule.monthly_by === 'weekday') {
    const nth = nthWeekday(first)
    if (en) {
      const on = nth ? ` on the ${EN_NTH[nth.n]} ${EN_WEEKDAY_LONG[nth.weekday]}` : ''
      text = interval === 1 ? `Monthly${on}` : `Every ${interval} months${on}`
    } else {
      const on = nth ? `${ZH_NTH[nth.n]}星期${ZH_WEEKDAY[nth.weekday]}` : ''
      text = interval === 1 ? `每月${on}` : `每 ${interval} 个月的${on}`
    }
  } else {
    const day = first ? Number(first.slice(8, 10)) : null
    if (en) {
      const on = day ? ` on day ${day}` : ''
      text = interval === 1 ? `Monthly${on}` : `Every ${interval} months${on}`
    } else {
      const on = day ? ` ${day} 日` : ''
      text = interval === 1 ? `每月${on}` : `每 ${interval} 个月的${on}`
    }
  }
  if (rule.count) text += en ? `, ${rule.count} times` : `，共 ${rule.count} 次`
  else if (rule.until) text += en ? `, until ${rule.until}` : `，至 ${rule.until}`
  const skipped = (except ?? []).filter(Boolean)
  if (skipped.length > 0) text += en ? ` (except ${list(skipped, lang)})` : `（${list(skipped, lang)} 除外）`
  return text
}
