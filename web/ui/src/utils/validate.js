// Client-side checks that mirror the server's (core/validate.cpp), so a form can point at a
// mistake before it is sent. The server checks again and has the last word.

// normaliseMobile(' +86 138-1234-5678 ') → '13812345678'; null when not a mainland mobile number.
export function normaliseMobile(text) {
  let s = String(text ?? '').trim()
  if (s.startsWith('+86')) s = s.slice(3)
  else if (s.startsWith('0086')) s = s.slice(4)
  if (!/^[\d -]*$/.test(s)) return null
  let digits = s.replace(/[ -]/g, '')
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2)
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null
}

export function isValidMobile(text) {
  return normaliseMobile(text) !== null
}

// isValidEmail('a@b.cn') → true: one @, a non-empty local part without spaces, a dotted domain of
// letters, digits and dashes.
export function isValidEmail(text) {
  const s = String(text ?? '').trim()
  if (s.length > 254) return false
  const at = s.indexOf('@')
  if (at <= 0 || at > 64 || s.indexOf('@', at + 1) !== -1) return false
  if (/[\s\x00-\x1f\x7f]/.test(s.slice(0, at))) return false
  const domain = s.slice(at + 1)
  if (!domain.includes('.') || domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) {
    return false
  }
  return /^[A-Za-z0-9.-]+$/.test(domain)
}

// Usernames as the server accepts them: 3–64 characters, lower-case letters, digits, . _ -,
// starting with a letter or digit (upper case is folded).
export function isValidUsername(text) {
  return /^[a-z0-9][a-z0-9._-]{2,63}$/.test(String(text ?? '').trim().toLowerCase())
}

// Length in characters (code points, as the server counts), not UTF-16 units.
export function charLength(text) {
  return [...String(text ?? '')].length
}
