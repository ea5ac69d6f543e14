// The meetings vocabulary: the codes the server stores (docs/API.md "Meetings and rooms") and the
// pure rules the pages need — the composed title of a governing meeting (第三届第二次理事会), the
// quorum and pass figures, whether a reply may still be given. Labels live in the i18n files:
// t(`meetingKinds.${code}`), t(`meetingModes.${code}`), t(`meetingStatus.${code}`),
// t(`rsvpStates.${code}`), t(`voteMethods.${code}`), t(`resolutionKinds.${code}`),
// t(`eventTypes.${code}`).

export const MEETING_KINDS = [
  'general_assembly',
  'council',
  'standing_council',
  'president_office',
  'seminar',
  'other',
]
// The kinds whose title the server composes from the 届 and 次 numbers.
export const GOVERNING_KINDS = ['general_assembly', 'council', 'standing_council', 'president_office']
export const MEETING_MODES = ['onsite', 'written', 'online']
export const MEETING_STATUSES = ['scheduled', 'finished', 'cancelled']
// A unit's state in the 回执 matrix.
export const RSVP_STATES = ['attending', 'absent', 'proxy', 'none']
// What a member answers on the reply form.
export const REPLY_CHOICES = ['attending', 'absent', 'proxy']
export const VOTE_METHODS = ['secret_ballot', 'show_of_hands', 'written']
export const RESOLUTION_KINDS = ['ordinary', 'charter', 'dues', 'election']
// The membership tiers, lowest first (the invite mapping of the settings).
export const TIERS = ['member', 'council', 'standing_council', 'vice_president', 'president']
// What the activity calendar shows, and the colour of each (the legend's too). Dark enough for
// white text (WCAG AA).
export const EVENT_TYPES = ['meeting', 'class', 'visit', 'booking']
export const EVENT_COLORS = { meeting: '#b0272d', class: '#2f7d1f', visit: '#7a3fa8', booking: '#2563c9' }
// At most this many people come for one unit.
export const MAX_ATTENDEES = 5

