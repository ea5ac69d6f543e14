// node --test src/ — the GB 32100-2015 check character, the same as core/validate.cpp.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isValidUscc, normaliseUscc, usccCheckChar, usccProblem, withCheckChar } from './uscc.js'

test('check character of known codes', () => {
  // Codes the server's demo data and tests accept.
  assert.equal(usccCheckChar('91430100MA4L00001'), 'J')
  assert.equal(usccCheckChar('91430700MA4L00034'), 'X')
  assert.equal(usccCheckChar('91430600MA4L00900'), 'C')
  // A sum divisible by 31 gives '0', not the 32nd character.
  assert.equal(usccCheckChar('00000000000000000'), '0')
})

test('every check character lies in the alphabet and completes a valid code', () => {
  for (let i = 0; i < 500; i++) {
    const first17 = `91430100MA4L${String(i).padStart(5, '0')}`
    const code = withCheckChar(first17)
    assert.equal(code.length, 18)
    assert.ok(isValidUscc(code), code)
  }
})

test('problems, in the server order', () => {
  assert.equal(usccProblem('91430100MA4L00001J'), null)
  assert.equal(usccProblem(' 91430100ma4l00001j '), null, 'trimmed and upper-cased')
  assert.equal(usccProblem('91430100MA4L00001'), 'length')
  assert.equal(usccProblem(''), 'length')
  assert.equal(usccProblem('91430100MA4L0000IJ'), 'charset', 'I is not used')
  assert.equal(usccProblem('91430100SA4L00001J'), 'charset', 'S is not used')
  assert.equal(usccProblem('9143A100MA4L00001J'), 'division')
  assert.equal(usccProblem('91430100MA4L00001K'), 'check')
  assert.equal(normaliseUscc(null), '')
})

test('a single changed character is always detected', () => {
  const code = '91430100MA4L00001J'
  for (let i = 0; i < 17; i++) {
    for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
      if (c === code[i]) continue
      const changed = code.slice(0, i) + c + code.slice(i + 1)
      if (i >= 2 && i < 8 && !/\d/.test(c)) continue
      assert.equal(usccProblem(changed), 'check', changed)
    }
  }
})

test('withCheckChar refuses what cannot be completed', () => {
  assert.throws(() => withCheckChar('91430100MA4L0000'), RangeError)
  assert.throws(() => withCheckChar('91430100MA4L0000O'), RangeError)
})
