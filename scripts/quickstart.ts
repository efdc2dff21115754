// `npm run quickstart`: a working MQTT → Kafka pipeline on this machine, end to end.
// Brings up Kafka and Mosquitto (unless KAFKA_BOOTSTRAP_SERVERS / MQTT_URL point elsewhere), starts a worker,
// POSTs examples/mqtt-source.json to it, runs a small sensor simulator, and prints records as they land in Kafka.
// Ctrl-C stops the worker and the simulator; `npm run infra:down` stops the brokers.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { connectAsync } from 'mqtt'
import { cachePath, projectRoot } from './infra/paths.ts'
import { isListening } from './infra/ports.ts'
import { waitFor } from './infra/wait.ts'

const bootstrapServers = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092'
const mqttUrl = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883'
const restPort = Number(process.env.CONNECT_REST_PORT ?? 8083)
const restUrl = `http://127.0.0.1:${restPort}`
/** Stop by itself after this many seconds (0: run until Ctrl-C); lets scripts and CI try the quickstart. */
const runSeconds = Number(process.env.QUICKSTART_SECONDS ?? 0)

const children: ChildProcess[] = []

const run = (command: string, args: readonly string[]): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, stdio: 'inherit' })
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))))
  })

const startInfrastructure = async (): Promise<void> => {
  if (process.env.KAFKA_BOOTSTRAP_SERVERS && process.env.MQTT_URL) {
    console.log(`Using Kafka at ${bootstrapServers} and MQTT at ${mqttUrl}`)
    return
  }
  console.log('Bringing up a local Kafka and Mosquitto (npm run infra:up)...')
  await run(process.execPath, ['--import', 'tsx', 'scripts/infra.ts', 'up'])
}

const startWorker = async (): Promise<void> => {
  if (await isListening('127.0.0.1', restPort)) {
    throw new Error(`Port ${restPort} is taken; stop what runs there or set CONNECT_REST_PORT to another port`)
  }
  mkdirSync(cachePath('quickstart'), { recursive: true })
  const logFile = cachePath('quickstart', 'worker.log')
  const log = openSync(logFile, 'a')
  const worker = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
    cwd: projectRoot,
    stdio: ['ignore', log, log],
    env: { ...process.env, CONNECT_BOOTSTRAP_SERVERS: bootstrapServers, CONNECT_REST_PORT: String(restPort), CONNECT_GROUP_ID: 'quickstart' },
  })
  children.push(worker)
  const ready = await waitFor(
    async () => {
      if (worker.exitCode !== null) throw new Error(`The worker exited with ${worker.exitCode}; see ${logFile}`)
      return fetch(`${restUrl}/health`).then((response) => response.ok, () => false)
    },
    { timeoutMs: 90_000, intervalMs: 250 },
  )
  if (!ready) throw new Error(`The worker did not answer on ${restUrl}; see ${logFile}`)
  console.log(`Worker ready: ${restUrl} (log: ${logFile})`)
}

const createConnector = async (): Promise<string> => {
  const example = JSON.parse(readFileSync(join(projectRoot, 'examples/mqtt-source.json'), 'utf8')) as { name: string; config: Record<string, string> }
  const config: Record<string, string> = { ...example.config, 'mqtt.server.uri': mqttUrl }
  // PUT .../config creates or updates, so running the quickstart twice is fine.
  const response = await fetch(`${restUrl}/connectors/${example.name}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  })
  if (!response.ok) throw new Error(`Creating the connector failed: ${response.status} ${await response.text()}`)
  console.log(`Connector ${example.name}: ${config['mqtt.topics']} (MQTT) → ${config['kafka.topic']} (Kafka)`)
  return config['kafka.topic']!
}

const simulateSensors = async (signal: AbortSignal): Promise<void> => {
  const client = await connectAsync(mqttUrl, { clientId: `quickstart-sensors-${process.pid}` })
  const devices = ['berlin/boiler-1', 'berlin/boiler-2', 'lyon/chiller-1']
  let reading = 0
  const timer = setInterval(() => {
    const device = devices[reading % devices.length]!
    const payload = JSON.stringify({ device, temperature: Number((20 + 5 * Math.sin(reading / 5)).toFixed(2)), seq: reading++ })
    void client.publishAsync(`sensors/${device}/temperature`, payload, { qos: 1 })
  }, 500)
  signal.addEventListener('abort', () => {
    clearInterval(timer)
    void client.endAsync()
  })
}

const showKafkaTopic = async (topic: string, signal: AbortSignal): Promise<void> => {
  const kafka = new Kafka({ brokers: bootstrapServers.split(','), clientId: 'quickstart-viewer', logLevel: logLevel.NOTHING })
  // The connector's producer would create the topic with its first record; the viewer needs it before that.
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic }], waitForLeaders: true })
  await admin.disconnect()
  const consumer = kafka.consumer({ groupId: `quickstart-viewer-${process.pid}` })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: false })
  console.log(`\nRecords arriving in Kafka topic ${topic} (Ctrl-C to stop):`)
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      console.log(`  [${topic}/${partition}@${message.offset}] key=${message.key?.toString()} value=${message.value?.toString()}`)
    },
  })
  signal.addEventListener('abort', () => void consumer.disconnect())
}

const stopChildren = async (): Promise<void> => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.kill('SIGTERM')
        }),
    ),
  )
}

const main = async (): Promise<void> => {
  const stop = new AbortController()
  const shutdown = (): void => {
    if (stop.signal.aborted) return
    stop.abort()
    console.log('\nStopping the worker and the simulator; the brokers keep running (npm run infra:down stops them).')
    void stopChildren().then(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  await startInfrastructure()
  await startWorker()
  const topic = await createConnector()
  await showKafkaTopic(topic, stop.signal)
  await simulateSensors(stop.signal)
  if (runSeconds > 0) setTimeout(shutdown, runSeconds * 1000)
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  await stopChildren()
  process.exit(1)
})
