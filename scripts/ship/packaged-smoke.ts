// The smoke test of a built worker, shared by `npm run release:check` (the packed tarball, installed) and
// test/integration/packaged-worker.test.ts (the build, laid out as installed): the worker runs on plain Node, loads a
// plugin from a folder of its own that imports `mqtt-kafka-connect/plugin`, and bridges one MQTT message to Kafka.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { connectAsync } from 'mqtt'
import { findFreePort } from '../infra/ports.ts'
import { waitFor } from '../infra/wait.ts'

/** A plugin as its author ships it: plain JavaScript in a folder of its own, the API imported by package name. */
const EXTERNAL_PLUGIN = `// Upper-cases text values and appends a suffix; refuses a suffix with spaces, with the worker's ConfigError.
import { z } from 'zod'
import { ConfigError, documented } from 'mqtt-kafka-connect/plugin'

const decoder = new TextDecoder()
const encoder = new TextEncoder()

export const transformations = [
  {
    className: 'com.example.UpperCase',
    aliases: ['UpperCase'],
    version: '1.2.3',
    config: z.object({ suffix: documented(z.string().default(''), { description: 'Text appended to every value.', importance: 'low' }) }),
    create: ({ suffix }) => {
      if (suffix.includes(' ')) throw new ConfigError('suffix', suffix, 'must not contain spaces')
      return {
        apply: (record) =>
          record.value instanceof Uint8Array ? { ...record, value: encoder.encode(decoder.decode(record.value).toUpperCase() + suffix) } : record,
      }
    },
  },
]
`

/** Writes the external plugin into `folder` (created if missing) and returns the folder, for plugin.path. */
export async function writeExternalPlugin(folder: string): Promise<string> {
  await mkdir(folder, { recursive: true })
  await writeFile(join(folder, 'upper-case.js'), EXTERNAL_PLUGIN)
  return folder
}

export interface PackagedWorker {
  readonly url: string
  /** What the worker wrote to stdout and stderr so far. */
  log(): string
  /**
   * SIGTERM to the command's whole process group (npx runs the worker under a shell that would not pass it on), then
   * waits until every process of the group is gone (SIGKILL after 75 s) and resolves to the command's exit code.
   */
  stop(): Promise<number | null>
}

export interface PackagedWorkerOptions {
  /** The command and arguments that run the worker, e.g. `npx --no-install mqtt-kafka-connect worker`. */
  readonly command: string
  readonly args: readonly string[]
  readonly cwd: string
  readonly bootstrapServers: string
  readonly pluginPath: string
}

