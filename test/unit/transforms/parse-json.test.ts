import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Struct } from '../../../src/data/struct.ts'
import { parseJsonValue } from '../../../transforms/parse-json.ts'
import { sourceRecord } from './records.ts'

const parser = (schemaInference: boolean) => parseJsonValue.create(parseJsonValue.config.parse({ 'schema.inference': String(schemaInference) }))

describe('ParseJson$Value', () => {
  it('turns a JSON payload into a schemaless value', () => {
    const record = sourceRecord({ value: Buffer.from('{"site":"lyon","temperature":21.5,"tags":["a"]}'), valueSchema: null })
    const parsed = parser(false).apply(record)
    assert.deepEqual(parsed?.value, { site: 'lyon', temperature: 21.5, tags: ['a'] })
    assert.equal(parsed?.valueSchema, null)
  })

  it('infers a struct schema when asked: integers as int64, other numbers as float64, every field optional', () => {
    const parsed = parser(true).apply(sourceRecord({ value: '{"count":3,"ratio":0.5,"name":"x","nested":{"ok":true}}', valueSchema: null }))
    const struct = parsed?.value as Struct
    assert.ok(struct instanceof Struct)
    assert.deepEqual(
      parsed?.valueSchema?.fields?.map(({ name, schema }) => [name, schema.type, schema.optional]),
      [
        ['count', 'int64', true],
        ['ratio', 'float64', true],
        ['name', 'string', true],
        ['nested', 'struct', true],
      ],
    )
    assert.equal(struct.get('count'), 3n)
    assert.equal((struct.get('nested') as Struct).get('ok'), true)
  })

  it('passes a tombstone through', () => {
    const record = sourceRecord({ value: null, valueSchema: null })
    assert.equal(parser(false).apply(record), record)
  })

  it('rejects malformed JSON with a DataError that says so', () => {
    assert.throws(() => parser(false).apply(sourceRecord({ value: Buffer.from('{oops'), valueSchema: null })), {
      name: 'DataError',
      message: /The record value is not valid JSON/,
    })
  })
})

describe('ParseJson$Value schema reuse', () => {
  it('hands out the same schema object for documents of the same shape, and another for a new shape', () => {
    const transform = parser(true)
    const first = transform.apply(sourceRecord({ value: '{"t":1,"site":"a"}', valueSchema: null }))
    const second = transform.apply(sourceRecord({ value: '{"t":2,"site":"b"}', valueSchema: null }))
    const changed = transform.apply(sourceRecord({ value: '{"t":2.5,"site":"b"}', valueSchema: null }))
    assert.equal(first?.valueSchema, second?.valueSchema)
    assert.notEqual(changed?.valueSchema, first?.valueSchema)
    assert.equal(changed?.valueSchema?.fields?.[0]?.schema.type, 'float64')
  })
})
