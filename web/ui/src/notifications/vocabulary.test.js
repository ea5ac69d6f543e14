// node --test src/ — the notification rules the pages rely on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import {
  OUTBOX_CHANNELS,
  OUTBOX_STATUSES,
  TEMPLATE_LOCALES,
  badgeText,
  bellLabel,
  canCancel,
  canRetry,
  countsTotal,
  groupCatalog,
  insertText,
  outboxTagType,
  placeholder,
  preferencesBody,
  safeLink,
  samePreferences,
  smsCount,
  smsSummary,
} from './vocabulary.js'

// A t() over the Chinese messages, as i18n/index.js fills {params}.
function tOf(messages) {
  return (key, params) => {
    const text = key.split('.').reduce((n, p) => n?.[p], messages)
    if (typeof text !== 'string') return key
    return params ? text.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m)) : text
  }
}
const tZh = tOf(zhCN)
const tEn = tOf(en)

test('safeLink follows only paths inside the app', () => {
  for (const ok of ['/meetings/12', '/training/classes/3', '/visits/5', '/dues/invoices/9', '/account', '/', '/notifications?unread=true']) {
    assert.equal(safeLink(ok), ok)
  }
  for (const bad of [
    null,
    undefined,
    '',
    42,
    '//evil.example.com',
    '//evil.example.com/meetings/1',
    '/\\evil.example.com',
    '/meetings\\..\\x',
    'http://evil.example.com',
    'https://evil.example.com/',
    'javascript:alert(1)',
    'meetings/12',
    ' /meetings/12',
    '/meetings/12 ',
    '/meet\nings',
    '/meet\tings',
    'HTTP://x',
    'data:text/html,hi',
  ]) {
    assert.equal(safeLink(bad), null, `refuses ${JSON.stringify(bad)}`)
  }
  assert.equal(safeLink(`/${'a'.repeat(3000)}`), null, 'absurdly long')
})

test('badgeText: the count, capped, nothing for none', () => {
  assert.equal(badgeText(0), '')
  assert.equal(badgeText(-1), '')
  assert.equal(badgeText(null), '')
  assert.equal(badgeText('x'), '')
  assert.equal(badgeText(1), '1')
  assert.equal(badgeText(99), '99')
  assert.equal(badgeText(100), '99+')
  assert.equal(badgeText(7, 5), '5+')
})

test('bellLabel names the unread count in both languages', () => {
  assert.equal(bellLabel(3, tZh), '通知（3 条未读）')
  assert.equal(bellLabel(0, tZh), '通知')
  assert.equal(bellLabel(undefined, tZh), '通知')
  assert.equal(bellLabel(120, tEn), 'Notifications (120 unread)')
  assert.equal(bellLabel(0, tEn), 'Notifications')
})

test('smsCount: characters and segments as the gateway bills them', () => {
  assert.deepEqual(smsCount(''), { characters: 0, segments: 0 })
  assert.deepEqual(smsCount(null), { characters: 0, segments: 0 })
  // Chinese: 70 in one, 67 per part.
  assert.deepEqual(smsCount('会'.repeat(70)), { characters: 70, segments: 1 })
  assert.deepEqual(smsCount('会'.repeat(71)), { characters: 71, segments: 2 })
  assert.deepEqual(smsCount('会'.repeat(134)), { characters: 134, segments: 2 })
  assert.deepEqual(smsCount('会'.repeat(135)), { characters: 135, segments: 3 })
  // GSM-7 only: 160 in one, 153 per part.
  assert.deepEqual(smsCount('a'.repeat(160)), { characters: 160, segments: 1 })
  assert.deepEqual(smsCount('a'.repeat(161)), { characters: 161, segments: 2 })
  assert.deepEqual(smsCount('a'.repeat(306)), { characters: 306, segments: 2 })
  assert.deepEqual(smsCount('a'.repeat(307)), { characters: 307, segments: 3 })
  // One Chinese character (or an emoji: one code point) makes the whole text UCS-2.
  assert.deepEqual(smsCount(`${'a'.repeat(70)}。`), { characters: 71, segments: 2 })
  assert.deepEqual(smsCount('😀'), { characters: 1, segments: 1 })
  assert.deepEqual(smsCount('Hi {name}, €5 [ok]'), { characters: 18, segments: 1 })
})

