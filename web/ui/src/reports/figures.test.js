// node --test src/ — the reports' pure rules.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  drillFromQuery,
  drillLocation,
  exportUrl,
  figureText,
  filterParams,
  filtersFromQuery,
  headlineLink,
  heatmapData,
  monthOf,
  orderHeadline,
  participationColumns,
  reportYears,
  yoyChange,
  yoyText,
} from './figures.js'

test('figures by kind: counts, money in 元 from 分, rates as percent', () => {
  assert.equal(figureText('count', 1234), '1,234')
  assert.equal(figureText('fen', 2000050), '¥20,000.50')
  assert.equal(figureText('rate', 0.8734), '87.3%')
  assert.equal(figureText('rate', 1), '100.0%')
  assert.equal(figureText('count', null), '—')
  assert.equal(figureText('fen', undefined), '—')
})

test('year-on-year change: arrow and percent, rates in percentage points', () => {
  assert.deepEqual(yoyChange(110, 100), { direction: 'up', ratio: 0.1, points: null })
  assert.equal(yoyText(yoyChange(110, 100)), '↑ 10.0%')
  assert.equal(yoyText(yoyChange(75, 100)), '↓ 25.0%')
  assert.equal(yoyText(yoyChange(62, 62)), '→ 0.0%')
  // Nothing the year before: up, but no percentage.
  assert.equal(yoyText(yoyChange(5, 0)), '↑')
  assert.equal(yoyText(yoyChange(0, 0)), '→ 0.0%')
  // A rate changes by percentage points.
  assert.equal(yoyText(yoyChange(0.9, 0.8, 'rate'), '个百分点'), '↑ 10.0 个百分点')
  assert.equal(yoyText(yoyChange(0.5, 0.75, 'rate')), '↓ 25.0 pp')
  // Money: the ratio of 分.
  assert.equal(yoyText(yoyChange(150000, 100000, 'fen')), '↑ 50.0%')
  // No previous figure: no change shown.
  assert.equal(yoyChange(5, null), null)
  assert.equal(yoyText(null), '')
})

test('headline links stay inside the app', () => {
  assert.equal(headlineLink({ key: 'units', link: '/reports/membership?year=2026' }, 2026), '/reports/membership?year=2026')
  assert.equal(headlineLink({ key: 'dues_rate', link: '/api/reports/dues?year=2026' }, 2026), '/reports/dues?year=2026')
  assert.equal(headlineLink({ key: 'dues_rate', link: 'https://evil.example/' }, 2026), '/reports/dues?year=2026')
  assert.equal(headlineLink({ key: 'visits_held' }, 2025), '/reports/visits?year=2025')
  // A link without the year gets the dashboard's.
  assert.equal(headlineLink({ key: 'units', link: '/reports/membership' }, 2025), '/reports/membership?year=2025')
  assert.equal(headlineLink({ key: 'units', link: '/reports/membership?city_code=430100' }, 2025), '/reports/membership?city_code=430100&year=2025')
  assert.equal(headlineLink({ key: 'x', link: '//evil.example' }, 2025), '/reports/membership?year=2025')
  assert.deepEqual(
    orderHeadline([{ key: 'visits_held' }, { key: 'extra' }, { key: 'units' }]).map((i) => i.key),
    ['units', 'visits_held', 'extra'],
  )
})

test('filters from the address: unknown codes dropped, the year in range', () => {
  assert.deepEqual(filtersFromQuery({ year: '2025', city_code: '430100', tier: 'nobody', type: 'customs_zone' }, 2026), {
    year: 2025,
    city_code: '430100',
    type: 'customs_zone',
    tier: '',
  })
  assert.equal(filtersFromQuery({ year: '1999' }, 2026).year, 2026)
  assert.equal(filtersFromQuery({ year: 'abc' }, 2026).year, 2026)
  assert.equal(filtersFromQuery({}, 2026).year, 2026)
  assert.deepEqual(filtersFromQuery({ years: '12', city_code: '999999' }, 2026, ['years', 'city_code']), { years: 3, city_code: '' })
  assert.equal(filtersFromQuery({ years: '10' }, 2026, ['years']).years, 10)
  assert.deepEqual(filterParams({ year: 2026, city_code: '', tier: 'council', type: null }), { year: '2026', tier: 'council' })
  assert.equal(exportUrl('dues', { year: 2026, city_code: '430100', tier: '' }, 'csv'), '/api/reports/dues?year=2026&city_code=430100&format=csv')
})

test('drill-down addresses', () => {
  assert.deepEqual(drillLocation({ report: 'membership', dimension: 'city', key: '430100', year: 2026 }), {
    path: '/reports/drill',
    query: { report: 'membership', dimension: 'city', key: '430100', year: '2026' },
  })
  assert.deepEqual(drillFromQuery({ report: 'dues', dimension: 'age', key: '3y+', year: '2025', page: '2' }, 2026), {
    report: 'dues',
    dimension: 'age',
    key: '3y+',
    year: 2025,
    page: 2,
  })
  assert.equal(drillFromQuery({ report: 'nope', dimension: 'city', key: '1' }, 2026), null)
  assert.equal(drillFromQuery({ report: 'dues', dimension: 'city' }, 2026), null)
  assert.equal(drillFromQuery({ report: 'dues', dimension: 'tier', key: 'council' }, 2026).year, 2026)
})

test('calendar heat map, months, participation columns, years', () => {
  assert.deepEqual(
    heatmapData([{ date: '2026-03-05', count: 2 }, { date: '2025-12-31', count: 9 }, { date: '2026-04-01', count: 5 }], 2026),
    { data: [['2026-03-05', 2], ['2026-04-01', 5]], max: 5 },
  )
  assert.deepEqual(heatmapData([], 2026), { data: [], max: 0 })
  assert.equal(monthOf('2026-03'), 3)
  assert.deepEqual(participationColumns([{ year: 2026, training_places: 1 }, { year: 2025, visit_delegates: 2, training_places: 0 }]), [
    'training_places',
    'visit_delegates',
  ])
  assert.deepEqual(reportYears(2026, 3), [2026, 2025, 2024, 2023])
})
