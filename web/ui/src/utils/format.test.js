// node --test src/  (run by tests/ui/run.sh)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatDate, formatDateTime, formatFen, parseYuanToFen, todayInShanghai } from './format.js'

test('formatFen shows yuan with thousands separators and two decimals', () => {
  assert.equal(formatFen(2000000), '¥20,000.00')
  assert.equal(formatFen(0), '¥0.00')
  assert.equal(formatFen(5), '¥0.05')
  assert.equal(formatFen(99), '¥0.99')
  assert.equal(formatFen(100), '¥1.00')
  assert.equal(formatFen(123456789), '¥1,234,567.89')
  assert.equal(formatFen(-150), '-¥1.50')
  assert.equal(formatFen(Number.MAX_SAFE_INTEGER), '¥90,071,992,547,409.91')
  assert.equal(formatFen(null), '—')
  assert.equal(formatFen(undefined), '—')
  assert.throws(() => formatFen(1.5), TypeError)
  assert.throws(() => formatFen('abc'), TypeError)
})

test('parseYuanToFen reads what people type', () => {
  assert.equal(parseYuanToFen('20,000'), 2000000)
  assert.equal(parseYuanToFen('¥20,000.5'), 2000050)
  assert.equal(parseYuanToFen('0.01'), 1)
  assert.equal(parseYuanToFen(' 12.34 '), 1234)
  assert.equal(parseYuanToFen('1.234'), null)
  assert.equal(parseYuanToFen('abc'), null)
  assert.equal(parseYuanToFen(''), null)
})

test('formatDate gives YYYY-MM-DD in Asia/Shanghai', () => {
  assert.equal(formatDate('2026-03-05T09:00:00+08:00'), '2026-03-05')
  // 17:00 UTC is already the next day in Shanghai.
  assert.equal(formatDate('2026-03-04T17:00:00Z'), '2026-03-05')
  assert.equal(formatDate('2026-03-04T15:59:59Z'), '2026-03-04')
  assert.equal(formatDate(new Date(Date.UTC(2025, 11, 31, 16, 0, 0))), '2026-01-01')
  // A calendar date stays as it is, whatever the machine's zone.
  assert.equal(formatDate('2026-03-05'), '2026-03-05')
  assert.equal(formatDate(null), '—')
  assert.equal(formatDate('not a date'), 'not a date')
})

test('formatDateTime gives YYYY-MM-DD HH:mm in Asia/Shanghai', () => {
  assert.equal(formatDateTime('2026-03-05T01:02:03Z'), '2026-03-05 09:02')
  assert.equal(formatDateTime('2026-03-05T01:02:03Z', { seconds: true }), '2026-03-05 09:02:03')
  assert.equal(formatDateTime('2026-03-05T00:00:00+08:00'), '2026-03-05 00:00')
  assert.equal(formatDateTime(''), '—')
})

test('todayInShanghai', () => {
  assert.equal(todayInShanghai(new Date('2026-06-30T16:30:00Z')), '2026-07-01')
})
