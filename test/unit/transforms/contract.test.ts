import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Timestamp } from '../../../src/data/logical-types.ts'
import type { ConnectRecord } from '../../../src/data/record.ts'
import type { Schema } from '../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Schemas } from '../../../src/data/schemas.ts'
import { Struct } from '../../../src/data/struct.ts'
import { ConnectError } from '../../../src/plugin/errors.ts'
import type { TransformationPlugin } from '../../../src/plugin/transformation.ts'
import { describeTransformationKeys } from '../../../src/config/transforms-config.ts'
import { predicatePlugins, transformationPlugins } from '../../../transforms/index.ts'
import { assertValueEquals, configure, sinkRecord, sourceRecord } from './records.ts'

/** A config each transformation accepts, by the class name without package and variant. */
const SAMPLE_CONFIGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  InsertField: { 'topic.field': 'topic', 'static.field': 'static', 'static.value': 'x' },
  ReplaceField: { exclude: 'b', renames: 'a:alpha' },
  MaskField: { fields: 'a' },
  ValueToKey: { fields: 'a' },
  ExtractField: { field: 'a' },
  HoistField: { field: 'wrapped' },
  Cast: { spec: 'a:string' },
  Flatten: {},
  RegexRouter: { regex: '(.*)', replacement: '$1-routed' },
  TimestampRouter: {},
  TimestampConverter: { field: 'ts', 'target.type': 'unix' },
  SetSchemaMetadata: { 'schema.name': 'renamed' },
  Filter: {},
  InsertHeader: { header: 'h', 'value.literal': 'v' },
  DropHeaders: { headers: 'h' },
  HeaderFrom: { fields: 'a', headers: 'h', operation: 'move' },
  ParseJson: { 'schema.inference': 'true' },
}

/** Transformations of this project's own, not Kafka's. */
const OUR_OWN: ReadonlySet<string> = new Set(['ParseJson'])

const simpleName = (plugin: TransformationPlugin): string => plugin.className.slice(plugin.className.lastIndexOf('.') + 1).replace(/\$(Key|Value)$/, '')

// Built fresh for each use, so a value a transformation mutated can be compared with the original.
const nestedSchema = SchemaBuilder.struct().field('x', Schemas.INT32_SCHEMA).build()
const structSchema = SchemaBuilder.struct()
  .withName('row')
  .field('a', Schemas.INT32_SCHEMA)
  .field('b', Schemas.OPTIONAL_STRING_SCHEMA)
  .field('ts', Timestamp.builder().optional().build())
  .field('n', nestedSchema)
  .build()
const freshStruct = (): Struct =>
  new Struct(structSchema).put('a', 1).put('b', 'two').put('ts', new Date(1000)).put('n', new Struct(nestedSchema).put('x', 3))
const freshMap = () => ({ a: 1, b: 'two', ts: new Date(1000), n: { x: 3 } })
const freshHeaders = () => [{ key: 'h', schema: Schemas.STRING_SCHEMA, value: 'header' }]

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

interface Sample {
  readonly name: string
  readonly record: () => ConnectRecord
}

const samples: readonly Sample[] = [
  { name: 'a schemaless source record', record: () => sourceRecord({ key: freshMap(), value: freshMap(), timestamp: 1000, headers: freshHeaders() }) },
  {
    name: 'a source record with struct key and value',
    record: () => sourceRecord({ keySchema: structSchema, key: freshStruct(), valueSchema: structSchema, value: freshStruct(), timestamp: 1000, headers: freshHeaders() }),
  },
  { name: 'a schemaless sink record', record: () => sinkRecord({ key: freshMap(), value: freshMap(), timestamp: 1000, headers: freshHeaders() }) },
  { name: 'a schemaless tombstone', record: () => sinkRecord({ key: freshMap(), value: null, timestamp: 1000, headers: freshHeaders() }) },
  {
    name: 'a tombstone with a value schema',
    record: () => sinkRecord({ keySchema: structSchema, key: freshStruct(), valueSchema: structSchema, value: null, timestamp: 1000, headers: freshHeaders() }),
  },
]

