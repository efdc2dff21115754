// The Avro converter against a real Confluent-compatible schema registry (Apicurio Registry, started by the harness
// unless SCHEMA_REGISTRY_URL is set) and the test run's real Kafka broker.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry'
import { Kafka, logLevel } from 'kafkajs'
import type { KafkaMessage } from 'kafkajs'
import { createAvroConverter } from '../../src/converters/avro-converter.ts'
import { findConverterPlugin } from '../../src/converters/index.ts'
import { Decimal, SchemaBuilder, Schemas, Struct, Timestamp, decimalValue, schemasEqual, valuesEqual } from '../../src/data/index.ts'
import type { Schema } from '../../src/data/index.ts'
import { ConfigError, DataError, RetriableError } from '../../src/plugin/errors.ts'
import { findFreePort } from '../../scripts/infra/ports.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { startTestSchemaRegistry } from '../harness/schema-registry.ts'
import type { TestSchemaRegistry } from '../harness/schema-registry.ts'

const location = SchemaBuilder.struct().withName('iot.Location').field('lat', Schemas.FLOAT64_SCHEMA).field('lon', Schemas.FLOAT64_SCHEMA).build()

/** A sensor reading with a bit of everything Avro has to carry. */
const readingSchema = (version?: number): Schema => {
  const builder = SchemaBuilder.struct()
    .withName('iot.Reading')
    .field('sensor', Schemas.STRING_SCHEMA)
    .field('temperature', Schemas.FLOAT64_SCHEMA)
    .field('count', Schemas.INT64_SCHEMA)
    .field('channel', Schemas.INT16_SCHEMA)
    .field('note', Schemas.OPTIONAL_STRING_SCHEMA)
    .field('raw', Schemas.BYTES_SCHEMA)
    .field('price', Decimal.schema(2))
    .field('at', Timestamp.SCHEMA)
    .field('location', location)
    .field('tags', SchemaBuilder.array(Schemas.STRING_SCHEMA).build())
    .field('levels', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT32_SCHEMA).build())
  if (version !== undefined) builder.version(version)
  return builder.build()
}

const AT = new globalThis.Date(Date.UTC(2024, 5, 1, 12, 0, 0, 250))

const reading = (schema: Schema): Struct =>
  new Struct(schema)
    .put('sensor', 'sensor-1')
    .put('temperature', 21.5)
    // Beyond int32, within what @kafkajs/confluent-schema-registry (JS numbers for longs) reads without refusing.
    .put('count', 1234567890123n)
    .put('channel', 7)
    .put('raw', new Uint8Array([0, 1, 255]))
    .put('price', decimalValue(1999n, 2))
    .put('at', AT)
    .put('location', new Struct(location).put('lat', 52.5).put('lon', 13.4))
    .put('tags', ['a', 'b'])
    .put('levels', new Map([['low', 1], ['high', 9]]))

/** Avro-decoded data as plain objects, so records (avsc class instances) compare with object literals. */
const plain = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value
  if (Array.isArray(value)) return value.map(plain)
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, plain(member)]))
}

const produce = async (topic: string, messages: readonly { key: Buffer | null; value: Buffer | null }[]): Promise<void> => {
  const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'avro-test', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  const producer = kafka.producer()
  await admin.connect()
  await producer.connect()
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true })
    await producer.send({ topic, acks: -1, messages: messages.map((message) => ({ key: message.key, value: message.value })) })
  } finally {
    await producer.disconnect()
    await admin.disconnect()
  }
}