// The name of a governing kind as it ends the title.
const KIND_TITLE = {
  general_assembly: '会员大会',
  council: '理事会',
  standing_council: '常务理事会',
  president_office: '会长办公会',
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九']

// chineseNumeral(105) → '一百零五': how a 届 or 次 number is written, 1–999 (十, 十一, 二十,
// 一百, 一百一十, 一百零五); anything else → its digits.
export function chineseNumeral(n) {
  const v = Number(n)
  if (!Number.isInteger(v) || v < 1 || v > 999) return String(n ?? '')
  const hundreds = Math.floor(v / 100)
  const tens = Math.floor((v % 100) / 10)
  const ones = v % 10
  let out = ''
  if (hundreds > 0) out += `${DIGITS[hundreds]}百`
  if (tens > 0) {
    // 十 alone below 20 (十一, not 一十一); 一十 after a hundred (一百一十).
    out += tens === 1 && hundreds === 0 ? '十' : `${DIGITS[tens]}十`
  } else if (hundreds > 0 && ones > 0) {
    out += '零'
  }
  if (ones > 0) out += DIGITS[ones]
  return out
}

// composeTitle('council', 3, 2) → '第三届第二次理事会'; '' for a kind without a composed title or
// numbers outside 1–999 (the caller then asks for a title).
export function composeTitle(kind, termNo, sessionNo) {
  const name = KIND_TITLE[kind]
  const term = Number(termNo)
  const session = Number(sessionNo)
  if (!name || !Number.isInteger(term) || !Number.isInteger(session)) return ''
  if (term < 1 || term > 999 || session < 1 || session > 999) return ''
  return `第${chineseNumeral(term)}届第${chineseNumeral(session)}次${name}`
}

export const isGoverning = (kind) => GOVERNING_KINDS.includes(kind)

// Element-style tag colours.
export function meetingTagType(status) {
  return { scheduled: 'primary', finished: 'success', cancelled: 'info' }[status] ?? 'info'
}
export function rsvpTagType(state) {
  return { attending: 'success', absent: 'info', proxy: 'warning', none: 'danger' }[state] ?? 'info'
}

// The state of a reply ({attending, proxy_to_member_id} or null), as the matrix names it.
export function replyState(reply) {
  if (!reply) return 'none'
  if (reply.proxy_to_member_id != null) return 'proxy'
  return reply.attending ? 'attending' : 'absent'
}

// ratioText({num: 2, den: 3}) → '2/3'.
export function ratioText(ratio) {
  if (!ratio || !ratio.den) return '—'
  return `${ratio.num}/${ratio.den}`
}

// requiredCount(60, {num: 2, den: 3}) → 40: ⌈entitled × num / den⌉ in integers.
export function requiredCount(entitled, ratio) {
  const e = Number(entitled)
  if (!Number.isInteger(e) || e < 0 || !ratio?.den) return 0
  return Math.floor((e * ratio.num + ratio.den - 1) / ratio.den)
}

// passes({num: 1, den: 2, strict: true}, 40, 21) → true: votes for > (strict) or ≥ num/den of
// the present, compared in integers.
export function passes(rule, present, votesFor) {
  if (!rule?.den) return false
  const lhs = Number(votesFor) * rule.den
  const rhs = Number(present) * rule.num
  return rule.strict ? lhs > rhs : lhs >= rhs
}

// passRuleText({num: 2, den: 3, strict: false}, 'zh-CN') → '赞成票不少于实到的 2/3'.
export function passRuleText(rule, lang = 'zh-CN') {
  if (!rule?.den) return '—'
  const r = `${rule.num}/${rule.den}`
  if (lang === 'en') return rule.strict ? `votes for more than ${r} of those present` : `votes for at least ${r} of those present`
  return rule.strict ? `赞成票超过实到的 ${r}` : `赞成票不少于实到的 ${r}`
}

// Whether votes can be recorded: for + against + abstentions ≤ present ≤ entitled.
export function votesProblem({ entitled, present, votes_for: f, votes_against: a, abstentions: s }) {
  const n = [entitled, present, f, a, s].map(Number)
  if (n.some((v) => !Number.isInteger(v) || v < 0)) return 'whole'
  if (n[1] > n[0]) return 'present'
  if (n[2] + n[3] + n[4] > n[1]) return 'votes'
  return null
}

// Whether a member may still give or change its reply: the meeting is scheduled and the deadline
// (an instant) has not passed.
export function canReply(meeting, now = new Date()) {
  if (!meeting || meeting.status !== 'scheduled') return false
  const deadline = new Date(meeting.rsvp_deadline ?? meeting.starts_at)
  if (Number.isNaN(deadline.getTime())) return false
  return now.getTime() <= deadline.getTime()
}

// moveItem(['a','b','c'], 2, -1) → ['a','c','b']: a new list with item i moved by delta (no change
// past either end).
export function moveItem(list, i, delta) {
  const j = i + delta
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list]
  const out = [...list]
  const [item] = out.splice(i, 1)
  out.splice(j, 0, item)
  return out
}

// The counts of the 回执 matrix from its rows (when the server's counts are missing).
export function countStates(items) {
  const counts = { invited: items.length, replied: 0, attending: 0, absent: 0, proxy: 0, none: 0 }
  for (const row of items) {
    counts[row.state] = (counts[row.state] ?? 0) + 1
    if (row.state !== 'none') counts.replied++
  }
  return counts
}

// bytes → '20 MiB' / '512 KiB' / '300 B' (material sizes and the size limit).
export function formatBytes(bytes) {
  const n = Number(bytes)
  if (!Number.isFinite(n) || n < 0) return '—'
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`
  return `${n} B`
}

// The material files the server takes (by extension; it checks the content too).
export const MATERIAL_EXTENSIONS = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx']
export function materialExtensionOk(filename) {
  const m = /\.([A-Za-z0-9]+)$/.exec(String(filename ?? ''))
  return Boolean(m) && MATERIAL_EXTENSIONS.includes(m[1].toLowerCase())
}

// The booking in the way, from a 409's details: `conflict` as the contract names it, or the first
// of `conflicts` ([{booking_id, title, starts_at, ends_at}]); null when neither is there.
export function conflictOf(error) {
  const details = error?.details ?? {}
  return details.conflict ?? (Array.isArray(details.conflicts) ? details.conflicts[0] : null) ?? null
}