const assertSameContent = (actual: ConnectRecord, expected: ConnectRecord): void => {
  assert.equal(actual.topic, expected.topic)
  assertValueEquals(actual.key, expected.key, 'the key was changed in place')
  assertValueEquals(actual.value, expected.value, 'the value was changed in place')
  assert.deepEqual(actual.headers, expected.headers, 'the headers were changed in place')
  assert.equal(actual.keySchema, expected.keySchema)
  assert.equal(actual.valueSchema, expected.valueSchema)
}

describe('every transformation plugin', () => {
  it('has a unique class name and unique aliases, across transformations and predicates', () => {
    const names = [...transformationPlugins, ...predicatePlugins].flatMap((plugin) => [plugin.className, ...plugin.aliases])
    assert.equal(new Set(names).size, names.length, `duplicates: ${names.filter((n, i) => names.indexOf(n) !== i).join(', ')}`)
  })

  it('covers every Kafka SMT, with $Key and $Value variants where Kafka has them', () => {
    const classNames = new Set(transformationPlugins.map((p) => p.className.replace('org.apache.kafka.connect.transforms.', '')))
    for (const name of Object.keys(SAMPLE_CONFIGS).filter((own) => !OUR_OWN.has(own))) {
      const plain = ['ValueToKey', 'RegexRouter', 'TimestampRouter', 'Filter', 'InsertHeader', 'DropHeaders'].includes(name)
      if (plain) assert.ok(classNames.has(name), name)
      else assert.ok(classNames.has(`${name}$Key`) && classNames.has(`${name}$Value`), name)
    }
  })

  for (const plugin of [...transformationPlugins, ...predicatePlugins]) {
    it(`${plugin.className} documents every config key and has a version`, () => {
      assert.ok(plugin.version.length > 0)
      const kind = predicatePlugins.includes(plugin as never) ? 'predicates' : 'transforms'
      const keys = describeTransformationKeys({ [kind]: 'x', [`${kind}.x.type`]: plugin.className }, { transformations: transformationPlugins, predicates: predicatePlugins })
      const own = keys.filter(({ key }) => !['type', 'predicate', 'negate'].includes(key.slice(`${kind}.x.`.length)))
      assert.deepEqual(
        own.map(({ key }) => key.slice(`${kind}.x.`.length)),
        Object.keys(plugin.config.shape),
      )
      for (const key of own) assert.ok(key.description.trim().length > 0, `${key.key} has no description`)
    })
  }

  for (const plugin of transformationPlugins) {
    const config = SAMPLE_CONFIGS[simpleName(plugin)]
    describe(plugin.className, () => {
      it('has a sample config here, which it accepts', () => {
        assert.ok(config, `add a sample config for ${simpleName(plugin)}`)
        configure(plugin, config)
      })

      for (const sample of samples) {
        it(`never changes ${sample.name}, fails only with a ConnectError and keeps the record's own fields`, () => {
          const transformation = configure(plugin, config ?? {})
          const input = deepFreeze(sample.record())
          let output: ConnectRecord | null = null
          try {
            output = transformation.apply(input)
          } catch (error) {
            assert.ok(error instanceof ConnectError, `threw ${String(error)}`)
          }
          assertSameContent(input, sample.record())
          if (output === null) return
          for (const field of ['sourcePartition', 'sourceOffset', 'kafkaOffset', 'timestampType'] as const) {
            assert.deepEqual((output as unknown as Record<string, unknown>)[field], (input as unknown as Record<string, unknown>)[field], `${field} lost`)
          }
        })
      }

      it('reuses the schema it derives for the same input schema', () => {
        const transformation = configure(plugin, config ?? {})
        const derived = (): readonly (Schema | null)[] | undefined => {
          try {
            const out = transformation.apply(samples[1]?.record() as ConnectRecord)
            return out === null ? undefined : [out.keySchema, out.valueSchema]
          } catch {
            return undefined
          }
        }
        const first = derived()
        const second = derived()
        if (first === undefined || second === undefined) return
        assert.equal(second[0], first[0])
        assert.equal(second[1], first[1])
      })
    })
  }
})
