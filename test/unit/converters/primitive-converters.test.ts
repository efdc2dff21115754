import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { findConverterPlugin, findHeaderConverterPlugin } from '../../../src/converters/index.ts'
import {
  type NumberConverter,
  booleanConverterPlugin,
  doubleConverterPlugin,
  floatConverterPlugin,
  integerConverterPlugin,
  longConverterPlugin,
  shortConverterPlugin,
} from '../../../src/converters/primitive-converters.ts'
import { SchemaBuilder, Schemas } from '../../../src/data/index.ts'
import { builtinPlugins } from '../../../app/builtin-plugins.ts'
import { createRecordConverters } from '../../../src/worker/converters.ts'
import type { Schema } from '../../../src/data/index.ts'
import type { ConverterPlugin } from '../../../src/plugin/converter.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { describeConverterContract } from './converter-contract.ts'
import { configuredConverter } from '../../../src/converters/converter-options.ts'

// Samples and expectations from Kafka's NumberConverterTest subclasses and BooleanConverterTest; the bytes are what
// Kafka's ShortSerializer, IntegerSerializer, ... write (big-endian), spelled out.

const TOPIC = 'topic'
const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'))

interface NumberCase {
  readonly plugin: ConverterPlugin
  readonly schema: Schema
  readonly samples: ReadonlyArray<readonly [value: number | bigint, bytes: string]>
}

const FLOAT_1234_31 = Math.fround(1234.31)

const numberCases: readonly NumberCase[] = [
  { plugin: shortConverterPlugin, schema: Schemas.OPTIONAL_INT16_SCHEMA, samples: [[-32768, '8000'], [123, '007b'], [32767, '7fff']] },
  {
    plugin: integerConverterPlugin,
    schema: Schemas.OPTIONAL_INT32_SCHEMA,
    samples: [[-2147483648, '80000000'], [1234, '000004d2'], [2147483647, '7fffffff']],
  },
  {
    plugin: longConverterPlugin,
    schema: Schemas.OPTIONAL_INT64_SCHEMA,
    samples: [[-9223372036854775808n, '8000000000000000'], [1234n, '00000000000004d2'], [9223372036854775807n, '7fffffffffffffff']],
  },
  {
    plugin: floatConverterPlugin,
    schema: Schemas.OPTIONAL_FLOAT32_SCHEMA,
    samples: [[1.401298464324817e-45, '00000001'], [FLOAT_1234_31, '449a49ec'], [3.4028234663852886e38, '7f7fffff']],
  },
  {
    plugin: doubleConverterPlugin,
    schema: Schemas.OPTIONAL_FLOAT64_SCHEMA,
    samples: [[Number.MIN_VALUE, '0000000000000001'], [1234.31, '4093493d70a3d70a'], [Number.MAX_VALUE, '7fefffffffffffff']],
  },
]

for (const { plugin, schema, samples } of numberCases) {
  describeConverterContract({
    name: plugin.aliases[0] ?? plugin.className,
    plugin,
    roundTrips: samples.map(([value]) => ({ schema, value })),
    nullableSchemas: [null, schema],
    malformed: [new Uint8Array(10), new Uint8Array(0)],
  })
}

describeConverterContract({
  name: 'BooleanConverter',
  plugin: booleanConverterPlugin,
  roundTrips: [
    { schema: Schemas.BOOLEAN_SCHEMA, value: true },
    { schema: null, value: false },
  ],
  nullableSchemas: [null, Schemas.OPTIONAL_BOOLEAN_SCHEMA],
  malformed: [Buffer.from('42'), new Uint8Array([2]), new Uint8Array(0)],
})

/** The plugin's converter, typed as what it is: synchronous, and a header converter too. */
type PrimitiveConverter = Pick<NumberConverter, 'fromConnectData' | 'toConnectData' | 'fromConnectHeader' | 'toConnectHeader'>
const both = (plugin: ConverterPlugin): PrimitiveConverter => configuredConverter(plugin, {}, 'value.converter.', false) as PrimitiveConverter

