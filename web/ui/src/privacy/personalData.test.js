// node --test src/ — the access log's labels and query, the export's fields, a correction's body
// and the retention settings.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import { ACCESS_ACTIONS, accessQuery } from './access.js'
import { EXPORT_FIELDS, withFields } from './exportFields.js'
import { CORRECTION_FIELDS, correctedMobile, correctionBody } from './correction.js'
import {
  RETENTION_DEFAULTS,
  RETENTION_KINDS,
  RETENTION_SETTINGS,
  runTotal,
  settingsChanged,
  settingsOf,
} from './retention.js'

test('the access log labels its actions in Chinese and English', () => {
  assert.deepEqual(zhCN.accessActions, {
    'personal.view': '查看',
    'personal.export': '导出',
    'person.search': '查找个人',
    'person.export': '导出个人数据',
    'person.correct': '更正',
    'person.erase': '删除',
  })
  assert.deepEqual(Object.keys(zhCN.accessActions).sort(), [...ACCESS_ACTIONS].sort())
  for (const action of ACCESS_ACTIONS) assert.ok(en.accessActions[action], `en accessActions.${action}`)
  // The audit log names them too.
  for (const action of ACCESS_ACTIONS) assert.ok(zhCN.auditActions[action], `zh-CN auditActions.${action}`)
})

test("the access log's query leaves out empty filters and trims the actor", () => {
  assert.deepEqual(accessQuery({ actor: ' mishu ', dates: ['2026-03-01', '2026-03-31'] }), {
    actor: 'mishu',
    from: '2026-03-01',
    to: '2026-03-31',
  })
  assert.deepEqual(accessQuery({ actor: '  ', dates: null }), { actor: undefined, from: undefined, to: undefined })
  assert.deepEqual(accessQuery(), { actor: undefined, from: undefined, to: undefined })
})

test('an export keeps its own query and adds the chosen fields in a fixed order', () => {
  assert.deepEqual(EXPORT_FIELDS, ['mobile', 'email'])
  assert.deepEqual(withFields({ format: 'xlsx' }, []), { format: 'xlsx' })
  assert.deepEqual(withFields({ format: 'xlsx' }, ['mobile']), { format: 'xlsx', fields: 'mobile' })
  assert.deepEqual(withFields({ format: 'csv', city_code: '430100', sort: 'name' }, ['email', 'mobile']), {
    format: 'csv',
    city_code: '430100',
    sort: 'name',
    fields: 'mobile,email',
  })
  // An unknown field is dropped; a `fields` already in the query is replaced.
  assert.deepEqual(withFields({ format: 'xlsx', fields: 'mobile' }, ['email', 'lodging']), { format: 'xlsx', fields: 'email' })
  assert.deepEqual(withFields({ format: 'xlsx', fields: 'mobile' }, []), { format: 'xlsx' })
  assert.deepEqual(withFields(undefined, undefined), {})
  for (const f of EXPORT_FIELDS) assert.ok(zhCN.exportFields[f] && en.exportFields[f], f)
  assert.equal(zhCN.exportFields.note, '导出的个人信息将被记录')
})

test('a correction sends only the filled fields, the new mobile normalised, and the reason', () => {
  const none = { name: '', title: ' ', email: '', new_mobile: '', reason: '本人申请' }
  assert.equal(correctionBody('13800000001', none), null)
  assert.deepEqual(correctionBody('13800000001', { ...none, name: ' 张三 ', reason: ' 本人申请 ' }), {
    mobile: '13800000001',
    name: '张三',
    reason: '本人申请',
  })
  const moved = correctionBody('13800000001', { ...none, email: 'z@example.com', new_mobile: '+86 139-0000-0002' })
  assert.deepEqual(moved, { mobile: '13800000001', email: 'z@example.com', new_mobile: '13900000002', reason: '本人申请' })
  assert.equal(correctedMobile(moved), '13900000002')
  assert.equal(correctedMobile(correctionBody('13800000001', { ...none, title: '主任' })), '13800000001')
  // Not a mobile: sent as typed, for the server to name.
  assert.equal(correctionBody('13800000001', { ...none, new_mobile: '12345' }).new_mobile, '12345')
  for (const f of CORRECTION_FIELDS) assert.ok(zhCN.personCorrect.labels[f] && en.personCorrect.labels[f], f)
})

test('retention settings: defaults, ranges, changes and totals', () => {
  assert.deepEqual(settingsOf(null), RETENTION_DEFAULTS)
  assert.deepEqual(settingsOf({ enrollment_years: 5, daily: 1 }), { ...RETENTION_DEFAULTS, enrollment_years: 5, daily: true })
  for (const [key, min, max] of RETENTION_SETTINGS) {
    assert.ok(key in RETENTION_DEFAULTS, key)
    assert.ok(RETENTION_DEFAULTS[key] >= min && RETENTION_DEFAULTS[key] <= max, key)
    assert.ok(zhCN.retention.items[key] && en.retention.items[key], key)
  }
  assert.deepEqual(
    RETENTION_SETTINGS.find(([k]) => k === 'outbox_days').slice(1, 3),
    [30, 3650],
  )
  const saved = settingsOf({})
  assert.equal(settingsChanged({ ...saved }, saved), false)
  assert.equal(settingsChanged({ ...saved, outbox_days: 400 }, saved), true)
  assert.equal(settingsChanged({ ...saved, daily: true }, saved), true)
  assert.equal(settingsChanged({ ...saved }, null), false)
  assert.equal(runTotal({ total: 7, items: [] }), 7)
  assert.equal(runTotal({ items: [{ records: 2 }, { records: 3 }] }), 5)
  assert.equal(runTotal(null), 0)
  for (const kind of RETENTION_KINDS) assert.match(zhCN.retentionKinds[kind], /[\u4e00-\u9fff]/, kind)
  assert.deepEqual(Object.keys(en.retentionKinds).sort(), [...RETENTION_KINDS].sort())
})
