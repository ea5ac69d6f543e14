// node --test src/ — 元 typed by people → integer 分 for the API, exactly.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_FEN, fenToYuanInput, percentText, randomUuid, yuanToFen } from './money.js'

test('yuanToFen reads a decimal string exactly', () => {
  assert.equal(yuanToFen('12000'), 1200000)
  assert.equal(yuanToFen('10.05'), 1005)
  assert.equal(yuanToFen('0.1'), 10)
  assert.equal(yuanToFen('0.01'), 1)
  assert.equal(yuanToFen('0'), 0)
  assert.equal(yuanToFen('12.'), 1200)
  // The classic float traps: 19.99 * 100 = 1998.9999999999998, 1.15 * 100 = 114.99999999999999.
  assert.equal(yuanToFen('19.99'), 1999)
  assert.equal(yuanToFen('1.15'), 115)
  assert.equal(yuanToFen('4.35'), 435)
  assert.equal(yuanToFen(' ¥12,000.50 '), 1200050)
  assert.equal(yuanToFen('￥1，000'), 100000)
  assert.equal(yuanToFen('１２．５'), 1250)
  assert.equal(yuanToFen('007.5'), 750)
})

test('yuanToFen rejects what is not an amount', () => {
  for (const bad of ['1.234', '-1', '+1', 'abc', '', ' ', '1e3', '1.2.3', '.5', '12 000', '¥', null, undefined]) {
    assert.equal(yuanToFen(bad), null, String(bad))
  }
  assert.equal(yuanToFen(String(MAX_FEN / 100)), MAX_FEN)
  assert.equal(yuanToFen(`${MAX_FEN / 100}.01`), null)
  assert.equal(yuanToFen('99999999999999999999'), null)
  assert.equal(yuanToFen('500', { max: 100 }), null)
})

test('fenToYuanInput is the input text of an amount', () => {
  assert.equal(fenToYuanInput(1200000), '12000.00')
  assert.equal(fenToYuanInput(1005), '10.05')
  assert.equal(fenToYuanInput(5), '0.05')
  assert.equal(fenToYuanInput(0), '0.00')
  assert.equal(fenToYuanInput(1.5), '')
  // Round trip.
  for (const fen of [0, 1, 99, 100, 1999, 123456789]) assert.equal(yuanToFen(fenToYuanInput(fen)), fen)
})

test('percentText', () => {
  assert.equal(percentText(0.8734), '87.3%')
  assert.equal(percentText(1), '100.0%')
  assert.equal(percentText(0), '0.0%')
  assert.equal(percentText(null), '—')
})

test('randomUuid is a version-4 UUID, with or without crypto.randomUUID', () => {
  const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
  assert.match(randomUuid(), v4)
  const insecure = { getRandomValues: (a) => globalThis.crypto.getRandomValues(a) }
  const a = randomUuid(insecure)
  assert.match(a, v4)
  assert.notEqual(a, randomUuid(insecure))
  assert.match(randomUuid({}), v4)
})
