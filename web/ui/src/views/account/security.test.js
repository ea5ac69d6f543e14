// node --test src/ — the account security pages' helpers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  codeDigits,
  codeRules,
  describeUserAgent,
  durationOf,
  groupSecret,
  isCode,
  shortUserAgent,
  twoFactorSetupRedirect,
} from './security.js'

test('a code field keeps six digits of what was typed or pasted', () => {
  assert.equal(codeDigits(' 123 456 '), '123456')
  assert.equal(codeDigits('12a3-4567'), '123456')
  assert.equal(codeDigits(null), '')
  assert.ok(isCode('012345'))
  assert.ok(!isCode('12345'))
  assert.ok(!isCode('1234567'))
  assert.ok(!isCode('12345a'))
})

test('the secret in groups of four', () => {
  assert.equal(groupSecret('JBSWY3DPEHPK3PXP'), 'JBSW Y3DP EHPK 3PXP')
  assert.equal(groupSecret('ABCDEFGHIJ'), 'ABCD EFGH IJ')
  assert.equal(groupSecret(''), '')
})

test('user agents in a few words', () => {
  const cases = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome 120 · Windows'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91', 'Edge 120 · Windows'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox 121 · Linux'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15', 'Safari 17 · macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1', 'Safari 17 · iPhone'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1', 'Chrome 120 · iPhone'],
    ['Mozilla/5.0 (Linux; Android 13; V2171A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64', 'WeChat 8 · Android'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36', 'Chrome 131 · Linux'],
    ['Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.2.311 Mobile Safari/537.36', 'Huawei Browser 14 · HarmonyOS'],
    ['curl/8.5.0', 'curl 8.5.0'],
    ['node', 'node'],
    ['', ''],
  ]
  for (const [ua, short] of cases) assert.equal(shortUserAgent(ua), short, ua)
  assert.equal(shortUserAgent('Mozilla/5.0 (iPhone) MicroMessenger/8.0.1', (n) => ({ WeChat: '微信' })[n] ?? n), '微信 8 · iPhone')
  assert.equal(describeUserAgent(null), null)
  assert.deepEqual(describeUserAgent('Mozilla/5.0 (Windows NT 10.0)'), { name: null, version: null, os: 'Windows' })
})

test('minutes in the largest whole unit', () => {
  assert.deepEqual(durationOf(30), { unit: 'minutes', n: 30 })
  assert.deepEqual(durationOf(720), { unit: 'hours', n: 12 })
  assert.deepEqual(durationOf(10080), { unit: 'days', n: 7 })
  assert.deepEqual(durationOf(90), { unit: 'minutes', n: 90 })
})

test('codeRules refuses anything but six digits with the given message', () => {
  const [rule] = codeRules('六位数字').code
  const outcome = (value) => {
    let seen = 'not called'
    rule.validator(rule, value, (error) => (seen = error ? error.message : 'ok'))
    return seen
  }
  assert.equal(outcome('123456'), 'ok')
  assert.equal(outcome('12345'), '六位数字')
  assert.equal(outcome(''), '六位数字')
  assert.equal(rule.required, true)
})

test('while two-factor setup is required every signed-in page leads to the account security page', () => {
  const page = { name: 'members', fullPath: '/members?q=长沙', meta: { anyOf: ['directory.read'] } }
  assert.equal(twoFactorSetupRedirect(page, false), null, 'nothing required: go on')
  assert.deepEqual(twoFactorSetupRedirect(page, true), { name: 'accountSecurity', query: { redirect: '/members?q=长沙' } })
  // Home needs no way back; the page itself and the signed-out pages are let through.
  assert.deepEqual(twoFactorSetupRedirect({ name: 'home', fullPath: '/', meta: {} }, true), { name: 'accountSecurity', query: {} })
  assert.equal(twoFactorSetupRedirect({ name: 'accountSecurity', fullPath: '/account/security', meta: {} }, true), null)
  assert.equal(twoFactorSetupRedirect({ name: 'privacy', fullPath: '/privacy', meta: { public: true } }, true), null)
  assert.equal(twoFactorSetupRedirect({ name: 'login', fullPath: '/login', meta: { public: true } }, true), null)
})
