import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { waitFor } from '../../scripts/infra/wait.ts'
import { restCallRetrying, startCluster, tasksPerWorker, type ConnectorStatus, type TestCluster } from '../harness/cluster.ts'
import { startMqttClientWatch, type MqttClientWatch } from '../harness/mqtt-client-watch.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { publishSequence, sequenceOf } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'

const SOURCES = 6
const STREAMED = 5_000
const SINKS = 2
const taskCount = (name: string) => (name.startsWith('source') ? 2 : 1)

describe('cluster mode: workers with one group.id share connectors and tasks through Kafka’s group coordinator', () => {
  const run = randomUUID().slice(0, 8)
  let mosquitto: TestMosquitto
  let watch: MqttClientWatch
  let cluster: TestCluster
  const names = [...Array.from({ length: SOURCES }, (_, i) => `source-${i}`), ...Array.from({ length: SINKS }, (_, i) => `sink-${i}`)]
  const configOf = (name: string): Record<string, string> =>
    name.startsWith('source')
      ? {
          'connector.class': 'MqttSource',
          'tasks.max': '2',
          'mqtt.server.uri': watch.url,
          'mqtt.topics': `cluster-${run}/${name}/#`,
          'mqtt.qos': '1',
          'kafka.topic': `cluster-${run}-${name}`,
        }
      : {
          'connector.class': 'MqttSink',
          'tasks.max': '1',
          'mqtt.server.uri': watch.url,
          topics: `cluster-${run}-source-${name.slice('sink-'.length)}`,
          'mqtt.topic': `cluster-${run}-out/${name}/\${key}`,
          'mqtt.qos': '1',
        }
  const hosts = () => cluster.workers.map(({ url }) => new URL(url).host)

  before(async () => {
    mosquitto = await startTestMosquitto()
    watch = await startMqttClientWatch(mosquitto.port)
    cluster = await startCluster(3)
  })
  after(async () => {
    await cluster?.stopAll()
    await watch?.close()
    await mosquitto?.close()
  })

  it('runs 6 sources of 2 tasks and 2 sinks exactly once, balanced, with the same status on every worker', async () => {
    // Each connector is created through another worker: the followers forward to the leader.
    for (const [i, name] of names.entries()) {
      const created = await restCallRetrying(cluster.workers[i % 3]!.url, 'POST', '/connectors', { name, config: configOf(name) })
      assert.equal(created.status, 201, JSON.stringify(created.body))
    }
    const statuses = await cluster.untilRunning(cluster.workers[0]!, names, taskCount)
    const perWorker = tasksPerWorker(statuses)
    assert.deepEqual([...perWorker.keys()].sort(), hosts().sort(), 'every worker runs tasks, and only the three workers do')
    const counts = [...perWorker.values()]
    assert.equal(counts.reduce((a, b) => a + b, 0), SOURCES * 2 + SINKS)
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `balanced: ${JSON.stringify([...perWorker])}`)
    for (const worker of cluster.workers.slice(1)) assert.deepEqual(await cluster.statuses(worker), statuses, `${worker.url} answers the same`)
    assert.equal(watch.connects().size, SOURCES * 2 + SINKS, 'every task reached the broker through the watch')
    assertNoClientIdTwice()
  })

  it('takes PUT, pause, resume, restart and DELETE on any worker', async () => {
    const [a, b, c] = cluster.workers as [TestCluster['workers'][0], TestCluster['workers'][0], TestCluster['workers'][0]]
    const updated = await restCallRetrying(b.url, 'PUT', '/connectors/source-5/config', { ...configOf('source-5'), 'mqtt.qos': '0' })
    assert.equal(updated.status, 200, JSON.stringify(updated.body))
    for (const worker of cluster.workers) {
      const { body } = await restCall<Record<string, string>>(worker.url, 'GET', '/connectors/source-5/config')
      assert.equal(body['mqtt.qos'], '0', `${worker.url} reads the new config`)
    }
    assert.equal((await restCallRetrying(c.url, 'PUT', '/connectors/source-4/pause')).status, 202)
    assert.ok(await untilState(a.url, 'source-4', 'PAUSED'), 'paused through a follower')
    assert.equal((await restCallRetrying(b.url, 'PUT', '/connectors/source-4/resume')).status, 202)
    assert.ok(await untilState(c.url, 'source-4', 'RUNNING'), 'resumed through a follower')
    for (const worker of cluster.workers) {
      assert.equal((await restCallRetrying(worker.url, 'POST', '/connectors/source-3/tasks/1/restart')).status, 204, `restart through ${worker.url}`)
    }
    assert.equal((await restCallRetrying(c.url, 'DELETE', '/connectors/sink-1')).status, 204)
    for (const worker of cluster.workers) {
      assert.ok(await waitFor(async () => (await restCall(worker.url, 'GET', '/connectors/sink-1')).status === 404, { timeoutMs: 10_000 }))
    }
    await cluster.untilRunning(a, names.filter((name) => name !== 'sink-1'), taskCount)
    assertNoClientIdTwice()
  })

  it('gives a fourth worker some tasks while the others keep running without a restart', async () => {
    const running = names.filter((name) => name !== 'sink-1')
    const before = await cluster.untilRunning(cluster.workers[0]!, running, taskCount)
    const connectsBefore = watch.connects()
    // A stream runs through source-0 while the group rebalances: a task run twice would write records twice.
    const streamed = publishSequence(mosquitto.url, (n) => `cluster-${run}/source-0/${n % 4}`, { count: STREAMED, qos: 1 })
    const fourth = await cluster.addWorker()
    const fourthHost = new URL(fourth.url).host
    let after: Record<string, ConnectorStatus> = {}
    const rebalanced = await waitFor(
      async () => {
        after = await cluster.untilRunning(fourth, running, taskCount)
        const counts = [...tasksPerWorker(after).values()]
        return tasksPerWorker(after).size === 4 && Math.max(...counts) - Math.min(...counts) <= 1
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    )
    assert.ok(rebalanced, `four workers, balanced: ${JSON.stringify([...tasksPerWorker(after)])}`)
    const connectsAfter = watch.connects()
    let moved = 0
    for (const name of running) {
      for (const task of after[name]!.tasks) {
        const clientId = `${name}-${task.id}`
        const previous = before[name]!.tasks.find(({ id }) => id === task.id)!
        if (task.worker_id === previous.worker_id) {
          assert.equal(connectsAfter.get(clientId), connectsBefore.get(clientId), `${clientId} stayed on ${task.worker_id} and did not restart`)
        } else {
          moved++
          assert.equal(task.worker_id, fourthHost, `${clientId} moved only to the new worker`)
        }
      }
    }
    assert.ok(moved >= 2, `some tasks moved to the new worker (${moved})`)
    await streamed
    const records = await readTopic(`cluster-${run}-source-0`, (all) => all.length >= STREAMED, 60_000)
    const sequences = records.map(({ value }) => sequenceOf(value))
    assert.equal(new Set(sequences).size, STREAMED, 'every record of the stream arrived')
    assert.equal(records.length, STREAMED, 'none twice')
    assertNoClientIdTwice()
  })

  const assertNoClientIdTwice = () => {
    const twice = [...watch.maxConcurrent()].filter(([, count]) => count > 1)
    assert.deepEqual(twice, [], 'no MQTT client id was ever connected twice at once')
  }
})

