// node --test src/ — the dues vocabulary: every code has labels in both languages (the Chinese
// ones the secretariat uses), and the rules the pages mirror from the server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import { DUES_TABS } from '../navigation.js'
import {
  ARREARS_AGES,
  DUES_LABEL_SECTIONS,
  INVOICE_STATUSES,
  PAYMENT_METHODS,
  atLeast,
  checkDecision,
  currentYear,
  duesLabelKey,
  guessColumns,
  keepsIdempotencyKey,
  preselectedMatch,
  prorationOf,
  scoreTagType,
  statementMap,
  yearsAround,
} from './vocabulary.js'

const get = (messages, key) => key.split('.').reduce((n, p) => n?.[p], messages)

test('each code has a Chinese and an English label', () => {
  for (const [kind, [section, codes]] of Object.entries(DUES_LABEL_SECTIONS)) {
    for (const code of codes) {
      assert.equal(typeof zhCN[section]?.[code], 'string', `zh-CN ${section}.${code}`)
      assert.equal(typeof en[section]?.[code], 'string', `en ${section}.${code}`)
      assert.match(zhCN[section][code], /[\u4e00-\u9fff]/, `zh-CN ${section}.${code} is Chinese`)
      assert.equal(duesLabelKey(kind, code), `${section}.${code}`)
    }
    assert.deepEqual(Object.keys(zhCN[section]).sort(), [...codes].sort(), `no stray ${section}`)
  }
  assert.equal(duesLabelKey('invoiceStatus', 'bogus'), null)
  assert.equal(duesLabelKey('nonsense', 'paid'), null)
})

test("the secretariat's words for statuses, methods and ages", () => {
  assert.deepEqual(
    INVOICE_STATUSES.map((s) => zhCN.invoiceStatus[s]),
    ['未缴', '部分缴纳', '已缴清', '已减免', '作废'],
  )
  assert.deepEqual(
    PAYMENT_METHODS.map((m) => zhCN.paymentMethods[m]),
    ['银行转账', '现金', '微信转账', '支付宝转账', '其他'],
  )
  assert.deepEqual(ARREARS_AGES.map((a) => zhCN.arrearsAge[a]), ['本年', '1年', '2年', '3年以上'])
  assert.deepEqual(zhCN.prorationRules, {
    full: '全额',
    half_after_july: '7月1日后入会减半',
    quarters: '按剩余季度',
  })
})

test('labels the pages build from codes exist in both languages', () => {
  const keys = [
    ...DUES_TABS.map((n) => `dues.tabs.${n}`),
    ...['lapse', 'reminder'].flatMap((k) => ['title', 'hint', 'would', 'nobody', 'done'].map((f) => `dues.runs.${k}.${f}`)),
    ...['full', 'half', 'quarters'].map((k) => `dues.prorated.${k}`),
    ...['billed', 'reduced', 'collected', 'outstanding', 'rate'].map((k) => `dues.report.${k}`),
    ...['title', 'tax_no', 'address', 'phone', 'bank_name', 'bank_account'].map((f) => `dues.invoicing.${f}`),
    'home.staff.queues.dues',
    'home.staff.queues.arrears',
  ]
  for (const key of keys) {
    assert.equal(typeof get(zhCN, key), 'string', `zh-CN ${key}`)
    assert.equal(typeof get(en, key), 'string', `en ${key}`)
  }
})

