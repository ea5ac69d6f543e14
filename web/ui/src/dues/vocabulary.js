// The dues vocabulary: the codes the server stores (services/dues/dues.hpp, dues_rules.hpp) in
// the order forms and filters offer them, and the pure rules the pages mirror — the charter's
// thresholds for the assembly's decision, the invoice's proration label, the years offered.
// Labels live in the i18n files: t(`invoiceStatus.${code}`), t(`paymentMethods.${code}`), ...
import { todayInShanghai } from '../utils/format.js'

// A 会费通知单's status (waived: a 100 % reduction).
export const INVOICE_STATUSES = ['unpaid', 'partial', 'paid', 'waived', 'void']
// What a staff member may filter the invoice list by (the API's status filter).
export const INVOICE_FILTER_STATUSES = ['unpaid', 'partial', 'paid', 'waived', 'void']
// How a payment was made.
export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'wechat', 'alipay', 'other']
// A payment's (and its receipt's) status.
export const PAYMENT_STATUSES = ['valid', 'void']
// The age of a unit's arrears by its oldest unpaid year.
export const ARREARS_AGES = ['current', '1y', '2y', '3y+']
// What a unit joining during the year pays (setting `proration`).
export const PRORATIONS = ['full', 'half_after_july', 'quarters']
// The fee ledger (发票, never a 会费收据): kinds, statuses and the 发票's progress.
export const FEE_KINDS = ['training', 'visit']
export const FEE_STATUSES = ['open', 'invoiced', 'void']
export const FAPIAO_STATUSES = ['none', 'requested', 'issued']
// The tiers a schedule prices, lowest first (the membership tiers).
export const SCHEDULE_TIERS = ['member', 'council', 'standing_council', 'vice_president', 'president']
// A reminder's stage in a reminder run.
export const REMINDER_STAGES = [0, 1, 2]

// The i18n section holding each vocabulary's labels.
export const DUES_LABEL_SECTIONS = {
  invoiceStatus: ['invoiceStatus', INVOICE_STATUSES],
  paymentMethod: ['paymentMethods', PAYMENT_METHODS],
  paymentStatus: ['paymentStatus', PAYMENT_STATUSES],
  arrearsAge: ['arrearsAge', ARREARS_AGES],
  proration: ['prorationRules', PRORATIONS],
  feeKind: ['feeKinds', FEE_KINDS],
  feeStatus: ['feeStatus', FEE_STATUSES],
  fapiaoStatus: ['fapiaoStatus', FAPIAO_STATUSES],
}

// duesLabelKey('invoiceStatus', 'paid') → 'invoiceStatus.paid'; an unknown code → null.
export function duesLabelKey(kind, code) {
  const [section, codes] = DUES_LABEL_SECTIONS[kind] ?? []
  if (!section || !codes.includes(code)) return null
  return `${section}.${code}`
}

// Element-style tag colour of an invoice, payment or fee status, or an arrears age.
export function duesTagType(code) {
  return (
    {
      unpaid: 'danger',
      partial: 'warning',
      paid: 'success',
      waived: 'info',
      void: 'info',
      valid: 'success',
      current: 'info',
      '1y': 'warning',
      '2y': 'danger',
      '3y+': 'danger',
      open: 'warning',
      invoiced: 'success',
      none: 'info',
      requested: 'warning',
      issued: 'success',
    }[code] ?? 'info'
  )
}

// The colour of a statement match's score (0–100): ≥ 80 sure, ≥ 60 likely, else a guess.
export function scoreTagType(score) {
  if (score >= 80) return 'success'
  if (score >= 60) return 'warning'
  return 'info'
}

// A suggestion is taken without asking from this score on.
export const PRESELECT_SCORE = 60

// The best suggestion of a statement line to preselect: the highest score ≥ PRESELECT_SCORE,
// else null.
export function preselectedMatch(line) {
  const best = [...(line?.matches ?? [])].sort((a, b) => b.score - a.score)[0]
  return best && best.score >= PRESELECT_SCORE ? best.invoice_id : null
}

// The invoice's proration as stored ('full', 'half', 'quarters:3') → {key, n}: the i18n key under
// `dues.prorated` and the quarters; an unknown value → null.
export function prorationOf(value) {
  if (value === 'full' || value === 'half') return { key: value, n: null }
  const m = /^quarters:([1-4])$/.exec(String(value ?? ''))
  return m ? { key: 'quarters', n: Number(m[1]) } : null
}