const untilState = (url: string, name: string, state: string) =>
  waitFor(
    async () => {
      const { body } = await restCall<ConnectorStatus>(url, 'GET', `/connectors/${name}/status`)
      return body.connector?.state === state && body.tasks.every((task) => task.state === state)
    },
    { timeoutMs: 20_000 },
  )

describe('cluster mode with connect.protocol=eager', () => {
  let mosquitto: TestMosquitto
  let cluster: TestCluster
  before(async () => {
    mosquitto = await startTestMosquitto()
    cluster = await startCluster(2, { 'connect.protocol': 'eager' })
  })
  after(async () => {
    await cluster?.stopAll()
    await mosquitto?.close()
  })

  it('assigns everything anew on each rebalance, still balanced and once', async () => {
    const mqttUrl = mosquitto.url
    const names = ['eager-a', 'eager-b']
    for (const name of names) {
      const created = await restCallRetrying(cluster.workers[1]!.url, 'POST', '/connectors', {
        name,
        config: { 'connector.class': 'MqttSource', 'tasks.max': '3', 'mqtt.server.uri': mqttUrl, 'mqtt.topics': `${name}-${randomUUID()}/#`, 'kafka.topic': name },
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
    }
    const statuses = await cluster.untilRunning(cluster.workers[0]!, names, () => 3)
    assert.deepEqual([...tasksPerWorker(statuses).values()].sort(), [3, 3])
    assert.deepEqual(await cluster.statuses(cluster.workers[1]!), statuses)
  })
})
