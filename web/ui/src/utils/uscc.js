// Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters from an alphabet of
// digits and capital letters without I, O, S, V and Z; the last is a check character over the
// first 17. The server (core/validate.cpp) checks the same; this copy lets a form say so at once.

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

// usccCheckChar('91430100MA4L00001') → 'J'; null unless given 17 characters of the alphabet.
export function usccCheckChar(first17) {
  if (typeof first17 !== 'string' || first17.length !== 17) return null
  let sum = 0
  let weight = 1
  for (const c of first17) {
    const value = USCC_ALPHABET.indexOf(c)
    if (value < 0) return null
    sum += value * weight
    weight = (weight * 3) % 31
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]
}

// normaliseUscc(' 91430100ma4l00001j ') → '91430100MA4L00001J' (trimmed, upper case).
export function normaliseUscc(text) {
  return String(text ?? '').trim().toUpperCase()
}

// usccProblem(text) → null when the code is valid, else why not: 'length' (not 18 characters),
// 'charset' (a character outside the alphabet), 'division' (characters 3–8 are not digits) or
// 'check' (wrong check character). The same order of checks as the server.
export function usccProblem(text) {
  const code = normaliseUscc(text)
  if (code.length !== 18) return 'length'
  for (const c of code) if (!USCC_ALPHABET.includes(c)) return 'charset'
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'division'
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) return 'check'
  return null
}

export function isValidUscc(text) {
  return usccProblem(text) === null
}

// withCheckChar('91430100MA4L00001') → '91430100MA4L00001J': completes 17 characters to a valid code.
export function withCheckChar(first17) {
  const c = usccCheckChar(normaliseUscc(first17))
  if (c === null) throw new RangeError(`not 17 characters of the USCC alphabet: ${first17}`)
  return normaliseUscc(first17) + c
}
