import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { waitFor } from '../../scripts/infra/wait.ts'
import { restCallRetrying, startCluster, type TestCluster } from '../harness/cluster.ts'
import { readTopic, type ConsumedRecord } from '../harness/kafka-records.ts'
import { startMqttClientWatch, type MqttClientWatch } from '../harness/mqtt-client-watch.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { publishSequence, tallySequences } from '../harness/mqtt-publisher.ts'
import type { WorkerProcess } from '../harness/worker.ts'

const MESSAGES = 30_000
/**
 * What a task killed mid-stream may have had in flight: records Kafka acknowledged whose PUBACK never reached the
 * broker, redelivered to the task's next owner. The source's poll batch (4,096) bounds it; see crash-duplicates.
 */
const IN_FLIGHT_WINDOW = 4_096

const tally = (records: readonly ConsumedRecord[]) => tallySequences(records, MESSAGES)

describe('cluster failover under a 30,000-message QoS 1 stream', () => {
  const run = randomUUID().slice(0, 8)
  let mosquitto: TestMosquitto
  let watch: MqttClientWatch
  let cluster: TestCluster

  before(async () => {
    mosquitto = await startTestMosquitto(['max_queued_messages 100000'])
    watch = await startMqttClientWatch(mosquitto.port)
    cluster = await startCluster(3)
  })
  after(async () => {
    await cluster?.stopAll()
    await watch?.close()
    await mosquitto?.close()
  })

  /** A source with one task per worker, sharing one subscription; returns its topic. */
  const createSource = async (name: string): Promise<string> => {
    const topic = `failover-${run}-${name}`
    const created = await restCallRetrying(cluster.workers.at(-1)!.url, 'POST', '/connectors', {
      name,
      config: { 'connector.class': 'MqttSource', 'tasks.max': '3', 'mqtt.server.uri': watch.url, 'mqtt.topics': `${run}/${name}/#`, 'mqtt.qos': '1', 'kafka.topic': topic },
    })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    await cluster.untilRunning(cluster.workers[0]!, [name], () => 3)
    return topic
  }

  /** The worker that runs task 0 of `name`, which is not the first worker (the one the test keeps asking). */
  const victimOf = async (name: string): Promise<WorkerProcess> => {
    const statuses = await cluster.statuses(cluster.workers[0]!)
    const hosts = statuses[name]!.tasks.map(({ worker_id }) => worker_id)
    const victim = cluster.workers.slice(1).find(({ url }) => hosts.includes(new URL(url).host))
    assert.ok(victim, `some task of ${name} runs on a worker other than the first: ${JSON.stringify(hosts)}`)
    return victim
  }

  const streamAndStop = async (name: string, stop: (victim: WorkerProcess) => Promise<unknown>) => {
    const topic = await createSource(name)
    const victim = await victimOf(name)
    const victimHost = new URL(victim.url).host
    const stopping: { done: Promise<unknown> | null; at: number } = { done: null, at: 0 }
    await publishSequence(mosquitto.url, (n) => `${run}/${name}/${n % 10}`, {
      count: MESSAGES,
      qos: 1,
      afterWindow: (published) => {
        if (published >= MESSAGES / 3 && stopping.done === null) {
          stopping.at = performance.now()
          stopping.done = stop(victim)
        }
      },
    })
    await stopping.done
    cluster.workers.splice(cluster.workers.indexOf(victim), 1)
    let owners: string[] = []
    const movedOver = await waitFor(
      async () => {
        const statuses = await cluster.untilRunning(cluster.workers[0]!, [name], () => 3, 60_000)
        owners = statuses[name]!.tasks.map(({ worker_id }) => worker_id)
        return !owners.includes(victimHost)
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    )
    assert.ok(movedOver, `every task runs on a survivor now: ${JSON.stringify(owners)}`)
    const failoverMs = Math.round(performance.now() - stopping.at)
    const records = await readTopic(topic, (all) => tally(all).missing.length === 0, 120_000)
    return { ...tally(records), failoverMs }
  }

  it('kill -9 of a worker: its tasks resume on the others, every record arrives, duplicates within the in-flight window', async (context) => {
    const { missing, duplicates, failoverMs } = await streamAndStop('killed', (victim) => victim.stop('SIGKILL'))
    context.diagnostic(`kill -9: tasks RUNNING on the survivors ${failoverMs} ms after the kill, ${duplicates} duplicates`)
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} sequence numbers missing`)
    assert.ok(duplicates <= IN_FLIGHT_WINDOW, `${duplicates} duplicates, at most ${IN_FLIGHT_WINDOW}`)
    assert.deepEqual([...watch.maxConcurrent()].filter(([, count]) => count > 1), [], 'no MQTT client id connected twice at once')
  })

  // A SIGTERM usually repeats nothing, but in about one run in four some records (6 to 164 seen, 2026-12-02, with
  // either Kafka client) come again after a clean stop of a worker whose task shares a subscription with the others.
  // The cause is not found yet (README, "What a rebalance guarantees"); until it is, this holds the bound that is
  // kept, and the count is reported.
  it('SIGTERM of a worker: its tasks move at once, nothing missing, repeats within the in-flight window', async (context) => {
    const { missing, duplicates, failoverMs } = await streamAndStop('terminated', (victim) => victim.stop('SIGTERM'))
    context.diagnostic(`SIGTERM: tasks RUNNING on the survivors ${failoverMs} ms after the signal, ${duplicates} duplicates`)
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} sequence numbers missing`)
    assert.ok(duplicates <= IN_FLIGHT_WINDOW, `${duplicates} duplicates, at most ${IN_FLIGHT_WINDOW}`)
    assert.deepEqual([...watch.maxConcurrent()].filter(([, count]) => count > 1), [], 'no MQTT client id connected twice at once')
  })
})