// The least whole number x with x/of ≥ num/den ("以上" includes the number itself): 2/3 of 30
// is 20, 2/3 of 31 is 21, 1/2 of 21 is 11.
export function atLeast(of, { num, den }) {
  if (!Number.isInteger(of) || of <= 0 || !(den > 0)) return 0
  return Math.floor((of * num + den - 1) / den)
}

// Whether a general assembly's decision meets the charter (民发〔2014〕166号, thresholds from the
// dues settings): present ≥ quorum of entitled, votes for ≥ pass of present, secret ballot, and
// the counts consistent. Integer arithmetic only: present·den ≥ entitled·num.
//   checkDecision({entitled: 30, present: 20, votes_for: 10, ...}, {num: 2, den: 3}, {num: 1, den: 2})
//   → {counts: true, quorum: true, majority: true, secret: true, passes: true,
//      presentNeeded: 20, forNeeded: 10}
export function checkDecision(d, quorum = { num: 2, den: 3 }, pass = { num: 1, den: 2 }) {
  const n = (v) => (Number.isInteger(v) && v >= 0 ? v : null)
  const entitled = n(d?.entitled)
  const present = n(d?.present)
  const votesFor = n(d?.votes_for)
  const against = n(d?.votes_against) ?? 0
  const abstentions = n(d?.abstentions) ?? 0
  const counts =
    entitled !== null &&
    entitled >= 1 &&
    present !== null &&
    present <= entitled &&
    votesFor !== null &&
    votesFor + against + abstentions <= present
  const quorumMet = counts && present * quorum.den >= entitled * quorum.num
  const majority = counts && present > 0 && votesFor * pass.den >= present * pass.num
  const secret = d?.secret_ballot === true
  return {
    counts,
    quorum: quorumMet,
    majority,
    secret,
    passes: counts && quorumMet && majority && secret,
    presentNeeded: entitled ? atLeast(entitled, quorum) : 0,
    forNeeded: present ? atLeast(present, pass) : 0,
  }
}

// "2/3" of a ratio.
export const ratioText = (r) => (r ? `${r.num}/${r.den}` : '—')

// The current year in Asia/Shanghai.
export const currentYear = (now = new Date()) => Number(todayInShanghai(now).slice(0, 4))

// The years a year filter offers: next year down to `back` years ago (newest first).
export function yearsAround(current, { ahead = 1, back = 5 } = {}) {
  const years = []
  for (let y = current + ahead; y >= current - back; y--) years.push(y)
  return years
}

// The column mapping of a bank statement for ?map=: {date: 0, payer: 2, amount: 5, reference: 7}
// → 'date:0,payer:2,amount:5,reference:7'; `amountKind` 'credit' names a credit-only column.
// null when a needed column is missing (reference is optional).
export function statementMap({ date, payer, amount, reference }, amountKind = 'amount') {
  const ok = (v) => Number.isInteger(v) && v >= 0
  if (!ok(date) || !ok(payer) || !ok(amount)) return null
  const parts = [`date:${date}`, `payer:${payer}`, `${amountKind === 'credit' ? 'credit' : 'amount'}:${amount}`]
  if (ok(reference)) parts.push(`reference:${reference}`)
  return parts.join(',')
}

// A guess of the statement's columns from its header texts (Chinese bank exports): index or null.
export function guessColumns(headers = []) {
  const find = (patterns) => {
    const i = headers.findIndex((h) => patterns.some((p) => p.test(String(h ?? ''))))
    return i >= 0 ? i : null
  }
  return {
    date: find([/交易日期|记账日期|入账日期|日期|date/i]),
    payer: find([/对方户名|付款人|对方名称|对方账户名|户名|payer|name/i]),
    amount: find([/贷方|收入金额|入账金额|金额|credit|amount/i]),
    reference: find([/摘要|附言|用途|备注|reference|memo/i]),
  }
}

// Whether a payment retried after `error` must reuse its Idempotency-Key: when the first attempt
// may have been recorded without the answer reaching us (no answer, a 5xx, a 409 while the first
// is still in flight, 429) — the server then answers the retry with the first one's outcome. After
// a definitive refusal (an over-payment 409 carrying details.outstanding_fen, 404, 422 …) the
// user changes the form, and a changed body needs a new key (the old one would answer 422).
export function keepsIdempotencyKey(error) {
  const status = error?.status ?? 0
  if (status === 0 || status >= 500 || status === 429 || status === 400) return true
  if (status === 409) return error?.details?.outstanding_fen == null
  return false
}
