// node --test src/ — the meetings vocabulary and the pure rules the pages mirror from the server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import zhCN from '../i18n/zh-CN.js'
import en from '../i18n/en.js'
import {
  EVENT_TYPES,
  MEETING_KINDS,
  MEETING_MODES,
  MEETING_STATUSES,
  RESOLUTION_KINDS,
  RSVP_STATES,
  VOTE_METHODS,
  canReply,
  chineseNumeral,
  composeTitle,
  countStates,
  formatBytes,
  materialExtensionOk,
  moveItem,
  passRuleText,
  passes,
  ratioText,
  replyState,
  requiredCount,
  votesProblem,
} from './vocabulary.js'

test('each code has a Chinese and an English label', () => {
  for (const [section, codes] of [
    ['meetingKinds', MEETING_KINDS],
    ['meetingModes', MEETING_MODES],
    ['meetingStatus', MEETING_STATUSES],
    ['rsvpStates', RSVP_STATES],
    ['voteMethods', VOTE_METHODS],
    ['resolutionKinds', RESOLUTION_KINDS],
    ['eventTypes', EVENT_TYPES],
  ]) {
    assert.deepEqual(Object.keys(zhCN[section]).sort(), [...codes].sort(), section)
    assert.deepEqual(Object.keys(en[section]).sort(), [...codes].sort(), section)
    for (const code of codes) assert.match(zhCN[section][code], /[\u4e00-\u9fff]/, `${section}.${code}`)
  }
})

test('Chinese numerals 1–999', () => {
  const cases = {
    1: '一',
    2: '二',
    9: '九',
    10: '十',
    11: '十一',
    19: '十九',
    20: '二十',
    21: '二十一',
    99: '九十九',
    100: '一百',
    101: '一百零一',
    105: '一百零五',
    110: '一百一十',
    111: '一百一十一',
    120: '一百二十',
    200: '二百',
    305: '三百零五',
    999: '九百九十九',
  }
  for (const [n, text] of Object.entries(cases)) assert.equal(chineseNumeral(Number(n)), text, n)
  assert.equal(chineseNumeral(0), '0')
  assert.equal(chineseNumeral(1000), '1000')
  assert.equal(chineseNumeral(2.5), '2.5')
})

test('the composed title of a governing meeting', () => {
  assert.equal(composeTitle('council', 3, 2), '第三届第二次理事会')
  assert.equal(composeTitle('general_assembly', 3, 1), '第三届第一次会员大会')
  assert.equal(composeTitle('standing_council', 10, 12), '第十届第十二次常务理事会')
  assert.equal(composeTitle('president_office', 1, 105), '第一届第一百零五次会长办公会')
  assert.equal(composeTitle('seminar', 3, 2), '')
  assert.equal(composeTitle('council', 0, 2), '')
  assert.equal(composeTitle('council', '', 2), '')
  assert.equal(composeTitle('council', '4', '2'), '第四届第二次理事会')
})

test('quorum and pass rules in integers', () => {
  assert.equal(requiredCount(60, { num: 2, den: 3 }), 40)
  assert.equal(requiredCount(61, { num: 2, den: 3 }), 41)
  assert.equal(requiredCount(0, { num: 2, den: 3 }), 0)
  assert.equal(requiredCount(7, { num: 1, den: 2 }), 4)
  assert.equal(ratioText({ num: 2, den: 3 }), '2/3')
  const ordinary = { num: 1, den: 2, strict: true }
  const charter = { num: 2, den: 3, strict: false }
  assert.equal(passes(ordinary, 40, 20), false)
  assert.equal(passes(ordinary, 40, 21), true)
  assert.equal(passes(charter, 45, 30), true)
  assert.equal(passes(charter, 45, 29), false)
  assert.equal(passRuleText(ordinary), '赞成票超过实到的 1/2')
  assert.equal(passRuleText(charter, 'en'), 'votes for at least 2/3 of those present')
  assert.equal(votesProblem({ entitled: 60, present: 45, votes_for: 40, votes_against: 3, abstentions: 2 }), null)
  assert.equal(votesProblem({ entitled: 60, present: 61, votes_for: 0, votes_against: 0, abstentions: 0 }), 'present')
  assert.equal(votesProblem({ entitled: 60, present: 45, votes_for: 40, votes_against: 4, abstentions: 2 }), 'votes')
  assert.equal(votesProblem({ entitled: 60, present: 45, votes_for: -1, votes_against: 0, abstentions: 0 }), 'whole')
})

test('replies: state, deadline, counts', () => {
  assert.equal(replyState(null), 'none')
  assert.equal(replyState({ attending: true, proxy_to_member_id: null }), 'attending')
  assert.equal(replyState({ attending: false, proxy_to_member_id: null }), 'absent')
  assert.equal(replyState({ attending: false, proxy_to_member_id: 7 }), 'proxy')
  const meeting = { status: 'scheduled', rsvp_deadline: '2026-03-01T18:00:00+08:00' }
  assert.equal(canReply(meeting, new Date('2026-03-01T09:59:59Z')), true)
  assert.equal(canReply(meeting, new Date('2026-03-01T10:00:01Z')), false)
  assert.equal(canReply({ ...meeting, status: 'cancelled' }, new Date('2026-02-01T00:00:00Z')), false)
  assert.deepEqual(
    countStates([{ state: 'attending' }, { state: 'none' }, { state: 'proxy' }, { state: 'attending' }]),
    { invited: 4, replied: 3, attending: 2, absent: 0, proxy: 1, none: 1 },
  )
})

test('agenda reordering, sizes, material types', () => {
  assert.deepEqual(moveItem(['a', 'b', 'c'], 2, -1), ['a', 'c', 'b'])
  assert.deepEqual(moveItem(['a', 'b', 'c'], 0, 1), ['b', 'a', 'c'])
  assert.deepEqual(moveItem(['a', 'b', 'c'], 0, -1), ['a', 'b', 'c'])
  assert.equal(formatBytes(20971520), '20 MiB')
  assert.equal(formatBytes(1536), '1.5 KiB')
  assert.equal(formatBytes(300), '300 B')
  assert.equal(materialExtensionOk('议程.PDF'), true)
  assert.equal(materialExtensionOk('名单.xlsx'), true)
  assert.equal(materialExtensionOk('photo.jpg'), false)
  assert.equal(materialExtensionOk('noext'), false)
})

test('the booking in the way, from either form of a 409', async () => {
  const { conflictOf } = await import('./vocabulary.js')
  const b = { booking_id: 7, title: '周例会', starts_at: '2026-03-02T09:00:00+08:00', ends_at: '2026-03-02T10:00:00+08:00' }
  assert.deepEqual(conflictOf({ details: { conflict: b } }), b)
  assert.deepEqual(conflictOf({ details: { booking_id: 7, conflicts: [b] } }), b)
  assert.equal(conflictOf({ details: {} }), null)
  assert.equal(conflictOf(new Error('x')), null)
})
