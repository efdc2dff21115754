// Local infrastructure for development: `tsx scripts/infra.ts up|down`.
// Starts a Kafka broker and a Mosquitto broker that outlive this script; `down` stops only what `up` started.
import { relative } from 'node:path'
import { startKafka } from './infra/kafka.ts'
import { startMosquitto } from './infra/mosquitto.ts'
import { cachePath, projectRoot } from './infra/paths.ts'
import { readPidFile, removePidFile, writePidFile } from './infra/pid-files.ts'
import { isListening } from './infra/ports.ts'
import { isAlive, processName, stopProcess } from './infra/processes.ts'

const host = '127.0.0.1'

interface Service {
  name: string
  /** Executable name expected in /proc/<pid>/comm, so a recycled pid is never killed. */
  processName: string
  port: number
  address: string
  pidFile: string
  logFile: string
  start(): Promise<number>
}

const kafkaLog = cachePath('infra', 'kafka.log')
const mosquittoLog = cachePath('infra', 'mosquitto.log')

const services: readonly Service[] = [
  {
    name: 'Kafka',
    processName: 'java',
    port: 9092,
    address: `${host}:9092`,
    pidFile: cachePath('infra', 'kafka.pid'),
    logFile: kafkaLog,
    start: async () =>
      (await startKafka({ port: 9092, controllerPort: 9093, dataDir: cachePath('infra', 'kafka-data'), logFile: kafkaLog, detached: true }))
        .pid,
  },
  {
    name: 'Mosquitto',
    processName: 'mosquitto',
    port: 1883,
    address: `mqtt://${host}:1883`,
    pidFile: cachePath('infra', 'mosquitto.pid'),
    logFile: mosquittoLog,
    start: async () =>
      (await startMosquitto({ port: 1883, dataDir: cachePath('infra', 'mosquitto'), logFile: mosquittoLog, detached: true })).pid,
  },
]

const shown = (file: string): string => relative(projectRoot, file)

/** The pid from the service's pid file if that process is still the one we started; drops stale pid files. */
function managedPid(service: Service): number | undefined {
  const pid = readPidFile(service.pidFile)
  if (pid === undefined) return undefined
  if (isAlive(pid) && processName(pid) === service.processName) return pid
  removePidFile(service.pidFile)
  return undefined
}

async function up(service: Service): Promise<void> {
  const running = managedPid(service)
  if (running !== undefined) {
    console.log(`${service.name}: already running at ${service.address} (pid ${running}), log ${shown(service.logFile)}`)
    return
  }
  if (await isListening(host, service.port)) {
    console.log(`${service.name}: something else already listens on ${host}:${service.port}; leaving it alone`)
    return
  }
  console.log(`${service.name}: starting...`)
  const pid = await service.start()
  writePidFile(service.pidFile, pid)
  console.log(`${service.name}: started at ${service.address} (pid ${pid}), log ${shown(service.logFile)}`)
}

async function down(service: Service): Promise<void> {
  const pid = managedPid(service)
  if (pid === undefined) {
    console.log(`${service.name}: nothing to stop`)
    return
  }
  await stopProcess(pid, 20_000)
  removePidFile(service.pidFile)
  console.log(`${service.name}: stopped (pid ${pid})`)
}

async function main(command: string | undefined): Promise<number> {
  if (command === 'up') {
    for (const service of services) await up(service)
    console.log(`\nFor tests against these brokers:\n  export KAFKA_BOOTSTRAP_SERVERS=${host}:9092 MQTT_URL=mqtt://${host}:1883`)
    return 0
  }
  if (command === 'down') {
    for (const service of services) await down(service)
    return 0
  }
  console.error('usage: tsx scripts/infra.ts up|down')
  return 2
}

try {
  process.exitCode = await main(process.argv[2])
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
