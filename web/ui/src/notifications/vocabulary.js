// Notifications (通知): the codes the server uses and the pure rules the pages need — which links a
// notification may lead to, what the bell says, how an SMS is counted, the preferences catalogue
// by group, what an outbox row may do next, and inserting a {{variable}} into a template. No Vue,
// no i18n import: unit-tested with `node --test`. Labels live in i18n/notifications.*.js:
// t(`outboxStatus.${code}`), t(`outboxChannels.${code}`).

// The outbox's statuses, in the order of a message's life.
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead', 'cancelled']
export const OUTBOX_CHANNELS = ['email', 'sms']
// The languages a template is written in (the server's locales).
export const TEMPLATE_LOCALES = ['zh-CN', 'en']

// safeLink('/meetings/12') → '/meetings/12'; anything that could leave the app → null: only a path
// starting with a single "/" (not "//" or "/\", which browsers read as another host), with no
// scheme, whitespace or control characters.
export function safeLink(link) {
  if (typeof link !== 'string' || link.length === 0 || link.length > 2000) return null
  if (!link.startsWith('/') || link.startsWith('//') || link.startsWith('/\\')) return null
  if (/[\s\x00-\x1f\x7f\\]/.test(link)) return null
  return link
}

// badgeText(3) → '3', badgeText(120) → '99+', 0 or nonsense → '' (no badge).
export function badgeText(count, max = 99) {
  const n = Number(count)
  if (!Number.isFinite(n) || n <= 0) return ''
  return n > max ? `${max}+` : String(Math.floor(n))
}

// bellLabel(3, t) → '通知（3 条未读）'; with none unread just '通知'. `t` is i18n's t.
export function bellLabel(count, t) {
  const n = Number(count)
  if (!Number.isFinite(n) || n <= 0) return t('notifications.bell')
  return t('notifications.bellUnread', { n: Math.floor(n) })
}

// The GSM 03.38 alphabet (basic set and the extension table): an SMS all in it is sent 7-bit.
const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà' +
    '\f^{}\\[~]|€',
)

// smsCount('会议通知') → {characters: 4, segments: 1}: characters are code points; segments as the
// gateway bills them (the server's rule): all GSM-7: 160 for one, 153 per part; otherwise (Chinese)
// 70 for one, 67 per part; an empty text is 0 segments.
export function smsCount(text) {
  const chars = [...String(text ?? '')]
  const n = chars.length
  if (n === 0) return { characters: 0, segments: 0 }
  const gsm = chars.every((c) => GSM7.has(c))
  const [single, part] = gsm ? [160, 153] : [70, 67]
  return { characters: n, segments: n <= single ? 1 : Math.ceil(n / part) }
}

// smsSummary({characters: 75, segments: 2}, t) → '共 75 字，计 2 条短信'.
export function smsSummary({ characters = 0, segments = 0 } = {}, t) {
  return t('templates.smsCount', { characters, segments })
}

// groupCatalog(catalog) → [{group, kinds: [entry…]}] in the catalogue's own order (first
// appearance of each group, then its kinds as listed).
export function groupCatalog(catalog = []) {
  const groups = new Map()
  for (const entry of catalog ?? []) {
    const group = entry.group ?? ''
    if (!groups.has(group)) groups.set(group, [])
    groups.get(group).push(entry)
  }
  return [...groups].map(([group, kinds]) => ({ group, kinds }))
}

// preferencesBody(kinds, catalog) → the PUT body {kinds: {kind: {in_app, email, sms}}}: every kind
// of the catalogue, in-app always on, SMS off where it is not allowed, locked kinds as the server
// sent them.
export function preferencesBody(kinds = {}, catalog = []) {
  const out = {}
  for (const entry of catalog ?? []) {
    const now = kinds?.[entry.kind] ?? {}
    out[entry.kind] = {
      in_app: true,
      email: Boolean(now.email),
      sms: entry.sms_allowed ? Boolean(now.sms) : false,
    }
  }
  return { kinds: out }
}

// samePreferences(a, b) → whether two {kind: {in_app, email, sms}} maps say the same.
export function samePreferences(a = {}, b = {}) {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])
  for (const k of keys) {
    const x = a?.[k] ?? {}
    const y = b?.[k] ?? {}
    if (Boolean(x.email) !== Boolean(y.email) || Boolean(x.sms) !== Boolean(y.sms)) return false
  }
  return true
}

// What an admin may do with an outbox row: retry a dead, failed or cancelled one (it is sent
// again now); cancel one not yet sent (pending or failed).
export function canRetry(status) {
  return status === 'dead' || status === 'failed' || status === 'cancelled'
}
export function canCancel(status) {
  return status === 'pending' || status === 'failed'
}

// The Element Plus tag type of an outbox status.
export function outboxTagType(status) {
  return (
    { pending: 'primary', sending: 'warning', sent: 'success', failed: 'warning', dead: 'danger', cancelled: 'info' }[
      status
    ] ?? 'info'
  )
}

// countsTotal({pending: 2, sent: 5}) → 7.
export function countsTotal(counts = {}) {
  return Object.values(counts ?? {}).reduce((n, v) => n + (Number.isFinite(Number(v)) ? Number(v) : 0), 0)
}

// insertText('Hi !', 3, 3, '{{name}}') → {text: 'Hi {{name}}!', caret: 11}: `insert` replaces the
// selection [start, end) (clamped to the text); caret is where the cursor goes after it.
export function insertText(text, start, end, insert) {
  const s = String(text ?? '')
  const len = s.length
  const a = Number.isInteger(start) ? Math.min(Math.max(start, 0), len) : len
  const b = Number.isInteger(end) ? Math.min(Math.max(end, a), len) : a
  return { text: s.slice(0, a) + insert + s.slice(b), caret: a + insert.length }
}

// placeholder('member_name') → '{{member_name}}'.
export function placeholder(name) {
  return `{{${name}}}`
}
