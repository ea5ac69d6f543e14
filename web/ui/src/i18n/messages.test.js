// node --test src/ — both message files have the same keys.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from './zh-CN.js'
import en from './en.js'

function keys(node, prefix = '') {
  return Object.entries(node).flatMap(([k, v]) =>
    typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

test('zh-CN and en define the same keys', () => {
  assert.deepEqual(keys(en).sort(), keys(zhCN).sort())
})
