// node --test src/  (run by tests/ui/run.sh)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from './vocabulary.js'

test('every audit action and object type has a Chinese and an English label', () => {
  for (const [section, codes] of [
    ['auditActions', AUDIT_ACTIONS],
    ['auditEntities', AUDIT_ENTITIES],
  ]) {
    for (const code of codes) {
      assert.ok(zhCN[section]?.[code], `zh-CN ${section}.${code}`)
      assert.ok(en[section]?.[code], `en ${section}.${code}`)
      assert.match(zhCN[section][code], /[\u4e00-\u9fff]/, `zh-CN ${section}.${code} is Chinese`)
    }
  }
})

test('the exchange visits actions the server writes are listed', () => {
  for (const code of [
    'visit.create', 'visit.update', 'visit.application', 'delegate.approve', 'delegate.waitlist',
    'delegate.reject', 'delegate.withdraw', 'delegate.promote', 'delegate.check_in',
    'delegate.check_in_undo', 'visit.rooming', 'visit.report', 'visit.report_file',
    'visit.report_file_delete', 'topic.create', 'topic.update', 'host_offer.create',
    'host_offer.update', 'host_offer.delete', 'visit_interest.create', 'visit_interest.update',
    'visit_interest.delete', 'visit.from_match',
  ]) {
    assert.ok(AUDIT_ACTIONS.includes(code), code)
  }
  assert.equal(new Set(AUDIT_ACTIONS).size, AUDIT_ACTIONS.length, 'no action twice')
})
