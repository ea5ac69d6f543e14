// duesLabel('invoiceStatus', 'paid') → '已缴清' (or 'Paid'); an unknown or empty code is shown as
// it is ('—' when empty). prorationLabel('quarters:3') → '按剩余季度（3 个季度）'.
import { t } from '../i18n/index.js'
import { duesLabelKey, prorationOf } from './vocabulary.js'

export function duesLabel(kind, code) {
  if (code === null || code === undefined || code === '') return '—'
  const key = duesLabelKey(kind, code)
  return key ? t(key) : String(code)
}

export function prorationLabel(value) {
  const p = prorationOf(value)
  if (!p) return value ? String(value) : '—'
  return t(`dues.prorated.${p.key}`, { n: p.n })
}
