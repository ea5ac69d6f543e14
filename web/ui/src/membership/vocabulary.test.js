// node --test src/ — every code of the vocabulary has a label in both languages, and the status
// changes offered follow the server's rules.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import { CITY_CODES, LABEL_SECTIONS, labelKey, statusTargets } from './vocabulary.js'

test('each code has a Chinese and an English label', () => {
  for (const [kind, [section, codes]] of Object.entries(LABEL_SECTIONS)) {
    for (const code of codes) {
      assert.equal(typeof zhCN[section]?.[code], 'string', `zh-CN ${section}.${code}`)
      assert.equal(typeof en[section]?.[code], 'string', `en ${section}.${code}`)
      assert.equal(labelKey(kind, code), `${section}.${code}`)
    }
    assert.deepEqual(Object.keys(zhCN[section]).sort(), [...codes].sort(), `no stray ${section}`)
  }
  assert.equal(labelKey('city', '110000'), null)
  assert.equal(labelKey('nonsense', 'x'), null)
})

test("Hunan's 14 prefectures", () => {
  assert.equal(CITY_CODES.length, 14)
  assert.equal(zhCN.cities['430100'], '长沙市')
  assert.equal(zhCN.cities['433100'], '湘西土家族苗族自治州')
})

test('status changes staff may make', () => {
  assert.deepEqual(statusTargets('active'), ['suspended', 'withdrawn', 'expelled'])
  assert.deepEqual(statusTargets('lapsed'), ['active', 'suspended', 'withdrawn', 'expelled'])
  assert.deepEqual(statusTargets('withdrawn'), ['active'])
  assert.deepEqual(statusTargets('expelled'), [])
  assert.deepEqual(statusTargets('bogus'), [])
})

// The server writes these words into exports and certificates and reads them back on import
// (services/membership/membership_labels.cpp): the UI must say the same.
test("Chinese labels are the server's", () => {
  assert.deepEqual(zhCN.memberStatus, {
    active: '正常',
    lapsed: '欠费失效',
    suspended: '暂停',
    withdrawn: '已退会',
    expelled: '已除名',
  })
  assert.deepEqual(zhCN.orgTypes, {
    development_zone: '开发区',
    customs_zone: '海关特殊监管区域',
    industrial_park: '产业园区',
    research_institute: '研究机构',
    platform_company: '平台公司',
    individual: '个人会员',
  })
})