void describe('number converters (Kafka NumberConverterTest)', () => {
  for (const { plugin, schema, samples } of numberCases) {
    void describe(plugin.className, () => {
      void it('writes each sample in the serializer\'s layout and reads it back with the optional schema, as data and as a header', () => {
        const converter = both(plugin)
        for (const [value, bytes] of samples) {
          assert.deepEqual(new Uint8Array(converter.fromConnectData(TOPIC, schema, value) as Uint8Array), hex(bytes), String(value))
          assert.deepEqual(converter.toConnectData(TOPIC, hex(bytes)), { schema, value })
          assert.deepEqual(new Uint8Array(converter.fromConnectHeader(TOPIC, 'header', schema, value) as Uint8Array), hex(bytes))
          assert.deepEqual(converter.toConnectHeader(TOPIC, 'header', hex(bytes)), { schema, value })
        }
      })

      void it('refuses bytes of the wrong size, as data and as a header', () => {
        const converter = both(plugin)
        assert.throws(() => converter.toConnectData(TOPIC, new Uint8Array(10)), DataError)
        assert.throws(() => converter.toConnectHeader(TOPIC, 'header', new Uint8Array(10)), DataError)
      })

      void it('refuses a value that is not a number, as data and as a header', () => {
        const converter = both(plugin)
        assert.throws(() => converter.fromConnectData(TOPIC, schema, 'not a valid number'), DataError)
        assert.throws(() => converter.fromConnectHeader(TOPIC, 'header', schema, 'not a valid number'), DataError)
      })

      void it('turns null into null bytes and null bytes into a null value with its schema', () => {
        assert.equal(both(plugin).fromConnectData(TOPIC, schema, null), null)
        assert.deepEqual(both(plugin).toConnectData(TOPIC, null), { schema, value: null })
      })
    })
  }

  void it('names the deserializer and the size in its message, as Kafka does', () => {
    assert.throws(() => both(integerConverterPlugin).toConnectData(TOPIC, new Uint8Array(10)), {
      message: 'Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4',
    })
    assert.throws(() => both(doubleConverterPlugin).toConnectData(TOPIC, new Uint8Array(3)), {
      message: 'Failed to deserialize double: Size of data received by Deserializer is not 8',
    })
  })

  void it('refuses integers that do not fit the type, and fractions for integer types', () => {
    assert.throws(() => both(shortConverterPlugin).fromConnectData(TOPIC, null, 40000), { message: 'Failed to serialize to short (40000 is not an integer in [-32768, 32767])' })
    assert.throws(() => both(integerConverterPlugin).fromConnectData(TOPIC, null, 1.5), DataError)
    assert.throws(() => both(longConverterPlugin).fromConnectData(TOPIC, null, 2n ** 63n), DataError)
    assert.throws(() => both(longConverterPlugin).fromConnectData(TOPIC, null, 2 ** 60), DataError)
    assert.throws(() => both(doubleConverterPlugin).fromConnectData(TOPIC, null, 1n), { message: 'Failed to serialize to double (was bigint)' })
  })

  void it('accepts a safe integer number for a long and reads it back as a bigint', () => {
    const converter = both(longConverterPlugin)
    const bytes = converter.fromConnectData(TOPIC, null, 1234)
    assert.deepEqual(new Uint8Array(bytes as Uint8Array), hex('00000000000004d2'))
    assert.equal(converter.toConnectData(TOPIC, bytes).value, 1234n)
  })

  void it('rounds a double to the nearest float32 in FloatConverter', () => {
    const converter = both(floatConverterPlugin)
    assert.equal(converter.toConnectData(TOPIC, converter.fromConnectData(TOPIC, null, 1234.31)).value, FLOAT_1234_31)
  })

  void it('refuses a schema of another type, whose values Kafka\'s cast would refuse', () => {
    assert.throws(() => both(integerConverterPlugin).fromConnectData(TOPIC, Schemas.INT8_SCHEMA, 5), { message: 'Invalid schema type for IntegerConverter: INT8' })
    assert.throws(() => both(doubleConverterPlugin).fromConnectData(TOPIC, Schemas.FLOAT32_SCHEMA, 1.5), DataError)
    assert.doesNotThrow(() => both(integerConverterPlugin).fromConnectData(TOPIC, Schemas.INT32_SCHEMA, 5))
  })
})

