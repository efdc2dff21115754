import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  asConnectSchema,
  asJsonSchema,
  ConfigError,
  createConverter,
  createPredicate,
  createTransformation,
  SchemaBuilder,
  Schemas,
  Struct,
  type SourceRecord,
} from '../../app/index.ts'

const record = (value: unknown, valueSchema = null as SourceRecord['valueSchema']): SourceRecord => ({
  topic: 'sensors',
  kafkaPartition: null,
  keySchema: null,
  key: null,
  valueSchema,
  value,
  timestamp: null,
  headers: [],
  sourcePartition: {},
  sourceOffset: {},
})

describe('the public programmatic API', () => {
  it('creates a transformation from its Kafka class name or alias and a config map', () => {
    const insert = createTransformation('org.apache.kafka.connect.transforms.InsertField$Value', { 'static.field': 'site', 'static.value': 'lyon' })
    assert.deepEqual(insert.apply(record({ t: 21 }))?.value, { t: 21, site: 'lyon' })
    const byAlias = createTransformation('InsertField$Value', { 'topic.field': 'from' })
    assert.deepEqual(byAlias.apply(record({}))?.value, { from: 'sensors' })
  })

  it('refuses a bad config with a ConfigError naming the key', () => {
    assert.throws(() => createTransformation('Cast$Value', { spec: 'a:nonsense' }), (error: unknown) => error instanceof ConfigError && error.key === 'spec')
    assert.throws(() => createTransformation('NoSuchTransform'), ConfigError)
  })

  it('creates a predicate', () => {
    const matches = createPredicate('TopicNameMatches', { pattern: 'sens.*' })
    assert.equal(matches.test(record(null)), true)
  })

  it('creates a converter, with or without the value.converter. prefix on its options', async () => {
    const plain = createConverter('JsonConverter', { 'schemas.enable': 'false' })
    assert.equal(Buffer.from((await plain.fromConnectData('t', null, { a: 1 }))!).toString(), '{"a":1}')
    const prefixed = createConverter('org.apache.kafka.connect.json.JsonConverter', { 'value.converter.schemas.enable': 'false' })
    assert.equal(Buffer.from((await prefixed.fromConnectData('t', null, { a: 1 }))!).toString(), '{"a":1}')
  })

  it("builds a Connect schema from JsonConverter's envelope schema JSON, and back", () => {
    const schema = SchemaBuilder.struct().withName('Reading').field('t', Schemas.FLOAT64_SCHEMA).field('site', Schemas.OPTIONAL_STRING_SCHEMA).build()
    const json = asJsonSchema(schema)
    assert.deepEqual(json, {
      type: 'struct',
      fields: [
        { type: 'double', optional: false, field: 't' },
        { type: 'string', optional: true, field: 'site' },
      ],
      optional: false,
      name: 'Reading',
    })
    const back = asConnectSchema(json)
    assert.equal(back?.name, 'Reading')
    assert.ok(back)
    assert.equal(new Struct(back).put('t', 21.5).get('t'), 21.5)
  })
})