test('the charter thresholds: 2/3 present, at least 1/2 of those present, secret ballot', () => {
  const q = { num: 2, den: 3 }
  const p = { num: 1, den: 2 }
  // "以上" includes the number itself: 20 of 30 is 2/3, 10 of 20 is 1/2.
  const ok = { entitled: 30, present: 20, votes_for: 10, votes_against: 5, abstentions: 5, secret_ballot: true }
  assert.deepEqual(checkDecision(ok, q, p), {
    counts: true,
    quorum: true,
    majority: true,
    secret: true,
    passes: true,
    presentNeeded: 20,
    forNeeded: 10,
  })
  assert.equal(checkDecision({ ...ok, present: 19, votes_for: 10, votes_against: 4 }, q, p).quorum, false)
  assert.equal(checkDecision({ ...ok, votes_for: 9, votes_against: 6 }, q, p).majority, false)
  assert.equal(checkDecision({ ...ok, secret_ballot: false }, q, p).passes, false)
  // Counts that cannot be: more present than entitled, more votes than present.
  assert.equal(checkDecision({ ...ok, present: 31 }, q, p).counts, false)
  assert.equal(checkDecision({ ...ok, votes_against: 6 }, q, p).counts, false)
  assert.equal(checkDecision({ ...ok, present: null }, q, p).passes, false)
  assert.equal(checkDecision({}, q, p).passes, false)
  // Exact in integers where floats are not: 2/3 of 31 is 20.67, so 21 are needed.
  assert.equal(atLeast(31, q), 21)
  assert.equal(atLeast(30, q), 20)
  assert.equal(atLeast(21, p), 11)
  assert.equal(atLeast(0, p), 0)
  assert.equal(checkDecision({ ...ok, entitled: 31, present: 20 }, q, p).quorum, false)
  assert.equal(checkDecision({ ...ok, entitled: 31, present: 21, votes_for: 11 }, q, p).passes, true)
  // Other ratios from the settings.
  assert.equal(checkDecision({ ...ok, entitled: 40, present: 30, votes_for: 20 }, { num: 3, den: 4 }, { num: 2, den: 3 }).passes, true)
  assert.equal(checkDecision({ ...ok, entitled: 40, present: 30, votes_for: 19, votes_against: 0 }, { num: 3, den: 4 }, { num: 2, den: 3 }).majority, false)
})

test('invoice proration labels', () => {
  assert.deepEqual(prorationOf('full'), { key: 'full', n: null })
  assert.deepEqual(prorationOf('half'), { key: 'half', n: null })
  assert.deepEqual(prorationOf('quarters:3'), { key: 'quarters', n: 3 })
  assert.equal(prorationOf('quarters:5'), null)
  assert.equal(prorationOf(null), null)
})

test('statement lines: preselection from a score of 60, the column mapping', () => {
  const line = { matches: [{ invoice_id: 7, score: 55 }, { invoice_id: 9, score: 82 }] }
  assert.equal(preselectedMatch(line), 9)
  assert.equal(preselectedMatch({ matches: [{ invoice_id: 7, score: 60 }] }), 7)
  assert.equal(preselectedMatch({ matches: [{ invoice_id: 7, score: 59 }] }), null)
  assert.equal(preselectedMatch({ matches: [] }), null)
  assert.equal(preselectedMatch({}), null)
  assert.equal(scoreTagType(90), 'success')
  assert.equal(scoreTagType(60), 'warning')
  assert.equal(scoreTagType(20), 'info')

  assert.equal(statementMap({ date: 0, payer: 2, amount: 5, reference: 7 }), 'date:0,payer:2,amount:5,reference:7')
  assert.equal(statementMap({ date: 0, payer: 2, amount: 5, reference: null }, 'credit'), 'date:0,payer:2,credit:5')
  assert.equal(statementMap({ date: 0, payer: null, amount: 5 }), null)
  assert.deepEqual(guessColumns(['交易日期', '摘要', '对方户名', '借方发生额', '贷方发生额']), {
    date: 0,
    payer: 2,
    amount: 4,
    reference: 1,
  })
  assert.deepEqual(guessColumns([]), { date: null, payer: null, amount: null, reference: null })
})

test('a payment retry reuses its idempotency key only while the first may have been recorded', () => {
  assert.equal(keepsIdempotencyKey({ status: 0 }), true) // no answer
  assert.equal(keepsIdempotencyKey({ status: 503 }), true)
  assert.equal(keepsIdempotencyKey({ status: 500 }), true)
  assert.equal(keepsIdempotencyKey({ status: 429 }), true)
  assert.equal(keepsIdempotencyKey({ status: 400 }), true) // nothing stored
  assert.equal(keepsIdempotencyKey({ status: 409, details: {} }), true) // the first is in flight
  assert.equal(keepsIdempotencyKey({ status: 409, details: { outstanding_fen: 500 } }), false) // over-payment
  assert.equal(keepsIdempotencyKey({ status: 422 }), false)
  assert.equal(keepsIdempotencyKey({ status: 404 }), false)
  assert.equal(keepsIdempotencyKey(undefined), true)
})

test('years offered', () => {
  assert.deepEqual(yearsAround(2026, { ahead: 1, back: 2 }), [2027, 2026, 2025, 2024])
  assert.equal(currentYear(new Date('2026-12-31T16:30:00Z')), 2027) // already 2027 in Shanghai
})
