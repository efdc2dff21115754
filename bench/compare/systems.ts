// The two workers under test, behind one shape: start a process, name its internal topics, configure an MQTT source.
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../../scripts/infra/paths.ts'
import { isAlive, stopProcess } from '../../scripts/infra/processes.ts'
import { camelMqttSinkConfig, camelMqttSourceConfig, resolveConnectClasspath, resolveMqttPlugin, startKafkaConnect } from '../../scripts/kafka-connect/connect.ts'
import type { Qos } from './scenarios.ts'

export type SystemId = 'ours' | 'apache'

/** A worker process that was just spawned; its REST API may not answer yet. */
export interface StartedWorker {
  readonly pid: number
  readonly restUrl: string
  /** performance.now() just before the spawn: cold start is measured from here. */
  readonly spawnedAt: number
  readonly logFile: string
  /** SIGTERM, a grace period for a clean exit (ours writes its CPU profile then), then SIGKILL. */
  stop(): Promise<void>
}

export interface WorkerStartContext {
  readonly bootstrapServers: string
  readonly restPort: number
  /** Unique per worker process: names its group and internal topics. */
  readonly workerId: string
  /** Scratch folder of this worker process (config and log). */
  readonly dir: string
  /** Ours only: write a V8 CPU profile into this folder when the process exits. */
  readonly cpuProfileDir?: string
}

/** Where an MQTT sink connector reads (`kafkaTopic`) and publishes (`mqttTopic`, a constant topic). */
export interface MqttSinkTarget {
  readonly mqttUrl: string
  readonly mqttTopic: string
  readonly qos: Qos
  readonly kafkaTopic: string
  readonly clientId: string
}

export interface MqttSourceTarget {
  readonly mqttUrl: string
  readonly mqttTopic: string
  readonly qos: Qos
  readonly kafkaTopic: string
  readonly clientId: string
  readonly payloadBytes: number
}

export interface WorkerSystem {
  readonly id: SystemId
  readonly label: string
  /** Resolves jars and plugins ahead of time, so no cold start pays for Maven. */
  prepare(): Promise<void>
  start(context: WorkerStartContext): Promise<StartedWorker>
  internalTopics(workerId: string): string[]
  mqttSourceConfig(target: MqttSourceTarget): Record<string, string>
  mqttSinkConfig(target: MqttSinkTarget): Record<string, string>
}

const stopGraceMs = 30_000
const internalTopicNames = (workerId: string): string[] => ['configs', 'offsets', 'status'].map((kind) => `${workerId}-${kind}`)

// Worker processes die with the benchmark, even when it is interrupted.
const livePids = new Set<number>()
process.on('exit', () => {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})

const runsSources = (cpuProfileDir: string | undefined): boolean => cpuProfileDir !== undefined || process.env.BENCH_OURS_TSX === '1'

/**
 * Our worker: `node dist/app/main.js` (built by `prepare`), or `node [--cpu-prof] --import tsx app/main.ts`,
 * configured through CONNECT_* variables.
 */
