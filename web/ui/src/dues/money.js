// Money as people type it (元, a decimal string) and as the API keeps it (integer 分). The
// string is read digit by digit — never through a float — so "0.1" is exactly 10 分 and
// "19.99" exactly 1999. Pure functions, unit-tested with node --test (money.test.js).

// The largest amount any dues field may hold (services/dues/dues_rules.hpp kMaxAmountFen):
// 100,000,000.00 元.
export const MAX_FEN = 10_000_000_000

// yuanToFen('12000') → 1200000; '10.05' → 1005; '0.1' → 10; '¥1,234.5' → 123450.
// null for anything else: more than two decimals ('1.234'), a sign ('-1', '+1'), letters,
// empty, or more than MAX_FEN. Grouping commas (ASCII or full-width) and a leading ¥ are allowed;
// full-width digits and point (１２．５) are read as ASCII.
export function yuanToFen(text, { max = MAX_FEN } = {}) {
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) return null
    text = String(text)
  }
  if (typeof text !== 'string') return null
  const s = text
    .trim()
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/．/g, '.')
    .replace(/^[¥￥]\s*/, '')
    .replace(/[,，]/g, '')
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return null
  const whole = m[1].replace(/^0+(?=\d)/, '')
  if (whole.length > 15) return null
  const fen = Number(whole) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  if (!Number.isSafeInteger(fen) || fen > max) return null
  return fen
}

// fenToYuanInput(1200000) → '12000.00': what a money input starts with (no grouping, no ¥).
// Exact (string arithmetic); a non-integer → ''.
export function fenToYuanInput(fen) {
  if (!Number.isSafeInteger(fen)) return ''
  const negative = fen < 0
  const digits = String(Math.abs(fen)).padStart(3, '0')
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`
}

// percentText(0.8734) → '87.3%' (one decimal); not a number → '—'.
export function percentText(ratio) {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return '—'
  return `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`
}

// A random RFC 4122 version-4 UUID: the Idempotency-Key of one payment. crypto.randomUUID()
// exists only in secure contexts (https, localhost); getRandomValues everywhere.
export function randomUuid(cryptoImpl = globalThis.crypto) {
  if (typeof cryptoImpl?.randomUUID === 'function') return cryptoImpl.randomUUID()
  const b = new Uint8Array(16)
  if (typeof cryptoImpl?.getRandomValues === 'function') cryptoImpl.getRandomValues(b)
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
