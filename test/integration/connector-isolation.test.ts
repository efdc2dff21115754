import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { waitFor } from '../../scripts/infra/wait.ts'
import { useBridge } from '../harness/bridge.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { restCall, type RestResponse } from '../harness/rest-client.ts'
import { makeTestTempDir } from '../harness/temp.ts'

interface Status {
  connector: { state: string; trace?: string }
  tasks: { id: number; state: string; trace?: string }[]
}

/** A TCP server on a free loopback port that does `onConnection` with every socket: the MQTT brokers that never are. */
const fakeBroker = async (onConnection: (socket: Socket) => void): Promise<{ server: Server; uri: string; sockets: Set<Socket> }> => {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onConnection(socket)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  return { server, uri: `tcp://127.0.0.1:${address.port}`, sockets }
}

const writeRecord = async (topic: string, key: string, value: string): Promise<void> => {
  const producer = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'test-writer', logLevel: logLevel.NOTHING }).producer()
  await producer.connect()
  try {
    await producer.send({ topic, acks: -1, messages: [{ key, value }] })
  } finally {
    await producer.disconnect()
  }
}

/** `restCall` with how long it took. */
const timedCall = async <T>(url: string, method: string, path: string, body?: unknown): Promise<RestResponse<T> & { ms: number }> => {
  const started = performance.now()
  const response = await restCall<T>(url, method, path, body)
  return { ...response, ms: performance.now() - started }
}

const source = (uri: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'connector.class': 'MqttSource',
  'mqtt.server.uri': uri,
  'mqtt.topics': 'isolation/#',
  'kafka.topic': 'isolation',
  ...extra,
})

