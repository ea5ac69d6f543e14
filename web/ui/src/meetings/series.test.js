// node --test src/ — the series dialog's rule and the rule in words.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildRule, describeRule, nthWeekday, ruleProblem, weekdayLabel } from './series.js'

const START = '2026-03-10T14:00:00+08:00' // a Tuesday, the 2nd Tuesday of March

test('the rule sent to the server', () => {
  assert.deepEqual(
    buildRule({ freq: 'weekly', interval: 2, by_weekday: [3, 1, 3], monthly_by: 'date', end: 'until', until: '2026-06-30', count: 10 }),
    { freq: 'weekly', interval: 2, by_weekday: [1, 3], until: '2026-06-30', count: null },
  )
  assert.deepEqual(
    buildRule({ freq: 'monthly', interval: 1, by_weekday: [2], monthly_by: 'weekday', end: 'count', until: '', count: '6' }),
    { freq: 'monthly', interval: 1, monthly_by: 'weekday', until: null, count: 6 },
  )
})

test('problems caught before asking the server', () => {
  const base = { freq: 'weekly', interval: 1, by_weekday: [2], monthly_by: 'date', end: 'until', until: '2026-06-30', count: 10 }
  assert.equal(ruleProblem(base, START), null)
  assert.equal(ruleProblem({ ...base, by_weekday: [] }, START), 'weekdays')
  assert.equal(ruleProblem({ ...base, interval: 0 }, START), 'interval')
  assert.equal(ruleProblem({ ...base, until: '' }, START), 'until')
  assert.equal(ruleProblem({ ...base, until: '2026-03-01' }, START), 'untilBeforeStart')
  assert.equal(ruleProblem({ ...base, end: 'count', count: 201 }, START), 'count')
  assert.equal(ruleProblem({ ...base, end: 'count', count: 200 }, START), null)
})

test('n-th weekday of the month; the 5th is the last', () => {
  assert.deepEqual(nthWeekday('2026-03-10'), { n: 2, weekday: 2 })
  assert.deepEqual(nthWeekday('2026-03-31'), { n: 5, weekday: 2 })
  assert.deepEqual(nthWeekday('2026-03-01'), { n: 1, weekday: 7 })
  assert.equal(nthWeekday('bad'), null)
})

test('the rule in Chinese', () => {
  assert.equal(weekdayLabel(3), '周三')
  assert.equal(describeRule({ freq: 'weekly', interval: 1, by_weekday: [1, 3], until: '2026-06-30' }, { startsAt: START }), '每周一、周三，至 2026-06-30')
  assert.equal(describeRule({ freq: 'weekly', interval: 2, by_weekday: [], count: 10 }, { startsAt: START }), '每 2 周的周二，共 10 次')
  assert.equal(describeRule({ freq: 'monthly', interval: 1, monthly_by: 'date', count: 6 }, { startsAt: START }), '每月 10 日，共 6 次')
  assert.equal(
    describeRule({ freq: 'monthly', interval: 1, monthly_by: 'weekday', until: '2026-12-31' }, { startsAt: START, except: ['2026-05-12'] }),
    '每月第二个星期二，至 2026-12-31（2026-05-12 除外）',
  )
  assert.equal(
    describeRule({ freq: 'monthly', interval: 3, monthly_by: 'weekday', count: 4 }, { startsAt: '2026-03-31T09:00:00+08:00' }),
    '每 3 个月的最后一个星期二，共 4 次',
  )
  assert.equal(describeRule(null), '')
})

test('the rule in English', () => {
  const lang = 'en'
  assert.equal(weekdayLabel(3, lang), 'Wed')
  assert.equal(describeRule({ freq: 'weekly', interval: 1, by_weekday: [1, 3], until: '2026-06-30' }, { startsAt: START, lang }), 'Weekly on Mon, Wed, until 2026-06-30')
  assert.equal(describeRule({ freq: 'weekly', interval: 2, by_weekday: [2], count: 10 }, { startsAt: START, lang }), 'Every 2 weeks on Tue, 10 times')
  assert.equal(describeRule({ freq: 'monthly', interval: 1, monthly_by: 'date', count: 6 }, { startsAt: START, lang }), 'Monthly on day 10, 6 times')
  assert.equal(
    describeRule({ freq: 'monthly', interval: 2, monthly_by: 'weekday', until: '2026-12-31' }, { startsAt: START, except: ['2026-05-12', '2026-07-14'], lang }),
    'Every 2 months on the 2nd Tuesday, until 2026-12-31 (except 2026-05-12, 2026-07-14)',
  )
})
