// node --test src/ — the client's copies of the server's mobile, e-mail and username rules.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { charLength, isValidEmail, isValidUsername, normaliseMobile } from './validate.js'

test('mobile numbers', () => {
  assert.equal(normaliseMobile('13812345678'), '13812345678')
  assert.equal(normaliseMobile(' 138 1234-5678 '), '13812345678')
  assert.equal(normaliseMobile('+86 138 1234 5678'), '13812345678')
  assert.equal(normaliseMobile('0086-13812345678'), '13812345678')
  assert.equal(normaliseMobile('8613812345678'), '13812345678')
  assert.equal(normaliseMobile('1381234567'), null, '10 digits')
  assert.equal(normaliseMobile('12812345678'), null, 'second digit below 3')
  assert.equal(normaliseMobile('23812345678'), null)
  assert.equal(normaliseMobile('138.1234.5678'), null, 'dots are not allowed')
  assert.equal(normaliseMobile(''), null)
})

test('e-mail addresses', () => {
  assert.ok(isValidEmail('rep01@example.cn'))
  assert.ok(isValidEmail(' a.b+c@mail.example.com '))
  assert.ok(!isValidEmail('example.cn'))
  assert.ok(!isValidEmail('a@b'))
  assert.ok(!isValidEmail('a@@b.cn'))
  assert.ok(!isValidEmail('a b@c.cn'))
  assert.ok(!isValidEmail('a@b..cn'))
  assert.ok(!isValidEmail('a@.b.cn'))
  assert.ok(!isValidEmail('a@b_c.cn'))
  assert.ok(!isValidEmail('@b.cn'))
})

test('usernames', () => {
  assert.ok(isValidUsername('changsha'))
  assert.ok(isValidUsername('Zhu.Zhou-2026'), 'upper case is folded')
  assert.ok(!isValidUsername('ab'))
  assert.ok(!isValidUsername('_abc'))
  assert.ok(!isValidUsername('张三丰'))
})

test('length in characters', () => {
  assert.equal(charLength('长沙经开区'), 5)
  assert.equal(charLength('𠀀a'), 2)
  assert.equal(charLength(null), 0)
})
