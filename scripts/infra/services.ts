// The brokers of `npm run infra:up|down` and the quickstart: each outlives the process that started it, with a pid
// file under .cache/infra/ so that `down` stops only what `up` started. Ports: 9092 (controller 9093) and 1883, or
// INFRA_KAFKA_PORT, INFRA_KAFKA_CONTROLLER_PORT and INFRA_MQTT_PORT, for a machine where those are taken.
import { relative } from 'node:path'
import { startKafka } from './kafka.ts'
import { startMosquitto } from './mosquitto.ts'
import { cachePath, projectRoot } from './paths.ts'
import { readPidFile, removePidFile, writePidFile } from './pid-files.ts'
import { isListening } from './ports.ts'
import { isAlive, processName, stopProcess } from './processes.ts'

export const INFRA_HOST = '127.0.0.1'

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${name}=${raw} is not a port number`)
  return port
}

export interface Service {
  readonly name: string
  /** Executable name expected in /proc/<pid>/comm, so a recycled pid is never killed. */
  readonly processName: string
  readonly port: number
  readonly address: string
  readonly pidFile: string
  readonly logFile: string
  /** Starts the broker, calling `onSpawn` with its pid as soon as it runs; resolves to the pid once it is ready. */
  start(onSpawn: (pid: number) => void): Promise<number>
}

const kafkaPort = portFromEnv('INFRA_KAFKA_PORT', 9092)
const kafkaControllerPort = portFromEnv('INFRA_KAFKA_CONTROLLER_PORT', kafkaPort === 9092 ? 9093 : kafkaPort + 1)
const mqttPort = portFromEnv('INFRA_MQTT_PORT', 1883)
/** State of a broker on another port than the default lives apart, so that the two never mix up their pid files. */
const stateName = (name: string, port: number, defaultPort: number): string => (port === defaultPort ? name : `${name}-${port}`)
const kafkaState = stateName('kafka', kafkaPort, 9092)
const mosquittoState = stateName('mosquitto', mqttPort, 1883)
const kafkaLog = cachePath('infra', `${kafkaState}.log`)
const mosquittoLog = cachePath('infra', `${mosquittoState}.log`)

export const kafkaService: Service = {
  name: 'Kafka',
  processName: 'java',
  port: kafkaPort,
  address: `${INFRA_HOST}:${kafkaPort}`,
  pidFile: cachePath('infra', `${kafkaState}.pid`),
  logFile: kafkaLog,
  start: async (onSpawn) =>
    (await startKafka({ port: kafkaPort, controllerPort: kafkaControllerPort, dataDir: cachePath('infra', `${kafkaState}-data`), logFile: kafkaLog, detached: true, onSpawn }))
      .pid,
}

export const mosquittoService: Service = {
  name: 'Mosquitto',
  processName: 'mosquitto',
  port: mqttPort,
  address: `mqtt://${INFRA_HOST}:${mqttPort}`,
  pidFile: cachePath('infra', `${mosquittoState}.pid`),
  logFile: mosquittoLog,
  start: async (onSpawn) =>
    (await startMosquitto({ port: mqttPort, dataDir: cachePath('infra', mosquittoState), logFile: mosquittoLog, detached: true, onSpawn })).pid,
}

export const services: readonly Service[] = [kafkaService, mosquittoService]

export const shown = (file: string): string => relative(projectRoot, file)

/** The pid from the service's pid file if that process is still the one we started; drops stale pid files. */
export function managedPid(service: Service): number | undefined {
  const pid = readPidFile(service.pidFile)
  if (pid === undefined) return undefined
  if (isAlive(pid) && processName(pid) === service.processName) return pid
  removePidFile(service.pidFile)
  return undefined
}

/** How `up` found the service: started now, already ours and running, or another program on its port. */
export type UpOutcome = 'started' | 'running' | 'foreign'

export async function up(service: Service): Promise<UpOutcome> {
  const running = managedPid(service)
  if (running !== undefined) {
    console.log(`${service.name}: already running at ${service.address} (pid ${running}), log ${shown(service.logFile)}`)
    return 'running'
  }
  if (await isListening(INFRA_HOST, service.port)) {
    console.log(`${service.name}: something else already listens on ${INFRA_HOST}:${service.port}; leaving it alone`)
    return 'foreign'
  }
  console.log(`${service.name}: starting...`)
  try {
    // The pid file is written as soon as the process runs, so `down` can stop a start that was cut short.
    const pid = await service.start((spawned) => writePidFile(service.pidFile, spawned))
    console.log(`${service.name}: started at ${service.address} (pid ${pid}), log ${shown(service.logFile)}`)
    return 'started'
  } catch (error) {
    // The failed start stopped its process: this drops the pid file written for it.
    managedPid(service)
    throw error
  }
}

export async function down(service: Service): Promise<void> {
  const pid = managedPid(service)
  if (pid === undefined) {
    console.log(`${service.name}: nothing to stop`)
    return
  }
  await stopProcess(pid, 20_000)
  removePidFile(service.pidFile)
  console.log(`${service.name}: stopped (pid ${pid})`)
}
