import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { sleep, waitFor } from '../../scripts/infra/wait.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { publishSequence, sequenceOf } from '../harness/mqtt-publisher.ts'
import { startPrivateKafka, type PrivateKafka } from '../harness/private-kafka.ts'
import { restCall } from '../harness/rest-client.ts'
import { createWorkerProcess, type WorkerProcess } from '../harness/worker.ts'

const MESSAGES = 30_000
const OUTAGE_MS = 30_000
/** How soon after Kafka answers again records must flow again, and the longest they may then pause until all are in. */
const RESUME_BOUND_MS = 5_000

interface Status {
  tasks: { state: string }[]
}

describe('a 30 s Kafka outage during an MQTT source stream', () => {
  let kafka: PrivateKafka
  let mosquitto: TestMosquitto
  let worker: WorkerProcess

  before(async () => {
    // A broker of this file's own: the one the rest of the run shares must never go down.
    kafka = await startPrivateKafka()
    mosquitto = await startTestMosquitto()
    worker = await createWorkerProcess({ 'bootstrap.servers': kafka.bootstrapServers })
  })

  after(async () => {
    await worker?.stop()
    await mosquitto?.close()
    await kafka?.close()
  })

  /** A client that fails fast while the broker is down, so that each probe says "answers" or "not yet" promptly. */
  const probeClient = () =>
    new Kafka({
      brokers: [kafka.bootstrapServers],
      clientId: `outage-probe-${randomUUID().slice(0, 8)}`,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 500,
      requestTimeout: 1_000,
      retry: { retries: 0 },
    })

  const recordsIn = async (topic: string): Promise<number | null> => {
    const admin = probeClient().admin()
    try {
      await admin.connect()
      return (await admin.fetchTopicOffsets(topic)).reduce((sum, { high }) => sum + Number(high), 0)
    } catch {
      return null
    } finally {
      await admin.disconnect().catch(() => {})
    }
  }

  const metadataAnswers = async (topic: string): Promise<boolean> => {
    const admin = probeClient().admin()
    try {
      await admin.connect()
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
      return topics[0]?.partitions.every(({ leader }) => leader >= 0) ?? false
    } catch {
      return false
    } finally {
      await admin.disconnect().catch(() => {})
    }
  }

  const readSequences = async (topic: string): Promise<Map<number, number>> => {
    const client = new Kafka({ brokers: [kafka.bootstrapServers], clientId: 'outage-reader', logLevel: logLevel.NOTHING })
    const consumer = client.consumer({ groupId: `outage-reader-${randomUUID()}` })
    const counts = new Map<number, number>()
    await consumer.connect()
    try {
      await consumer.subscribe({ topic, fromBeginning: true })
      let total = 0
      const end = (await recordsIn(topic)) ?? 0
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 60_000)
        void consumer.run({
          eachBatch: async ({ batch }) => {
            for (const { value } of batch.messages) counts.set(sequenceOf(value), (counts.get(sequenceOf(value)) ?? 0) + 1)
            total += batch.messages.length
            if (total >= end) {
              clearTimeout(timer)
              resolve()
            }
          },
        })
      })
    } finally {
      await consumer.disconnect()
    }
    return counts
  }

  it('loses nothing, and records flow again within 5 s of Kafka answering', async (context) => {
    const name = 'outlasting-source'
    const topic = `kafka-outage-${Date.now()}`
    const created = await restCall(worker.url, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'MqttSource', 'mqtt.server.uri': mosquitto.url, 'mqtt.topics': `${name}/#`, 'kafka.topic': topic },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    const taskState = async () => (await restCall<Status>(worker.url, 'GET', `/connectors/${name}/status`)).body.tasks[0]?.state
    assert.ok(await waitFor(async () => (await taskState()) === 'RUNNING', { timeoutMs: 20_000 }))

    // About 1,000 messages a second for 30 s: the stream goes on through the outage.
    const publishing = publishSequence(mosquitto.url, (n) => `${name}/${n % 5}`, { count: MESSAGES, afterWindow: () => sleep(500) })
    assert.ok(await waitFor(async () => ((await recordsIn(topic)) ?? 0) >= 3_000, { timeoutMs: 60_000 }), 'records reach Kafka')
    await kafka.stop()
    const stoppedAt = Date.now()
    // During the outage the task stays RUNNING, as in Kafka Connect, and /health says what it cannot reach.
    const degradedOnKafka = async (): Promise<boolean> => {
      const { status, body } = await restCall<{ status: string; degraded?: { connector: string; area: string }[] }>(worker.url, 'GET', '/health')
      return status === 200 && body.status === 'degraded' && (body.degraded ?? []).some(({ connector, area }) => connector === name && area === 'kafka')
    }
    assert.ok(await waitFor(degradedOnKafka, { timeoutMs: OUTAGE_MS - 2_000, intervalMs: 250 }), 'the outage is visible on /health while it lasts')
    assert.equal(await taskState(), 'RUNNING')
    // The rest of the outage's length, not a synchronisation: nothing is awaited here.
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)))
    await kafka.start()

    assert.ok(await waitFor(() => metadataAnswers(topic), { timeoutMs: 60_000, intervalMs: 50 }), 'Kafka answers metadata requests again')
    const answeredAt = Date.now()
    const recordsWhenAnswering = (await recordsIn(topic)) ?? 0
    // Not only the first record: a runner that sent the batch it held and then waited on something else (the offsets
    // topic) for half a minute was the bug here. So every pause in the flow counts, until every message is in.
    let records = recordsWhenAnswering
    let lastGrewAt = answeredAt
    let firstRecordAfterMs: number | null = null
    let longestPauseMs = 0
    const allIn = await waitFor(
      async () => {
        const now = (await recordsIn(topic)) ?? records
        const at = Date.now()
        if (now > records) {
          firstRecordAfterMs ??= at - answeredAt
          records = now
          lastGrewAt = at
        }
        longestPauseMs = Math.max(longestPauseMs, at - lastGrewAt)
        return records >= MESSAGES
      },
      { timeoutMs: 120_000, intervalMs: 50 },
    )
    context.diagnostic(
      `Kafka down ${answeredAt - stoppedAt} ms; after it answered, the first record came ${firstRecordAfterMs} ms later; ` +
        `records then paused for at most ${longestPauseMs} ms (including the wait for the first)`,
    )
    assert.ok(allIn, `every message reaches Kafka: ${records} of ${MESSAGES}: ${worker.log().slice(-3000)}`)
    assert.ok(firstRecordAfterMs !== null && firstRecordAfterMs <= RESUME_BOUND_MS, `the first record came ${firstRecordAfterMs} ms after Kafka answered`)
    assert.ok(longestPauseMs <= RESUME_BOUND_MS, `records paused for ${longestPauseMs} ms after Kafka answered, more than ${RESUME_BOUND_MS} ms`)
    await publishing
    const counts = await readSequences(topic)
    const missing = Array.from({ length: MESSAGES }, (_, n) => n).filter((n) => !counts.has(n))
    assert.deepEqual(missing, [], 'no sequence number is missing')
    context.diagnostic(`${[...counts.values()].reduce((sum, count) => sum + count - 1, 0)} duplicates after the outage`)
    assert.equal(await taskState(), 'RUNNING', 'the task rode out the outage')
    assert.ok(await waitFor(async () => !(await degradedOnKafka()), { timeoutMs: 10_000 }), 'and /health no longer lists it once Kafka took its batches')
  })
})
