import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import { connectAsync, type MqttClient } from 'mqtt'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { createSequenceTopic } from '../harness/kafka-records.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { restCall } from '../harness/rest-client.ts'
import { createWorkerProcess, type WorkerProcess } from '../harness/worker.ts'

const RECORDS = 100_000
/** The sink's `mqtt.max.in.flight` default: publishes the broker may have taken whose acknowledgement the worker never saw. */
const IN_FLIGHT_WINDOW = 1_000
/** Everything the sink delivered this long before a kill must be committed by then, whatever offset.flush.interval.ms says. */
const COMMIT_LAG_BOUND_MS = 1_000
/** The sink consumer's session timeout (RecordConsumer's default, `consumer.session.timeout.ms`). */
const SESSION_TIMEOUT_MS = 10_000

describe('an MQTT sink worker stopped mid-stream, 100,000 QoS 1 records, offset.flush.interval.ms at its 60 s default', () => {
  let mosquitto: TestMosquitto
  let kafka: Kafka
  let admin: Admin

  before(async () => {
    mosquitto = await startTestMosquitto()
    kafka = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'sink-crash', logLevel: logLevel.NOTHING })
    admin = kafka.admin()
    await admin.connect()
  })

  after(async () => {
    await admin?.disconnect()
    await mosquitto?.close()
  })

  /** A topic holding `seq=0` … `seq=RECORDS-1`, an observer counting what the sink delivers, and a running sink. */
  const scenario = async (name: string) => {
    const topic = await createSequenceTopic('sink-crash', RECORDS, 5_000)

    const observer: MqttClient = await connectAsync(mosquitto.url, { clientId: `observer-${name}`, clean: true })
    const stream = {
      deliveries: new Uint32Array(RECORDS),
      distinct: 0,
      received: 0,
      /** [time, distinct records delivered by then], sampled as deliveries arrive. */
      progress: [] as [number, number][],
    }
    observer.on('message', (_topic, payload) => {
      stream.received++
      const seq = Number(payload.toString().slice('seq='.length))
      if (stream.deliveries[seq]!++ === 0) stream.distinct++
      if ((stream.received & 127) === 0) stream.progress.push([Date.now(), stream.distinct])
    })
    await observer.subscribeAsync(`crash/${name}`, { qos: 1 })
    const committed = async (): Promise<number> => {
      const [offsets] = await admin.fetchOffsets({ groupId: `connect-${name}`, topics: [topic] })
      return Math.max(0, Number(offsets?.partitions[0]?.offset ?? -1))
    }
    const worker: WorkerProcess = await createWorkerProcess({ 'offset.flush.interval.ms': '60000' })
    const created = await restCall(worker.url, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'MqttSink', topics: topic, 'mqtt.server.uri': mosquitto.url, 'mqtt.topic': `crash/${name}` },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    /** Starts the stopped worker again; resolves to how long after its REST API answered it published again. */
    const restart = async (): Promise<number> => {
      const receivedBefore = stream.received
      await worker.start()
      const restartedAt = Date.now()
      assert.ok(await waitFor(() => stream.received > receivedBefore, { timeoutMs: 120_000, intervalMs: 10 }), 'the restarted sink publishes')
      return Date.now() - restartedAt
    }
    const close = async (): Promise<void> => {
      await observer.endAsync()
      await worker.stop()
    }
    return { stream, worker, committed, restart, close }
  }

  it('kill -9: loses nothing, repeats only what was not committed, and commits within a second of delivering', async (context) => {
    const { stream, worker, committed, restart, close } = await scenario('killed-sink')
    try {
      assert.ok(await waitFor(() => stream.distinct >= RECORDS * 0.4, { timeoutMs: 60_000, intervalMs: 10 }), `${stream.distinct} delivered`)
      await worker.stop('SIGKILL')
      const killedAt = Date.now()
      const deliveredAtKill = stream.distinct
      const committedAtKill = await committed()
      const deliveredSecondBefore = [...stream.progress].reverse().find(([at]) => at <= killedAt - COMMIT_LAG_BOUND_MS)?.[1] ?? 0
      context.diagnostic(`at the kill: ${deliveredAtKill} delivered, ${committedAtKill} committed, ${deliveredSecondBefore} delivered 1 s earlier`)
      assert.ok(deliveredAtKill < RECORDS, 'the kill landed mid-stream')

      // Bounded by the dead member's consumer session: the group gives its partition away only once that expires.
      context.diagnostic(`the restarted worker published its first message ${await restart()} ms after its REST API answered`)
      assert.ok(await waitFor(() => stream.distinct >= RECORDS, { timeoutMs: 120_000 }), `${stream.distinct} of ${RECORDS} delivered`)
      assert.ok(await waitFor(async () => (await committed()) >= RECORDS, { timeoutMs: 30_000 }), 'everything committed in the end')

      let duplicates = 0
      let firstRepeated = -1
      for (let seq = 0; seq < RECORDS; seq++) {
        const count = stream.deliveries[seq]!
        if (count > 1 && firstRepeated < 0) firstRepeated = seq
        duplicates += Math.max(0, count - 1)
      }
      context.diagnostic(`${duplicates} duplicates after kill -9 (first repeated: seq=${firstRepeated})`)
      assert.ok(firstRepeated < 0 || firstRepeated >= committedAtKill, `seq=${firstRepeated} was committed before the kill and published again`)
      assert.ok(
        duplicates <= deliveredAtKill + IN_FLIGHT_WINDOW - committedAtKill,
        `${duplicates} duplicates, more than what was published but uncommitted at the kill`,
      )
      assert.ok(
        committedAtKill >= deliveredSecondBefore,
        `only ${committedAtKill} committed at the kill though ${deliveredSecondBefore} were delivered ${COMMIT_LAG_BOUND_MS} ms before`,
      )
    } finally {
      await close()
    }
  })

  it('SIGTERM: the stopped worker leaves the group, so its successor publishes without waiting for a session to expire', async (context) => {
    const { stream, worker, restart, close } = await scenario('stopped-sink')
    try {
      assert.ok(await waitFor(() => stream.distinct >= RECORDS * 0.4, { timeoutMs: 60_000, intervalMs: 10 }), `${stream.distinct} delivered`)
      assert.equal(await worker.stop('SIGTERM'), 0)
      const restartWaitMs = await restart()
      context.diagnostic(`the restarted worker published its first message ${restartWaitMs} ms after its REST API answered`)
      assert.ok(restartWaitMs < SESSION_TIMEOUT_MS, `${restartWaitMs} ms: the new member waited for the old one's session (${SESSION_TIMEOUT_MS} ms)`)
      assert.ok(await waitFor(() => stream.distinct >= RECORDS, { timeoutMs: 120_000 }), `${stream.distinct} of ${RECORDS} delivered`)
      assert.equal(stream.received, RECORDS, 'a graceful stop commits what it published: nothing twice')
    } finally {
      await close()
    }
  })
})