/** The topic's first `count` messages, read from the beginning with a real consumer. */
const consume = async (topic: string, count: number): Promise<KafkaMessage[]> => {
  const kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'avro-test-reader', logLevel: logLevel.NOTHING })
  const consumer = kafka.consumer({ groupId: `avro-test-${randomUUID()}` })
  const messages: KafkaMessage[] = []
  await consumer.connect()
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${count} messages arrived on ${topic}`)), 60_000)
      consumer
        .run({
          eachMessage: async ({ message }) => {
            messages.push(message)
            if (messages.length >= count) {
              clearTimeout(timer)
              resolve()
            }
          },
        })
        .catch(reject)
    })
  } finally {
    await consumer.disconnect()
  }
  return messages
}

const registryJson = async (url: string, init?: RequestInit): Promise<unknown> => {
  const response = await fetch(url, {
    ...init,
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json', ...(init?.headers as Record<string, string> | undefined) },
  })
  assert.ok(response.ok, `${init?.method ?? 'GET'} ${url} answered ${response.status}: ${await response.clone().text()}`)
  return response.json()
}

const idOf = (bytes: Uint8Array | null): number => {
  assert.ok(bytes !== null)
  return Buffer.from(bytes).readInt32BE(1)
}

void describe('AvroConverter with a real schema registry and Kafka', () => {
  let registry: TestSchemaRegistry

  before(async () => {
    registry = await startTestSchemaRegistry()
  })

  after(async () => {
    await registry?.stop()
  })

  const converter = (isKey: boolean, options: Record<string, string> = {}) =>
    createAvroConverter({ 'schema.registry.url': registry.url, ...options }, isKey)

  void it('writes Confluent wire format through Kafka that @kafkajs/confluent-schema-registry decodes, and reads it back', async () => {
    const topic = `avro-${randomUUID()}`
    const schema = readingSchema()
    const value = reading(schema)
    const keyConverter = converter(true)
    const valueConverter = converter(false)
    const key = await keyConverter.fromConnectData(topic, Schemas.STRING_SCHEMA, 'sensor-1')
    const bytes = await valueConverter.fromConnectData(topic, schema, value)
    assert.ok(key !== null && bytes !== null)
    await produce(topic, [{ key: Buffer.from(key), value: Buffer.from(bytes) }])

    const [message] = await consume(topic, 1)
    assert.ok(message?.value != null && message.key != null)
    assert.equal(message.value[0], 0, 'magic byte')
    const latest = (await registryJson(`${registry.url}/subjects/${topic}-value/versions/latest`)) as { id: number; schema: string }
    assert.equal(message.value.readInt32BE(1), latest.id, 'the registry id of the subject <topic>-value')
    assert.equal((JSON.parse(latest.schema) as { 'connect.name': string })['connect.name'], 'iot.Reading')

    const library = new SchemaRegistry({ host: registry.url })
    assert.equal(await library.decode(message.key), 'sensor-1')
    assert.deepEqual(plain(await library.decode(message.value)), {
      sensor: 'sensor-1',
      temperature: 21.5,
      count: 1234567890123,
      channel: 7,
      note: null,
      raw: Buffer.from([0, 1, 255]),
      price: Buffer.from([0x07, 0xcf]),
      at: AT.getTime(),
      location: { lat: 52.5, lon: 13.4 },
      tags: ['a', 'b'],
      levels: { low: 1, high: 9 },
    })

    const keyBack = await keyConverter.toConnectData(topic, message.key)
    assert.equal(keyBack.value, 'sensor-1')
    assert.ok(schemasEqual(keyBack.schema, SchemaBuilder.string().version(1).build()), 'the key schema comes back with its registry version')

    const back = await valueConverter.toConnectData(topic, message.value)
    assert.ok(schemasEqual(back.schema, readingSchema(1)), 'the value schema comes back as written, with the registry version 1')
    const struct = back.value as Struct
    for (const field of schema.fields ?? []) {
      assert.ok(valuesEqual(struct.get(field.name), value.get(field.name)), `field ${field.name}: ${String(struct.get(field.name))}`)
    }
    assert.equal(struct.getInt64('count'), 1234567890123n)
  })

  void it('registers a schema once and converts later records of it without asking the registry', async () => {
    const topic = `avro-${randomUUID()}`
    const schema = readingSchema()
    const valueConverter = converter(false)
    const first = await valueConverter.fromConnectData(topic, schema, reading(schema))
    const second = valueConverter.fromConnectData(topic, schema, reading(schema))
    assert.ok(second instanceof Uint8Array, 'a cached schema converts synchronously')
    assert.equal(idOf(second), idOf(first))
    const versions = (await registryJson(`${registry.url}/subjects/${topic}-value/versions`)) as number[]
    assert.deepEqual(versions, [1])
  })

  void it('gives null for a tombstone both ways, without a registry', async () => {
    const offline = createAvroConverter({ 'schema.registry.url': 'http://127.0.0.1:9' }, false)
    assert.equal(await offline.fromConnectData('t', readingSchema(), null), null)
    assert.deepEqual(await offline.toConnectData('t', null), { schema: null, value: null })
  })

  void it('with auto.register.schemas=false, refuses an unregistered schema naming the subject, and uses a registered one', async () => {
    const topic = `avro-${randomUUID()}`
    const schema = readingSchema()
    const lookupOnly = converter(false, { 'auto.register.schemas': 'false' })
    await assert.rejects(
      async () => lookupOnly.fromConnectData(topic, schema, reading(schema)),
      (error: unknown) => {
        assert.ok(error instanceof DataError && !(error instanceof RetriableError), String(error))
        assert.match(error.message, new RegExp(`Failed to serialize Avro data from topic ${topic}: Schema not found in subject "${topic}-value", and auto.register.schemas is false`))
        return true
      },
    )
    const registered = await converter(false).fromConnectData(topic, schema, reading(schema))
    const found = await lookupOnly.fromConnectData(topic, schema, reading(schema))
    assert.equal(idOf(found), idOf(registered))
  })

  void it('under BACKWARD compatibility, refuses an incompatible new schema with an error naming the subject', async () => {
    const topic = `avro-${randomUUID()}`
    const subject = `${topic}-value`
    await registryJson(`${registry.url}/config/${subject}`, { method: 'PUT', body: JSON.stringify({ compatibility: 'BACKWARD' }) })
    const v1 = SchemaBuilder.struct().withName('iot.Device').field('id', Schemas.STRING_SCHEMA).build()
    const valueConverter = converter(false)
    await valueConverter.fromConnectData(topic, v1, new Struct(v1).put('id', 'd1'))

    // A new required field without a default: readers of v2 could not read v1 data.
    const v2 = SchemaBuilder.struct().withName('iot.Device').field('id', Schemas.STRING_SCHEMA).field('firmware', Schemas.STRING_SCHEMA).build()
    await assert.rejects(
      async () => valueConverter.fromConnectData(topic, v2, new Struct(v2).put('id', 'd1').put('firmware', '1.0')),
      (error: unknown) => {
        assert.ok(error instanceof DataError && !(error instanceof RetriableError), String(error))
        assert.match(error.message, /incompatible/)
        assert.ok(error.message.includes(`subject "${subject}"`), error.message)
        return true
      },
    )
    // A changed type is refused too; an added optional field is not.
    const v2Changed = SchemaBuilder.struct().withName('iot.Device').field('id', Schemas.INT32_SCHEMA).build()
    await assert.rejects(async () => valueConverter.fromConnectData(topic, v2Changed, new Struct(v2Changed).put('id', 1)), /incompatible/)
    const v2Compatible = SchemaBuilder.struct().withName('iot.Device').field('id', Schemas.STRING_SCHEMA).field('firmware', Schemas.OPTIONAL_STRING_SCHEMA).build()
    const bytes = await valueConverter.fromConnectData(topic, v2Compatible, new Struct(v2Compatible).put('id', 'd1'))
    assert.deepEqual(await registryJson(`${registry.url}/subjects/${subject}/versions`), [1, 2])
    assert.equal(idOf(bytes), ((await registryJson(`${registry.url}/subjects/${subject}/versions/2`)) as { id: number }).id)
  })

  void it('with use.latest.version=true, writes with the subject\'s latest schema', async () => {
    const topic = `avro-${randomUUID()}`
    const v1 = SchemaBuilder.struct().withName('iot.Device').field('id', Schemas.STRING_SCHEMA).build()
    const v2 = SchemaBuilder.struct().withName('iot.Device').field('id', Schemas.STRING_SCHEMA).field('firmware', Schemas.OPTIONAL_STRING_SCHEMA).build()
    await converter(false).fromConnectData(topic, v1, new Struct(v1).put('id', 'old'))
    const v2Bytes = await converter(false).fromConnectData(topic, v2, new Struct(v2).put('id', 'new'))

    const latestWriter = converter(false, { 'auto.register.schemas': 'false', 'use.latest.version': 'true' })
    const bytes = await latestWriter.fromConnectData(topic, v1, new Struct(v1).put('id', 'd1'))
    assert.equal(idOf(bytes), idOf(v2Bytes))
    assert.ok(bytes !== null)
    assert.deepEqual(plain(await new SchemaRegistry({ host: registry.url }).decode(Buffer.from(bytes))), { id: 'd1', firmware: null })
  })

  void it('writes and reads values without a schema as Confluent\'s Anything record', async () => {
    const topic = `avro-${randomUUID()}`
    const valueConverter = converter(false)
    const value = new Map<unknown, unknown>([
      ['reading', 21.5],
      ['tags', ['a', 'b']],
    ])
    const bytes = await valueConverter.fromConnectData(topic, null, value)
    const back = await valueConverter.toConnectData(topic, bytes)
    assert.equal(back.schema, null)
    assert.ok(valuesEqual(back.value, value))
  })

  void it('refuses bytes without the magic byte, and an unknown schema id, with a DataError', async () => {
    const valueConverter = converter(false)
    await assert.rejects(async () => valueConverter.toConnectData('t', new Uint8Array([1, 0, 0, 0, 1, 2])), /Unknown magic byte/)
    await assert.rejects(
      async () => valueConverter.toConnectData('t', new Uint8Array([0, 0x7f, 0xff, 0xff, 0xf0, 2])),
      (error: unknown) => error instanceof DataError && /schema id 2147483632/.test(error.message),
    )
  })

  void it('reports an unreachable registry as a RetriableError', async () => {
    const unreachable = createAvroConverter({ 'schema.registry.url': `http://127.0.0.1:${await findFreePort()}` }, false)
    await assert.rejects(
      async () => unreachable.fromConnectData('t', Schemas.STRING_SCHEMA, 'x'),
      (error: unknown) => error instanceof RetriableError && /Schema registry unreachable/.test(error.message),
    )
  })
})