void describe('BooleanConverter (Kafka BooleanConverterTest)', () => {
  const converter = both(booleanConverterPlugin)

  void it('writes true as 0x01 and false as 0x00, with or without a schema', () => {
    assert.deepEqual([...(converter.fromConnectData(TOPIC, Schemas.BOOLEAN_SCHEMA, true) ?? [])], [0x01])
    assert.deepEqual([...(converter.fromConnectData(TOPIC, Schemas.BOOLEAN_SCHEMA, false) ?? [])], [0x00])
    assert.deepEqual([...(converter.fromConnectData(TOPIC, null, true) ?? [])], [0x01])
    assert.deepEqual([...(converter.fromConnectData(TOPIC, null, false) ?? [])], [0x00])
  })

  void it('refuses a schema that is not boolean and a value that is not a boolean', () => {
    assert.throws(() => converter.fromConnectData(TOPIC, Schemas.INT32_SCHEMA, false), { message: 'Invalid schema type for BooleanConverter: INT32' })
    assert.throws(() => converter.fromConnectData(TOPIC, Schemas.BOOLEAN_SCHEMA, 'true'), { message: 'BooleanConverter is not compatible with objects of type string' })
  })

  void it('turns null into null bytes', () => {
    assert.equal(converter.fromConnectData(TOPIC, Schemas.BOOLEAN_SCHEMA, null), null)
  })

  void it('reads 0x01 and 0x00 back with the optional boolean schema', () => {
    assert.deepEqual(converter.toConnectData(TOPIC, new Uint8Array([1])), { schema: Schemas.OPTIONAL_BOOLEAN_SCHEMA, value: true })
    assert.deepEqual(converter.toConnectData(TOPIC, new Uint8Array([0])), { schema: Schemas.OPTIONAL_BOOLEAN_SCHEMA, value: false })
    assert.deepEqual(converter.toConnectData(TOPIC, null), { schema: Schemas.OPTIONAL_BOOLEAN_SCHEMA, value: null })
  })

  void it('refuses other bytes with Kafka\'s messages', () => {
    assert.throws(() => converter.toConnectData(TOPIC, Buffer.from('42')), { message: 'Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1' })
    assert.throws(() => converter.toConnectData(TOPIC, new Uint8Array([0xff])), { message: 'Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: -1' })
  })

  void it('hands out bytes that writing into cannot change later records', () => {
    const first = converter.fromConnectData(TOPIC, null, true) as Uint8Array
    first[0] = 0
    assert.deepEqual([...(converter.fromConnectData(TOPIC, null, true) ?? [])], [0x01])
  })
})

void describe('primitive converter registration', () => {
  void it('registers each under Kafka\'s class name, as a converter and as a header converter', () => {
    for (const simpleName of ['BooleanConverter', 'DoubleConverter', 'FloatConverter', 'IntegerConverter', 'LongConverter', 'ShortConverter']) {
      const className = `org.apache.kafka.connect.converters.${simpleName}`
      assert.equal(findConverterPlugin(className)?.className, className)
      assert.equal(findConverterPlugin(simpleName)?.className, className)
      assert.equal(findHeaderConverterPlugin(className)?.className, className)
    }
    assert.equal(findConverterPlugin('long')?.className, 'org.apache.kafka.connect.converters.LongConverter')
  })

  void it('is among the worker\'s built-in plugins, so GET /connector-plugins?connectorsOnly=false lists it', () => {
    for (const plugin of [booleanConverterPlugin, doubleConverterPlugin, floatConverterPlugin, integerConverterPlugin, longConverterPlugin, shortConverterPlugin]) {
      assert.ok(builtinPlugins.converters.some((p) => p.className === plugin.className), plugin.className)
      assert.ok(builtinPlugins.headerConverters.some((p) => p.className === plugin.className), plugin.className)
    }
  })

  void it('serves as key.converter and header.converter of a connector', () => {
    const converters = createRecordConverters(builtinPlugins, {}, {
      'key.converter': 'org.apache.kafka.connect.converters.LongConverter',
      'header.converter': 'org.apache.kafka.connect.converters.IntegerConverter',
    })
    assert.equal(converters.classNames.key, 'org.apache.kafka.connect.converters.LongConverter')
    assert.deepEqual(new Uint8Array(converters.key.fromConnectData(TOPIC, Schemas.INT64_SCHEMA, 7n) as Uint8Array), hex('0000000000000007'))
    assert.deepEqual(converters.key.toConnectData(TOPIC, hex('0000000000000007')), { schema: Schemas.OPTIONAL_INT64_SCHEMA, value: 7n })
    assert.deepEqual(new Uint8Array(converters.header.fromConnectHeader(TOPIC, 'h', null, 1234) as Uint8Array), hex('000004d2'))
  })

  void it('refuses structured values', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32_SCHEMA).build()
    assert.throws(() => both(integerConverterPlugin).fromConnectData(TOPIC, schema, {}), { message: 'Invalid schema type for IntegerConverter: STRUCT' })
    assert.throws(() => both(integerConverterPlugin).fromConnectData(TOPIC, null, [1]), { message: 'Failed to serialize to integer (was Array)' })
  })
})
