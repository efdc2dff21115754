import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry'
import { waitFor } from '../../scripts/infra/wait.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { publishPayloads } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { startTestSchemaRegistry, type TestSchemaRegistry } from '../harness/schema-registry.ts'
import { createWorkerProcess, type WorkerProcess } from '../harness/worker.ts'

interface Status {
  tasks: { state: string; trace?: string }[]
}

describe('MQTT JSON payloads → MQTT source → Avro with a real schema registry → Kafka', () => {
  let mosquitto: TestMosquitto
  let registry: TestSchemaRegistry
  let worker: WorkerProcess
  const topic = `avro-sensors-${Date.now()}`
  const taskOf = async () => (await restCall<Status>(worker.url, 'GET', '/connectors/sensors-avro/status')).body.tasks[0]

  before(async () => {
    ;[mosquitto, registry] = await Promise.all([startTestMosquitto(), startTestSchemaRegistry()])
    worker = await createWorkerProcess()
  })

  after(async () => {
    await worker?.stop()
    await registry?.stop()
    await mosquitto?.close()
  })

  it('writes Confluent wire format that @kafkajs/confluent-schema-registry decodes to the original reading', async () => {
    const created = await restCall(worker.url, 'POST', '/connectors', {
      name: 'sensors-avro',
      config: {
        'connector.class': 'MqttSource',
        'mqtt.server.uri': mosquitto.url,
        'mqtt.topics': 'avro/#',
        'kafka.topic': topic,
        transforms: 'parse',
        'transforms.parse.type': 'ParseJson$Value',
        'transforms.parse.schema.inference': 'true',
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
        'value.converter.schema.registry.url': registry.url,
      },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(async () => (await taskOf())?.state === 'RUNNING', { timeoutMs: 20_000 }))

    await publishPayloads(mosquitto.url, [['avro/t1', '{"device":"t1","temperature":21.5,"readings":3}']])
    const [record] = await readTopic(topic, (records) => records.length >= 1)
    assert.ok(record?.value)
    assert.equal(record.value[0], 0, 'magic byte of the Confluent wire format')
    assert.equal(record.key, 'avro/t1')
    const decoded = (await new SchemaRegistry({ host: registry.url }).decode(record.value)) as Record<string, unknown>
    assert.deepEqual({ ...decoded }, { device: 't1', temperature: 21.5, readings: 3 })
  })

  it('fails the task with a trace naming the subject when a payload changes a field type incompatibly', async () => {
    const subject = `${topic}-value`
    const response = await fetch(`${registry.url}/config/${subject}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    })
    assert.ok(response.ok, `setting BACKWARD compatibility: ${response.status}`)

    await publishPayloads(mosquitto.url, [['avro/t1', '{"device":"t1","temperature":"hot","readings":3}']])
    assert.ok(await waitFor(async () => (await taskOf())?.state === 'FAILED', { timeoutMs: 30_000 }))
    const trace = (await taskOf())?.trace ?? ''
    assert.match(trace, /VALUE_CONVERTER failed in io\.confluent\.connect\.avro\.AvroConverter/)
    assert.match(trace, /incompatible/)
    assert.ok(trace.includes(subject), `the trace names the subject ${subject}`)
  })
})
