// Correcting a person (PATCH /api/people): what the dialog sends, and the number to search again.
import { normaliseMobile } from '../utils/validate.js'

// The fields a correction may change, in the dialog's order; an empty one is left as it is.
export const CORRECTION_FIELDS = ['name', 'title', 'email', 'new_mobile']

// correctionBody('13800000001', {name: ' 张三 ', title: '', email: '', new_mobile: '', reason: ' 本人申请 '})
// → {mobile: '13800000001', name: '张三', reason: '本人申请'}: the filled fields trimmed (a new
// mobile normalised when it is one, else sent as typed for the server to name), the reason
// trimmed; null when no field is filled (there is nothing to correct).
export function correctionBody(mobile, form) {
  const body = { mobile }
  for (const field of CORRECTION_FIELDS) {
    const value = String(form?.[field] ?? '').trim()
    if (!value) continue
    body[field] = field === 'new_mobile' ? normaliseMobile(value) ?? value : value
  }
  if (Object.keys(body).length === 1) return null
  body.reason = String(form?.reason ?? '').trim()
  return body
}

// The number holding the person after a correction: the new one when it changed.
export function correctedMobile(body) {
  return body?.new_mobile ?? body?.mobile ?? null
}
