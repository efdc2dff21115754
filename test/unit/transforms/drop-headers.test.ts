import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Schemas } from '../../../src/data/schemas.ts'
import { dropHeaders } from '../../../transforms/drop-headers.ts'
import { applied, assertRejects, configure, sourceRecord } from './records.ts'

const header = (key: string, value: string) => ({ key, schema: Schemas.STRING_SCHEMA, value })

describe('DropHeaders', () => {
  it('is registered under its Kafka class name', () => {
    assert.equal(dropHeaders.className, 'org.apache.kafka.connect.transforms.DropHeaders')
  })

  it('drops every header with a listed key, keeping the others in order', () => {
    const record = sourceRecord({ headers: [header('dropped', 'a'), header('kept', 'b'), header('dropped', 'c'), header('other', 'd')] })
    const result = applied(configure(dropHeaders, { headers: 'dropped, other' }), record)
    assert.deepEqual(result.headers, [header('kept', 'b')])
    assert.equal(record.headers.length, 4, 'the input record is not changed')
  })

  it('keeps headers when none match, and works on records without headers', () => {
    const xform = configure(dropHeaders, { headers: 'missing' })
    assert.deepEqual(applied(xform, sourceRecord({ headers: [header('kept', 'b')] })).headers, [header('kept', 'b')])
    assert.deepEqual(applied(xform, sourceRecord()).headers, [])
  })

  it('requires at least one header name', () => {
    assertRejects(dropHeaders, {}, 'headers', 'Missing required configuration')
    assertRejects(dropHeaders, { headers: '' }, 'headers', 'Empty list')
  })
})
