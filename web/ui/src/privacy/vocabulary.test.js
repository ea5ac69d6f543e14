// node --test src/ — every kind of record and erasure count has a label in both languages.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import { ERASURE_COUNTS, PERSON_KINDS, STATUS_SECTIONS, statusKey } from './vocabulary.js'

test('every kind of record and every erasure count has a Chinese and an English label', () => {
  for (const kind of PERSON_KINDS) {
    assert.match(zhCN.personKinds[kind], /[\u4e00-\u9fff]/, `zh-CN personKinds.${kind}`)
    assert.ok(en.personKinds[kind], `en personKinds.${kind}`)
  }
  assert.deepEqual(Object.keys(zhCN.personKinds).sort(), [...PERSON_KINDS].sort())
  for (const key of ERASURE_COUNTS) {
    assert.ok(zhCN.people.erasedCounts[key], `zh-CN people.erasedCounts.${key}`)
    assert.ok(en.people.erasedCounts[key], `en people.erasedCounts.${key}`)
  }
})

test("a status is labelled from its kind's section", () => {
  assert.equal(statusKey('enrollment', 'confirmed'), 'enrollmentStatus.confirmed')
  assert.equal(statusKey('member_contact', 'liaison'), 'contactRoles.liaison')
  assert.equal(statusKey('meeting_attendee', ''), null)
  assert.equal(statusKey('enrollment', ''), null)
  for (const section of Object.values(STATUS_SECTIONS)) assert.ok(zhCN[section] && en[section], section)
})