test('smsSummary says characters and segments', () => {
  assert.equal(smsSummary({ characters: 75, segments: 2 }, tZh), '共 75 字，计 2 条短信')
  assert.equal(smsSummary({ characters: 75, segments: 2 }, tEn), '75 characters, 2 SMS')
  assert.equal(smsSummary(undefined, tZh), '共 0 字，计 0 条短信')
})

test('groupCatalog keeps the catalogue order', () => {
  const catalog = [
    { kind: 'training.promoted', group: '培训' },
    { kind: 'meeting.invited', group: '会议' },
    { kind: 'training.cancelled', group: '培训' },
  ]
  assert.deepEqual(groupCatalog(catalog), [
    { group: '培训', kinds: [catalog[0], catalog[2]] },
    { group: '会议', kinds: [catalog[1]] },
  ])
  assert.deepEqual(groupCatalog(undefined), [])
})

test('preferencesBody: every kind, in-app on, SMS only where allowed', () => {
  const catalog = [
    { kind: 'a', sms_allowed: true },
    { kind: 'b', sms_allowed: false },
    { kind: 'c', sms_allowed: true, locked: true },
  ]
  const kinds = { a: { in_app: true, email: false, sms: true }, b: { in_app: false, email: true, sms: true } }
  assert.deepEqual(preferencesBody(kinds, catalog), {
    kinds: {
      a: { in_app: true, email: false, sms: true },
      b: { in_app: true, email: true, sms: false },
      c: { in_app: true, email: false, sms: false },
    },
  })
  assert.equal(samePreferences(kinds, structuredClone(kinds)), true)
  assert.equal(samePreferences(kinds, { ...kinds, a: { ...kinds.a, email: true } }), false)
  assert.equal(samePreferences({}, {}), true)
})

test('outbox: which rows may be retried or cancelled; labels and tags for every status', () => {
  assert.deepEqual(OUTBOX_STATUSES.filter(canRetry), ['failed', 'dead', 'cancelled'])
  assert.deepEqual(OUTBOX_STATUSES.filter(canCancel), ['pending', 'failed'])
  for (const s of OUTBOX_STATUSES) {
    assert.equal(typeof zhCN.outboxStatus[s], 'string', `zh-CN label of ${s}`)
    assert.equal(typeof en.outboxStatus[s], 'string', `en label of ${s}`)
    assert.ok(['primary', 'success', 'warning', 'danger', 'info'].includes(outboxTagType(s)))
  }
  for (const c of OUTBOX_CHANNELS) {
    assert.equal(typeof zhCN.outboxChannels[c], 'string')
    assert.equal(typeof en.outboxChannels[c], 'string')
  }
  for (const l of TEMPLATE_LOCALES) {
    assert.equal(typeof zhCN.templates.locales[l], 'string')
    assert.equal(typeof en.templates.locales[l], 'string')
  }
  assert.equal(countsTotal({ pending: 2, sent: 5, dead: 0 }), 7)
  assert.equal(countsTotal(undefined), 0)
})

test('insertText puts a placeholder at the cursor, replacing the selection', () => {
  assert.equal(placeholder('member_name'), '{{member_name}}')
  assert.deepEqual(insertText('您好，！', 3, 3, '{{name}}'), { text: '您好，{{name}}！', caret: 11 })
  assert.deepEqual(insertText('abcdef', 1, 4, 'X'), { text: 'aXef', caret: 2 })
  // No cursor known: at the end.
  assert.deepEqual(insertText('abc', undefined, undefined, 'X'), { text: 'abcX', caret: 4 })
  assert.deepEqual(insertText(null, 0, 0, 'X'), { text: 'X', caret: 1 })
  // Out of range: clamped.
  assert.deepEqual(insertText('abc', 10, 20, 'X'), { text: 'abcX', caret: 4 })
})
