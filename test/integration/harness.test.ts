// Checks the test harness itself: a private Mosquitto that round-trips and survives a restart,
// and a Kafka broker that answers the Kafka protocol. Deliberately uses neither mqtt nor kafkajs.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { connect } from 'node:net'
import { promisify } from 'node:util'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'

const run = promisify(execFile)

void describe('test Mosquitto', () => {
  let broker: TestMosquitto

  before(async () => {
    broker = await startTestMosquitto()
  })

  after(async () => {
    await broker.close()
  })

  // A retained message is delivered to a later subscriber, so publish-then-subscribe has no race.
  const publishRetained = (topic: string, message: string) =>
    run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', '-r', '-t', topic, '-m', message])
  const readOne = async (topic: string): Promise<string> => {
    const { stdout } = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-q', '1', '-t', topic, '-C', '1', '-W', '10'])
    return stdout.trim()
  }

  void it('delivers a published message to a subscriber', async () => {
    const topic = `harness/${process.pid}/round-trip`
    await publishRetained(topic, 'hello')
    assert.equal(await readOne(topic), 'hello')
  })

  void it('keeps its data across stop and start', { skip: process.env.MQTT_URL ? 'MQTT_URL broker is not ours to restart' : false }, async () => {
    const topic = `harness/${process.pid}/persisted`
    await publishRetained(topic, 'still here')
    await broker.restart()
    assert.equal(await readOne(topic), 'still here')
  })
})

/** Sends an ApiVersions v0 request and resolves to the correlation id and error code of the reply. */
function kafkaApiVersions(host: string, port: number, correlationId: number): Promise<{ correlationId: number; errorCode: number }> {
  const clientId = Buffer.from('harness-test')
  const body = Buffer.alloc(10 + clientId.length)
  body.writeInt16BE(18, 0) // ApiVersions
  body.writeInt16BE(0, 2) // version 0
  body.writeInt32BE(correlationId, 4)
  body.writeInt16BE(clientId.length, 8)
  clientId.copy(body, 10)
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)

  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.write(Buffer.concat([size, body])))
    let received = Buffer.alloc(0)
    socket.setTimeout(10_000, () => socket.destroy(new Error('no ApiVersions reply within 10 s')))
    socket.on('error', reject)
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      if (received.length >= 10) {
        socket.destroy()
        resolve({ correlationId: received.readInt32BE(4), errorCode: received.readInt16BE(8) })
      }
    })
  })
}

void describe('test Kafka', () => {
  void it('answers the Kafka protocol at KAFKA_BOOTSTRAP_SERVERS', async () => {
    const [first] = kafkaBootstrapServers().split(',')
    const match = /^(?:[A-Z_]+:\/\/)?(.+):(\d+)$/.exec(first?.trim() ?? '')
    assert.ok(match?.[1] !== undefined && match[2] !== undefined, `cannot parse bootstrap server "${first}"`)
    const reply = await kafkaApiVersions(match[1], Number(match[2]), 4242)
    assert.deepEqual(reply, { correlationId: 4242, errorCode: 0 })
  })
})
