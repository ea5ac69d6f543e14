import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mapFields, useServerErrors } from './useServerErrors.js'

test('mapFields renames server fields to form fields and keeps the rest', () => {
  assert.deepEqual(mapFields({ fee_fen: 'bad', venue: 'empty' }, { fee_fen: 'fee' }), {
    fee: 'bad',
    venue: 'empty',
  })
  assert.deepEqual(mapFields(undefined), {})
})

test('apply shows field errors and reports whether there were any', () => {
  const { errors, apply, clear } = useServerErrors()
  assert.equal(apply({ fields: { name: '已被使用' } }), true)
  assert.equal(errors.name, '已被使用')
  clear('name')
  assert.equal(errors.name, undefined)
  assert.equal(apply(new Error('boom')), false)
})
