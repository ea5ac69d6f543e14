// Element Plus form rules built from the client-side checks; messages follow the language.
//   rules: { name: [required('fields.name'), length('fields.name', 2, 100)] }
// required() and chosen() carry `required: true`, so the field shows its asterisk before any
// submit (the check itself is still the validator below, with our own message).
import { t } from '../i18n/index.js'
import { charLength, isValidEmail, isValidMobile, isValidUsername } from '../utils/validate.js'
import { usccProblem } from '../utils/uscc.js'

function rule(test, message, trigger = 'blur', mandatory = false) {
  return {
    ...(mandatory ? { required: true } : {}),
    trigger,
    validator: (_rule, value, callback) => {
      const error = test(value)
      callback(error ? new Error(typeof message === 'function' ? message(error) : message) : undefined)
    },
  }
}

const blank = (v) => v === null || v === undefined || String(v).trim() === ''

export const required = (field) =>
  rule((v) => blank(v), () => t('rules.required', { field: t(field) }), 'blur', true)
export const chosen = (field) =>
  rule((v) => blank(v), () => t('rules.choose', { field: t(field) }), 'change', true)

// Characters between min and max; empty passes (combine with required()).
export const length = (field, min, max) =>
  rule(
    (v) => !blank(v) && (charLength(String(v).trim()) < min || charLength(String(v).trim()) > max),
    () => t('rules.length', { field: t(field), min, max }),
  )
export const maxLength = (field, max) =>
  rule(
    (v) => !blank(v) && charLength(String(v).trim()) > max,
    () => t('rules.maxLength', { field: t(field), max }),
  )

export const mobile = () => rule((v) => !blank(v) && !isValidMobile(v), () => t('rules.mobile'))
export const email = () => rule((v) => !blank(v) && !isValidEmail(v), () => t('rules.email'))
export const uscc = () =>
  rule(
    (v) => (blank(v) ? null : usccProblem(v)),
    (problem) => t(`rules.uscc.${problem}`),
  )
export const username = () =>
  rule((v) => !blank(v) && !isValidUsername(v), () => t('users.rules.username'))
