// `npm run quickstart`: a working MQTT → Kafka pipeline on this machine, end to end.
// Brings up Kafka (unless KAFKA_BOOTSTRAP_SERVERS points at one) and an MQTT broker (unless MQTT_URL points at one):
// Mosquitto when it is installed, else an embedded broker inside this process. Then starts a worker, PUTs
// examples/mqtt-source.json to it, runs a small sensor simulator, and prints records as they land in Kafka.
// Ctrl-C stops the worker, the simulator and the embedded broker; `npm run infra:down` stops Kafka and Mosquitto.
// A step that fails stops what it started and says what to do.
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Kafka, logLevel, type Consumer } from 'kafkajs'
import { connectAsync, type MqttClient } from 'mqtt'
import { startEmbeddedMqttBroker } from './infra/embedded-mqtt.ts'
import { findMosquittoBinary } from './infra/mosquitto.ts'
import { cachePath, projectRoot } from './infra/paths.ts'
import { isListening } from './infra/ports.ts'
import { down, INFRA_HOST, kafkaService, managedPid, mosquittoService, shown, up } from './infra/services.ts'
import { SetupError } from './infra/setup-error.ts'
import { waitFor } from './infra/wait.ts'

const restPort = Number(process.env.CONNECT_REST_PORT ?? 8083)
const restUrl = `http://127.0.0.1:${restPort}`
/** Stop by itself after this many seconds (0: run until Ctrl-C); lets scripts and CI try the quickstart. */
const runSeconds = Number(process.env.QUICKSTART_SECONDS ?? 0)
const workerLog = cachePath('quickstart', 'worker.log')

/** A step's failure: what was being done, why it failed, and what the user can do about it. */
class StepFailure extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
    readonly hint: string,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
  }
}

/** Runs one step; a failure names the step and carries the error's own hint (a SetupError's) or the step's. */
const step = async <T>(name: string, hint: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run()
  } catch (error) {
    throw error instanceof StepFailure ? error : new StepFailure(name, error, error instanceof SetupError ? error.hint : hint)
  }
}

/** What this run owns and stops when it ends, newest first. The detached brokers are not in here. */
const cleanups: { name: string; stop: () => Promise<void> }[] = []
const own = (name: string, stop: () => Promise<void>): void => void cleanups.unshift({ name, stop })
/** Set while a detached broker is starting, so that Ctrl-C in the middle stops it instead of orphaning it. */
let starting: typeof kafkaService | undefined

const stopOwned = async (): Promise<void> => {
  if (starting !== undefined && managedPid(starting) !== undefined) await down(starting)
  for (const { name, stop } of cleanups.splice(0)) {
    await stop().catch((error: unknown) => console.error(`Stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`))
  }
}

const startDetached = async (service: typeof kafkaService): Promise<void> => {
  starting = service
  try {
    await up(service)
  } finally {
    starting = undefined
  }
}

const startKafka = (): Promise<string> =>
  step(
    'starting Kafka',
    `See Kafka's log, ${shown(kafkaService.logFile)}. If port ${kafkaService.port} is taken, set INFRA_KAFKA_PORT (and ` +
      'INFRA_KAFKA_CONTROLLER_PORT), or point KAFKA_BOOTSTRAP_SERVERS at a running broker.',
    async () => {
      const fromEnv = process.env.KAFKA_BOOTSTRAP_SERVERS
      if (fromEnv !== undefined && fromEnv !== '') {
        console.log(`Kafka: using ${fromEnv} (KAFKA_BOOTSTRAP_SERVERS)`)
        return fromEnv
      }
      await startDetached(kafkaService)
      return kafkaService.address
    },
  )

const startMqttBroker = (): Promise<string> =>
  step(
    'starting the MQTT broker',
    `Free port ${mosquittoService.port} or set INFRA_MQTT_PORT to another one, or point MQTT_URL at a running broker.`,
    async () => {
      const fromEnv = process.env.MQTT_URL
      if (fromEnv !== undefined && fromEnv !== '') {
        console.log(`MQTT: using ${fromEnv} (MQTT_URL)`)
        return fromEnv
      }
      if (findMosquittoBinary() !== undefined || managedPid(mosquittoService) !== undefined) {
        await startDetached(mosquittoService)
        return mosquittoService.address
      }
      if (await isListening(INFRA_HOST, mosquittoService.port)) {
        console.log(`MQTT: something already listens on ${INFRA_HOST}:${mosquittoService.port}; using it as the MQTT broker`)
        return mosquittoService.address
      }
      const broker = await startEmbeddedMqttBroker({ host: INFRA_HOST, port: mosquittoService.port })
      own('the embedded MQTT broker', () => broker.stop())
      console.log(
        `MQTT: Mosquitto is not installed, so an embedded broker (${broker.name}, in this process) listens at ${broker.url} ` +
          'until the quickstart stops.\n' +
          '      To use Mosquitto instead: apt-get install -y mosquitto (the next quickstart starts it), or set MQTT_URL to a running broker.',
      )
      return broker.url
    },
  )

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })

