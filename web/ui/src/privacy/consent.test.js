// node --test src/ — the consent box's check, the body it adds to, when the sign-in asks again,
// and the notice editor's limits.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import {
  NOTICE_MAX,
  consentGiven,
  consentRule,
  needsConsent,
  noticeProblem,
  noticeText,
  withConsent,
} from './consent.js'

// Runs an Element Plus rule's validator: the error message, or null when it passes.
function check(rule, value) {
  let result
  rule.validator(rule, value, (error) => {
    result = error ? error.message : null
  })
  return result
}

test('the box is ticked only for the version in force', () => {
  assert.equal(consentGiven(3, 3), true)
  assert.equal(consentGiven(2, 3), false, 'a stale version')
  assert.equal(consentGiven(null, 3), false, 'not ticked')
  assert.equal(consentGiven(undefined, 3), false)
  assert.equal(consentGiven('3', 3), false, 'not a number')
  assert.equal(consentGiven(0, null), false, 'no version 0')
  assert.equal(consentGiven(1.5, null), false)
  // While the notice is still loading any whole version passes (the server has the last word).
  assert.equal(consentGiven(1, null), true)
  assert.equal(consentGiven(1, undefined), true)
})

test("the rule refuses an unticked box with the form's message, read at validation time", () => {
  let version = 1
  let message = '请阅读并勾选同意'
  const rule = consentRule(
    () => version,
    () => message,
  )
  assert.equal(rule.required, true, 'marks the item required')
  assert.equal(rule.trigger, 'change')
  assert.equal(check(rule, null), '请阅读并勾选同意')
  assert.equal(check(rule, 1), null)
  // A new version published: the old tick no longer counts; the message follows the language.
  version = 2
  message = 'Please read and accept'
  assert.equal(check(rule, 1), 'Please read and accept')
  assert.equal(check(rule, 2), null)
})

test('a ticked box adds consent_version to the body; an unticked one adds nothing', () => {
  const body = { member_id: 1, attending: false }
  assert.deepEqual(withConsent(body, 2), { member_id: 1, attending: false, consent_version: 2 })
  assert.deepEqual(withConsent(body, null), body)
  assert.equal(body.consent_version, undefined, 'the body itself is not changed')
})

test('the sign-in asks again when the accepted version is not the one in force', () => {
  assert.equal(needsConsent({ version: 1, accepted_version: null, accepted_at: null }), true, 'never accepted')
  assert.equal(needsConsent({ version: 2, accepted_version: 1, accepted_at: '2026-12-01T00:00:00Z' }), true, 'a new version')
  assert.equal(needsConsent({ version: 2, accepted_version: 2, accepted_at: '2026-12-02T00:00:00Z' }), false)
  // A server that says nothing about the notice asks nothing.
  assert.equal(needsConsent(null), false)
  assert.equal(needsConsent(undefined), false)
  assert.equal(needsConsent({}), false)
})

test('the notice is shown in the interface language, else in the other one', () => {
  const notice = { version: 1, text_zh: '声明', text_en: 'Notice' }
  assert.equal(noticeText(notice, 'zh-CN'), '声明')
  assert.equal(noticeText(notice, 'en'), 'Notice')
  assert.equal(noticeText({ text_zh: '声明', text_en: '' }, 'en'), '声明')
  assert.equal(noticeText({ text_zh: '', text_en: 'Notice' }, 'zh-CN'), 'Notice')
  assert.equal(noticeText(null, 'en'), '')
})

test('a notice text is required and at most 20,000 characters (code points, as the server counts)', () => {
  assert.equal(noticeProblem(''), 'required')
  assert.equal(noticeProblem('  \n '), 'required')
  assert.equal(noticeProblem(null), 'required')
  assert.equal(noticeProblem('声明'), null)
  assert.equal(noticeProblem('字'.repeat(NOTICE_MAX)), null)
  assert.equal(noticeProblem('字'.repeat(NOTICE_MAX + 1)), 'tooLong')
  // A character outside the BMP is one character, not two.
  assert.equal(noticeProblem('𠀀'.repeat(NOTICE_MAX)), null)
})

test('the consent wording exists in both languages, and the box names the version', () => {
  for (const messages of [zhCN, en]) {
    for (const key of ['agreeBefore', 'noticeLink', 'othersAfter', 'ownAfter', 'required', 'updated']) {
      assert.ok(messages.consent[key], `consent.${key}`)
    }
    assert.match(messages.consent.othersAfter, /\{n\}/)
    assert.match(messages.consent.ownAfter, /\{n\}/)
    assert.match(messages.consent.updated, /\{n\}/)
  }
  // The liaison's wording says the people entered were told; the applicant's own does not.
  assert.match(zhCN.consent.othersAfter, /已告知所填报人员/)
  assert.doesNotMatch(zhCN.consent.ownAfter, /告知/)
  assert.equal(zhCN.consent.noticeTitle, '个人信息保护声明')
})