/** Starts the worker with a group and internal topics of its own, on a free port, and waits until /health answers. */
export async function startPackagedWorker(options: PackagedWorkerOptions): Promise<PackagedWorker> {
  const port = await findFreePort()
  const suffix = randomUUID().slice(0, 8)
  const settings: Record<string, string> = {
    'bootstrap.servers': options.bootstrapServers,
    'group.id': `packaged-${suffix}`,
    'rest.host.name': '127.0.0.1',
    'rest.port': String(port),
    'config.storage.topic': `packaged-configs-${suffix}`,
    'offset.storage.topic': `packaged-offsets-${suffix}`,
    'status.storage.topic': `packaged-status-${suffix}`,
    'offset.flush.interval.ms': '1000',
    'plugin.path': options.pluginPath,
  }
  const env: NodeJS.ProcessEnv = { ...process.env }
  // Plain Node: nothing of this process's TypeScript loader may reach the worker.
  delete env.NODE_OPTIONS
  for (const [key, value] of Object.entries(settings)) env[`CONNECT_${key.toUpperCase().replaceAll('.', '_')}`] = value
  const child: ChildProcess = spawn(options.command, options.args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-child.pid!, signal)
      return true
    } catch {
      return false
    }
  }
  const kill = (): void => void signalGroup('SIGKILL')
  process.once('exit', kill)
  const url = `http://127.0.0.1:${port}`
  let stopping: Promise<number | null> | undefined
  const stop = (): Promise<number | null> =>
    (stopping ??= (async () => {
      signalGroup('SIGTERM')
      const killer = setTimeout(kill, 75_000)
      const [code] = await exited
      await waitFor(() => !signalGroup(0), { timeoutMs: 80_000, intervalMs: 100 })
      clearTimeout(killer)
      process.off('exit', kill)
      return code
    })())
  const ready = await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}:\n${output}`)
      return fetch(`${url}/health`).then((response) => response.ok, () => false)
    },
    { timeoutMs: 90_000, intervalMs: 200 },
  )
  if (!ready) {
    await stop()
    throw new Error(`the worker did not answer on ${url} within 90 s:\n${output}`)
  }
  return { url, log: () => output, stop }
}

const call = async <T>(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T }
}

/** Reads `topic` from the beginning until `count` records arrived or `timeoutMs` passed. */
async function readRecords(bootstrapServers: string, topic: string, count: number, timeoutMs: number): Promise<{ key: string | null; value: string | null }[]> {
  const kafka = new Kafka({ brokers: bootstrapServers.split(','), clientId: 'packaged-smoke-reader', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true }).finally(() => admin.disconnect())
  const consumer = kafka.consumer({ groupId: `packaged-smoke-${randomUUID()}` })
  const records: { key: string | null; value: string | null }[] = []
  await consumer.connect()
  try {
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ message }) => void records.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null }),
    })
    await waitFor(() => records.length >= count, { timeoutMs, intervalMs: 100 })
  } finally {
    await consumer.disconnect()
  }
  return records
}

export interface SmokeResult {
  /** The plugin as GET /connector-plugins lists it. */
  readonly plugin: unknown
  /** The 400 for the plugin's own ConfigError. */
  readonly refusal: { status: number; message: string }
  /** What arrived in Kafka for the one MQTT message. */
  readonly records: readonly { key: string | null; value: string | null }[]
}

/**
 * Against a running worker: lists the external plugin, has its ConfigError refused as a 400, then creates an MQTT
 * source through the plugin and publishes one message. The caller asserts on the result.
 */
export async function bridgeOneMessage({ workerUrl, mqttUrl, bootstrapServers }: { workerUrl: string; mqttUrl: string; bootstrapServers: string }): Promise<SmokeResult> {
  const plugins = await call<{ class: string }[]>(workerUrl, 'GET', '/connector-plugins?connectorsOnly=false')
  const plugin = plugins.body.find(({ class: className }) => className === 'com.example.UpperCase')

  const source = (topic: string, suffix: string): Record<string, string> => ({
    'connector.class': 'MqttSource',
    'mqtt.server.uri': mqttUrl,
    'mqtt.topics': 'smoke/#',
    'mqtt.qos': '1',
    'kafka.topic': topic,
    transforms: 'upper',
    'transforms.upper.type': 'UpperCase',
    'transforms.upper.suffix': suffix,
  })
  const refused = await call<{ message: string }>(workerUrl, 'POST', '/connectors', { name: 'smoke-refused', config: source('never', 'with spaces') })

  const topic = `packaged-smoke-${randomUUID().slice(0, 8)}`
  const created = await call(workerUrl, 'POST', '/connectors', { name: 'smoke', config: source(topic, '!') })
  if (created.status !== 201) throw new Error(`creating the connector failed: ${created.status} ${JSON.stringify(created.body)}`)
  const running = await waitFor(
    async () => (await call<{ tasks: { state: string }[] }>(workerUrl, 'GET', '/connectors/smoke/status')).body.tasks[0]?.state === 'RUNNING',
    { timeoutMs: 30_000 },
  )
  if (!running) throw new Error(`the connector's task is not RUNNING: ${JSON.stringify((await call(workerUrl, 'GET', '/connectors/smoke/status')).body)}`)

  const client = await connectAsync(mqttUrl, { clientId: `packaged-smoke-${process.pid}`, clean: true })
  try {
    await client.publishAsync('smoke/one', 'hello from mqtt', { qos: 1 })
  } finally {
    await client.endAsync()
  }
  const records = await readRecords(bootstrapServers, topic, 1, 30_000)
  return { plugin, refusal: { status: refused.status, message: refused.body?.message ?? '' }, records }
}
