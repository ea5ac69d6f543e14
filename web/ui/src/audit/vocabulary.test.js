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
