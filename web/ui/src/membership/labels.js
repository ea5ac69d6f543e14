// label('tier', 'council') → '理事单位' (or 'Council member' in English); an unknown or empty code
// is shown as it is ('—' when empty).
import { t } from '../i18n/index.js'
import { labelKey } from './vocabulary.js'

export function label(kind, code) {
  if (code === null || code === undefined || code === '') return '—'
  const key = labelKey(kind, code)
  return key ? t(key) : String(code)
}
