// The privacy notice (个人信息保护声明) and consent to it, as the forms and the sign-in use them
// (docs/API.md, Privacy: notice and consent). Pure functions, no requests: the notice itself is
// fetched by privacy/notice.js.
//
// A form that takes personal data carries `consent_version`: the version of the notice its
// submitter ticked (null until ticked). The server refuses a missing or stale version with 400
// naming `consent_version`. At sign-in the session carries
// `privacy: {version, accepted_version|null, accepted_at|null}`; a user whose accepted version is
// not the one in force is asked again before anything else.

// consentGiven(value, version) → whether a form's consent_version accepts the notice `version` in
// force (any whole version while the notice is not known yet; the server checks it anyway).
export function consentGiven(value, version) {
  if (!Number.isInteger(value) || value < 1) return false
  return version === null || version === undefined || value === version
}

// consentRule(version, message) → the Element Plus rule of the consent box: ticked for the
// notice `version` (a function, read at validation time), else `message` (a function too: the
// wording follows the language). `required` marks the form item as required.
export function consentRule(version, message) {
  return {
    required: true,
    trigger: 'change',
    validator: (_rule, value, callback) =>
      consentGiven(value, version()) ? callback() : callback(new Error(message())),
  }
}

// withConsent(body, value) → the request body with consent_version when the box is ticked (a form
// sends it; a meeting reply naming nobody may leave it out).
export function withConsent(body, value) {
  return Number.isInteger(value) ? { ...body, consent_version: value } : body
}

// needsConsent(privacy) → whether the signed-in user must accept the notice in force before going
// on: the session names a version and the user accepted another one, or none.
export function needsConsent(privacy) {
  if (!privacy || !Number.isInteger(privacy.version)) return false
  return privacy.accepted_version !== privacy.version
}

// noticeText(notice, locale) → the notice in the interface's language ('en' or Chinese), the other
// language's text when that one is empty.
export function noticeText(notice, locale) {
  if (!notice) return ''
  const zh = notice.text_zh ?? ''
  const en = notice.text_en ?? ''
  return locale === 'en' ? en || zh : zh || en
}

// NOTICE_MAX: the longest text the server takes in either language (characters).
export const NOTICE_MAX = 20000

// noticeProblem(text) → null, 'required' (empty or only spaces) or 'tooLong' (over NOTICE_MAX
// characters, counted as the server counts them: code points).
export function noticeProblem(text) {
  const s = String(text ?? '')
  if (s.trim() === '') return 'required'
  if ([...s].length > NOTICE_MAX) return 'tooLong'
  return null
}