void describe('AvroConverter configuration', () => {
  void it('is registered as io.confluent.connect.avro.AvroConverter, AvroConverter and avro', () => {
    for (const name of ['io.confluent.connect.avro.AvroConverter', 'AvroConverter', 'avro']) {
      assert.equal(findConverterPlugin(name)?.className, 'io.confluent.connect.avro.AvroConverter')
    }
  })

  void it('requires schema.registry.url, with a ConfigError naming it', () => {
    assert.throws(
      () => createAvroConverter({}),
      (error: unknown) => error instanceof ConfigError && error.key === 'schema.registry.url' && /^Missing required configuration "schema.registry.url" which has no default value\./.test(error.message),
    )
    assert.throws(() => createAvroConverter({ 'schema.registry.url': 'localhost:8081' }), (error: unknown) => error instanceof ConfigError && error.key === 'schema.registry.url')
  })

  void it('checks the other options', () => {
    const url = { 'schema.registry.url': 'http://localhost:8081' }
    assert.throws(() => createAvroConverter({ ...url, 'auto.register.schemas': 'maybe' }), (error: unknown) => error instanceof ConfigError && error.key === 'auto.register.schemas')
    assert.throws(
      () => createAvroConverter({ ...url, 'basic.auth.credentials.source': 'USER_INFO' }),
      (error: unknown) => error instanceof ConfigError && error.key === 'basic.auth.user.info',
    )
    assert.throws(
      () => createAvroConverter({ ...url, 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy' }),
      (error: unknown) => error instanceof ConfigError && error.key === 'value.subject.name.strategy',
    )
    assert.ok(createAvroConverter({ ...url, 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'user:secret', 'schemas.cache.size': '10' }))
  })

  // Apicurio runs without authentication here, so a bare HTTP server stands in to see the header and refuse it.
  void it('sends Basic credentials from basic.auth.user.info or from the URL, and reports a refusal naming the subject', async () => {
    const seen: (string | undefined)[] = []
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization)
      response.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error_code":401,"message":"Unauthorized"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const withUserInfo = createAvroConverter({
        'schema.registry.url': `http://127.0.0.1:${port}`,
        'basic.auth.credentials.source': 'USER_INFO',
        'basic.auth.user.info': 'connect:s3cret',
      })
      await assert.rejects(
        async () => withUserInfo.fromConnectData('orders', Schemas.STRING_SCHEMA, 'x'),
        (error: unknown) => error instanceof DataError && !(error instanceof RetriableError) && /Not authorized to register subject "orders-value"/.test(error.message),
      )
      const withUrl = createAvroConverter({ 'schema.registry.url': `http://connect:s3cret@127.0.0.1:${port}` })
      await assert.rejects(async () => withUrl.fromConnectData('orders', Schemas.STRING_SCHEMA, 'x'), DataError)
      const expected = `Basic ${Buffer.from('connect:s3cret').toString('base64')}`
      assert.deepEqual(seen, [expected, expected])
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