export const ours: WorkerSystem = {
  id: 'ours',
  label: 'ours (Node.js)',
  prepare: async () => {
    if (process.env.BENCH_OURS_TSX === '1') return
    // Outside every timed section, as Maven is for Apache Kafka Connect.
    const build = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`)
  },
  start: async ({ bootstrapServers, restPort, workerId, dir, cpuProfileDir }) => {
    mkdirSync(dir, { recursive: true })
    const logFile = join(dir, 'worker.log')
    const [configs, offsets, status] = internalTopicNames(workerId)
    // Only the variables set here configure the worker, whatever the caller's environment holds.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CONNECT_')))
    const profileArgs = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`]
    // Node flags for our worker alone (a GC trace, a heap setting under test), not for the bench or load generator.
    const extraNodeFlags = (process.env.BENCH_OURS_NODE_FLAGS ?? '').split(/\s+/).filter((flag) => flag !== '')
    const log = openSync(logFile, 'a')
    const spawnedAt = performance.now()
    // The compiled worker, as the package and the image run it (no tsx loader thread, no transpiled sources held in
    // memory); the sources through tsx for a profile, whose frames then name them, or with BENCH_OURS_TSX=1.
    const entry = runsSources(cpuProfileDir) ? ['--import', 'tsx', 'app/main.ts'] : ['dist/app/main.js']
    const child = spawn(process.execPath, [...extraNodeFlags, ...profileArgs, ...entry], {
      cwd: projectRoot,
      stdio: ['ignore', log, log],
      env: {
        ...env,
        CONNECT_BOOTSTRAP_SERVERS: bootstrapServers,
        CONNECT_LISTENERS: `http://127.0.0.1:${restPort}`,
        CONNECT_GROUP_ID: workerId,
        CONNECT_CONFIG_STORAGE_TOPIC: configs,
        CONNECT_OFFSET_STORAGE_TOPIC: offsets,
        CONNECT_STATUS_STORAGE_TOPIC: status,
        // As Apache Kafka Connect's log4j2 root level in scripts/kafka-connect/connect.ts.
        CONNECT_LOG_LEVEL: 'warn',
      },
    })
    closeSync(log)
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject)
      child.once('spawn', () => resolve(child.pid!))
    })
    livePids.add(pid)
    child.once('exit', () => livePids.delete(pid))
    return {
      pid,
      restUrl: `http://127.0.0.1:${restPort}`,
      spawnedAt,
      logFile,
      stop: async () => {
        if (isAlive(pid)) await stopProcess(pid, stopGraceMs)
      },
    }
  },
  internalTopics: internalTopicNames,
  mqttSourceConfig: ({ mqttUrl, mqttTopic, qos, kafkaTopic, clientId }) => ({
    'connector.class': 'MqttSource',
    'mqtt.server.uri': mqttUrl,
    'mqtt.topics': mqttTopic,
    'mqtt.qos': String(qos),
    'kafka.topic': kafkaTopic,
    'mqtt.client.id': clientId,
  }),
  // The sink's defaults otherwise: up to 1,000 publishes in flight (mqtt.max.in.flight), offsets committed after PUBACK.
  mqttSinkConfig: ({ mqttUrl, mqttTopic, qos, kafkaTopic, clientId }) => ({
    'connector.class': 'MqttSink',
    topics: kafkaTopic,
    'mqtt.server.uri': mqttUrl,
    'mqtt.topic': mqttTopic,
    'mqtt.qos': String(qos),
    'mqtt.client.id': clientId,
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  }),
}

/** Apache Kafka Connect 4.3.1, distributed mode, with the Camel Paho MQTT 5 source and sink (scripts/kafka-connect/). */
export const apacheConnect: WorkerSystem = {
  id: 'apache',
  label: 'Apache Kafka Connect + Camel Paho MQTT 5',
  prepare: async () => {
    await resolveConnectClasspath()
    await resolveMqttPlugin()
  },
  start: async ({ bootstrapServers, restPort, workerId, dir }) => {
    const logFile = join(dir, 'connect.log')
    const connect = await startKafkaConnect({
      bootstrapServers,
      restPort,
      groupId: workerId,
      internalTopicPrefix: workerId,
      workDir: dir,
      logFile,
      pluginPath: await resolveMqttPlugin(),
    })
    return { pid: connect.pid, restUrl: connect.restUrl, spawnedAt: connect.spawnedAt, logFile, stop: () => connect.stop() }
  },
  internalTopics: internalTopicNames,
  mqttSourceConfig: ({ mqttUrl, mqttTopic, qos, kafkaTopic, clientId }) =>
    camelMqttSourceConfig({ brokerUrl: mqttUrl, mqttTopicFilter: mqttTopic, qos, kafkaTopic, clientId }),
  mqttSinkConfig: ({ mqttUrl, mqttTopic, qos, kafkaTopic, clientId }) =>
    camelMqttSinkConfig({ brokerUrl: mqttUrl, mqttTopic, qos, kafkaTopic, clientId }),
}

export const systems: readonly WorkerSystem[] = [ours, apacheConnect]
