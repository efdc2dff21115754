import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Schemas, isPrimitiveType } from '../../../src/data/index.ts'

void describe('Schemas', () => {
  void it('predefines a required and an optional schema for every primitive type', () => {
    const types = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING', 'BYTES'] as const
    const expected = { INT8: 'int8', INT16: 'int16', INT32: 'int32', INT64: 'int64', FLOAT32: 'float32', FLOAT64: 'float64', BOOLEAN: 'boolean', STRING: 'string', BYTES: 'bytes' }
    for (const t of types) {
      assert.deepEqual(Schemas[`${t}_SCHEMA`], { type: expected[t], optional: false })
      assert.deepEqual(Schemas[`OPTIONAL_${t}_SCHEMA`], { type: expected[t], optional: true })
    }
  })

  void it('keeps the predefined schemas immutable', () => {
    assert.ok(Object.isFrozen(Schemas))
    assert.ok(Object.isFrozen(Schemas.STRING_SCHEMA))
  })

  void it('tells primitive types from structured ones', () => {
    assert.equal(isPrimitiveType('int8'), true)
    assert.equal(isPrimitiveType('map'), false)
  })
})