const startWorker = (bootstrapServers: string): Promise<void> =>
  step('starting the worker', `See its log, ${shown(workerLog)}; set CONNECT_REST_PORT if port ${restPort} is taken.`, async () => {
    if (await isListening('127.0.0.1', restPort)) {
      throw new Error(`Port ${restPort} is taken; stop what runs there or set CONNECT_REST_PORT to another port`)
    }
    mkdirSync(cachePath('quickstart'), { recursive: true })
    const log = openSync(workerLog, 'a')
    let worker: ChildProcess
    try {
      worker = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
        cwd: projectRoot,
        stdio: ['ignore', log, log],
        env: { ...process.env, CONNECT_BOOTSTRAP_SERVERS: bootstrapServers, CONNECT_REST_PORT: String(restPort), CONNECT_GROUP_ID: 'quickstart' },
      })
    } finally {
      closeSync(log)
    }
    own('the worker', () => stopChild(worker))
    const ready = await waitFor(
      async () => {
        if (worker.exitCode !== null) throw new Error(`The worker exited with ${worker.exitCode}`)
        return fetch(`${restUrl}/health`).then((response) => response.ok, () => false)
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    )
    if (!ready) throw new Error(`The worker did not answer on ${restUrl} within 90 s`)
    console.log(`Worker: ready at ${restUrl} (log: ${shown(workerLog)})`)
  })

const createConnector = (mqttUrl: string): Promise<string> =>
  step('creating the connector', `The worker's answer above says which key is wrong; its log is ${shown(workerLog)}.`, async () => {
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
  })

const showKafkaTopic = (bootstrapServers: string, topic: string): Promise<void> =>
  step('reading the Kafka topic', `Is Kafka at ${bootstrapServers} still up? Its log is ${shown(kafkaService.logFile)}.`, async () => {
    const kafka = new Kafka({ brokers: bootstrapServers.split(','), clientId: 'quickstart-viewer', logLevel: logLevel.NOTHING })
    // The connector's producer would create the topic with its first record; the viewer needs it before that.
    const admin = kafka.admin()
    await admin.connect()
    try {
      await admin.createTopics({ topics: [{ topic }], waitForLeaders: true })
    } finally {
      await admin.disconnect()
    }
    const consumer: Consumer = kafka.consumer({ groupId: `quickstart-viewer-${process.pid}` })
    own('the Kafka viewer', () => consumer.disconnect())
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: false })
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        console.log(`  [${topic}/${partition}@${message.offset}] key=${message.key?.toString()} value=${message.value?.toString()}`)
      },
    })
    console.log(`\nRecords arriving in Kafka topic ${topic} (Ctrl-C to stop):`)
  })

const simulateSensors = (mqttUrl: string): Promise<void> =>
  step('starting the sensor simulator', `Is the MQTT broker at ${mqttUrl} still up?`, async () => {
    const client: MqttClient = await connectAsync(mqttUrl, { clientId: `quickstart-sensors-${process.pid}` })
    const devices = ['berlin/boiler-1', 'berlin/boiler-2', 'lyon/chiller-1']
    let reading = 0
    const timer = setInterval(() => {
      const device = devices[reading % devices.length]!
      const payload = JSON.stringify({ device, temperature: Number((20 + 5 * Math.sin(reading / 5)).toFixed(2)), seq: reading++ })
      client.publishAsync(`sensors/${device}/temperature`, payload, { qos: 1 }).catch(() => {})
    }, 500)
    own('the sensor simulator', async () => {
      clearInterval(timer)
      await client.endAsync()
    })
  })

const detachedNote = (): string | undefined => {
  const running = [kafkaService, mosquittoService].filter((service) => managedPid(service) !== undefined).map(({ name }) => name)
  return running.length === 0 ? undefined : `${running.join(' and ')} keep${running.length === 1 ? 's' : ''} running; npm run infra:down stops ${running.length === 1 ? 'it' : 'them'}.`
}

/** Set by Ctrl-C: whatever fails from then on fails because it is being stopped. */
let stopping = false

const main = async (): Promise<void> => {
  const shutdown = (): void => {
    if (stopping) return
    stopping = true
    console.log('\nStopping the worker, the simulator and anything else this quickstart runs...')
    void stopOwned().then(() => {
      const note = detachedNote()
      if (note !== undefined) console.log(note)
      process.exit(0)
    })
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)

  const bootstrapServers = await startKafka()
  const mqttUrl = await startMqttBroker()
  await startWorker(bootstrapServers)
  const topic = await createConnector(mqttUrl)
  await showKafkaTopic(bootstrapServers, topic)
  await simulateSensors(mqttUrl)
  if (runSeconds > 0) setTimeout(shutdown, runSeconds * 1000)
}

main().catch(async (error: unknown) => {
  if (stopping) return
  if (error instanceof StepFailure) {
    console.error(`\nThe quickstart failed while ${error.step}: ${error.message}\nWhat to do: ${error.hint}`)
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  }
  await stopOwned()
  const note = detachedNote()
  if (note !== undefined) console.error(note)
  process.exit(1)
})
