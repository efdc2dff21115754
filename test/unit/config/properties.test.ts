import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseProperties } from '../../../src/config/properties.ts'

describe('parseProperties', () => {
  it('reads key=value and key: value lines, skipping # and ! comments and blank lines', () => {
    assert.deepEqual(parseProperties('# worker\nbootstrap.servers=localhost:9092\n! note\n\ngroup.id: my-group\n'), {
      'bootstrap.servers': 'localhost:9092',
      'group.id': 'my-group',
    })
  })

  it('joins lines ending in a backslash and trims the continuation', () => {
    assert.deepEqual(parseProperties('plugin.path=/a,\\\n    /b\n'), { 'plugin.path': '/a,/b' })
  })

  it('keeps = signs that belong to the value', () => {
    assert.deepEqual(parseProperties('sasl.jaas.config=user="a=b"'), { 'sasl.jaas.config': 'user="a=b"' })
  })
})