describe('a connector whose MQTT broker misbehaves fails alone', () => {
  const bridge = useBridge()
  let hangingUp: Awaited<ReturnType<typeof fakeBroker>>
  let silent: Awaited<ReturnType<typeof fakeBroker>>
  let fifo: string

  before(async () => {
    hangingUp = await fakeBroker((socket) => socket.destroy())
    silent = await fakeBroker(() => {})
    fifo = join(await makeTestTempDir('fifo-'), 'ca.pem')
    execFileSync('mkfifo', [fifo])
    const healthy = await restCall(bridge.worker.url, 'POST', '/connectors', { name: 'healthy', config: source(bridge.mosquitto.url) })
    assert.equal(healthy.status, 201, JSON.stringify(healthy.body))
  })

  after(async () => {
    for (const broker of [hangingUp, silent]) {
      for (const socket of broker.sockets) socket.destroy()
      broker.server.close()
    }
  })

  /** What must answer at once whatever one connector is doing. */
  const assertWorkerResponsive = async (): Promise<void> => {
    for (const [method, path, expected] of [
      ['GET', '/', 200],
      ['GET', '/connectors', 200],
      ['PUT', '/connectors/healthy/pause', 202],
      ['PUT', '/connectors/healthy/resume', 202],
      ['PUT', '/connectors/absent/pause', 404],
    ] as const) {
      const { status, ms } = await timedCall(bridge.worker.url, method, path)
      assert.equal(status, expected, `${method} ${path}`)
      assert.ok(ms < 1_000, `${method} ${path} answered in ${Math.round(ms)} ms`)
    }
  }

  const rejected: [string, Record<string, string>, string, RegExp][] = [
    ['a password without a user name', { 'mqtt.password': 'secret' }, 'mqtt.password', /a password needs mqtt.username/],
    ['a user name holding U+0000', { 'mqtt.username': '\u0000' }, 'mqtt.username', /MQTT strings must not contain the character U\+0000/],
    ['a FIFO as CA file', { 'mqtt.ssl.ca.file': 'FIFO' }, 'mqtt.ssl.ca.file', /is not a regular file/],
    ['/dev/zero as CA file', { 'mqtt.ssl.ca.file': '/dev/zero' }, 'mqtt.ssl.ca.file', /is not a regular file/],
    ['a missing CA file', { 'mqtt.ssl.ca.file': '/nonexistent/ca.pem' }, 'mqtt.ssl.ca.file', /file not found/],
  ]
  for (const [what, extra, key, reason] of rejected) {
    it(`answers 400 within 2 s for ${what}, naming ${key}, and creates nothing`, async () => {
      const config = source(bridge.mosquitto.url, Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v === 'FIFO' ? fifo : v])))
      const { status, body, ms } = await timedCall<{ message: string }>(bridge.worker.url, 'POST', '/connectors', { name: 'rejected', config })
      assert.equal(status, 400, JSON.stringify(body))
      assert.ok(ms < 2_000, `answered in ${Math.round(ms)} ms`)
      assert.match(body.message, new RegExp(`configuration ${key.replaceAll('.', '\\.')}: ${reason.source}`))
      assert.doesNotMatch(body.message, /secret/, 'the password is not echoed')
      const validated = await timedCall<{ error_count: number }>(bridge.worker.url, 'PUT', '/connector-plugins/MqttSource/config/validate', config)
      assert.ok(validated.body.error_count >= 1, '/config/validate reports it too')
      assert.equal((await restCall(bridge.worker.url, 'GET', '/connectors/rejected')).status, 404)
      await assertWorkerResponsive()
    })
  }

  const failing: [string, () => string, Record<string, string>, RegExp][] = [
    ['hangs up before CONNACK', () => hangingUp.uri, {}, /closed before the broker acknowledged it \(no CONNACK\)/],
    ['accepts TCP but never answers', () => silent.uri, { 'mqtt.connect.timeout.seconds': '1' }, /no CONNACK within 1 s \(mqtt\.connect\.timeout\.seconds\)/],
  ]
  for (const [what, uri, extra, reason] of failing) {
    it(`creates a connector whose broker ${what} within 2 s, fails its task with the reason, and stays responsive`, async () => {
      const name = `broken-${what.split(' ')[0]}`
      const created = await timedCall(bridge.worker.url, 'POST', '/connectors', { name, config: source(uri(), extra) })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      assert.ok(created.ms < 2_000, `answered in ${Math.round(created.ms)} ms`)
      await assertWorkerResponsive()
      let trace = ''
      assert.ok(
        await waitFor(
          async () => {
            const { body } = await restCall<Status>(bridge.worker.url, 'GET', `/connectors/${name}/status`)
            trace = body.tasks[0]?.state === 'FAILED' ? (body.tasks[0].trace ?? '') : ''
            return trace !== ''
          },
          { timeoutMs: 10_000 },
        ),
        'the task goes FAILED',
      )
      assert.match(trace, reason)
      await assertWorkerResponsive()
    })
  }

  it('stops on SIGTERM within 10 s with exit code 0, and a restart opens REST within 5 s with the same states', async () => {
    // A resume is answered 202 before the task has said RUNNING, as in Kafka Connect: wait for it.
    let before = await restCall<Record<string, { status: Status }>>(bridge.worker.url, 'GET', '/connectors?expand=status')
    assert.ok(
      await waitFor(
        async () => {
          before = await restCall<Record<string, { status: Status }>>(bridge.worker.url, 'GET', '/connectors?expand=status')
          return before.body.healthy?.status.tasks[0]?.state === 'RUNNING'
        },
        { timeoutMs: 10_000 },
      ),
    )
    const stopping = performance.now()
    assert.equal(await bridge.worker.stop('SIGTERM'), 0)
    assert.ok(performance.now() - stopping < 10_000, `stopped in ${Math.round(performance.now() - stopping)} ms`)
    // As in Kafka Connect, a graceful stop leaves nothing RUNNING in the status topic: tasks included.
    const stateOf = (value: Buffer | null): string | null => (value === null ? null : (JSON.parse(value.toString('utf8')) as { state: string }).state)
    const statusRecords = await readTopic(
      bridge.worker.topics.status,
      (records) => stateOf(records.filter(({ key }) => key === 'status-task-healthy-0').at(-1)?.value ?? null) === 'UNASSIGNED',
      20_000,
    )
    const latest = new Map(statusRecords.map(({ key, value }) => [key, stateOf(value)]))
    assert.equal(latest.get('status-task-healthy-0'), 'UNASSIGNED')
    assert.deepEqual([...latest].filter(([, state]) => state === 'RUNNING'), [])

    // A config an older version accepted, naming a FIFO, as it would sit in the config topic.
    const fifoConfig = { ...source(bridge.mosquitto.url, { 'mqtt.ssl.ca.file': fifo }), name: 'stored-fifo' }
    await writeRecord(bridge.worker.topics.config, 'connector-stored-fifo', JSON.stringify({ properties: fifoConfig }))

    const starting = performance.now()
    await bridge.worker.start()
    const startMs = performance.now() - starting
    assert.ok(startMs < 5_000, `REST answered ${Math.round(startMs)} ms after the restart began`)
    await assertWorkerResponsive()
    const states = (all: Record<string, { status: Status }>): Record<string, string[]> =>
      Object.fromEntries(Object.entries(all).map(([name, { status }]) => [name, status.tasks.map(({ state }) => state)]))
    // The graceful stop left the healthy task UNASSIGNED; it is RUNNING again once its restart has connected.
    const expected = { healthy: ['RUNNING'], 'broken-hangs': ['FAILED'], 'broken-accepts': ['FAILED'] }
    assert.deepEqual(states(before.body), expected)
    let after = await restCall<Record<string, { status: Status }>>(bridge.worker.url, 'GET', '/connectors?expand=status')
    const resumedAsBefore = async (): Promise<boolean> => {
      after = await restCall<Record<string, { status: Status }>>(bridge.worker.url, 'GET', '/connectors?expand=status')
      const { 'stored-fifo': _storedFifo, ...resumed } = after.body
      return isDeepStrictEqual(states(resumed), expected)
    }
    assert.ok(await waitFor(resumedAsBefore, { timeoutMs: 15_000 }), JSON.stringify(after.body))
    const storedFifo = after.body['stored-fifo']
    assert.equal(storedFifo?.status.connector.state, 'FAILED', 'a stored config naming a FIFO fails its connector alone')
    assert.match(storedFifo?.status.connector.trace ?? '', /mqtt\.ssl\.ca\.file: is not a regular file/)
  })
})
