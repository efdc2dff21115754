// Apache Kafka Connect (distributed mode) from Maven Central, for benchmarks that compare our worker with it.
// The runtime's classpath comes from scripts/kafka-connect/pom.xml, the MQTT source and sink plugin's jars from
// scripts/kafka-connect/mqtt-plugin/pom.xml; both are cached under the git-ignored .cache/kafka-connect/ and the jars
// themselves stay in ~/.m2.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { findExecutable } from '../infra/executables.ts'
import { requireJava } from '../infra/kafka-classpath.ts'
import { lastLines } from '../infra/logs.ts'
import { cachePath, projectRoot } from '../infra/paths.ts'
import { isAlive, spawnLogged, stopProcess } from '../infra/processes.ts'
import { sleep } from '../infra/wait.ts'
import { log4j2ConsoleConfig } from '../infra/log4j.ts'

const execFileAsync = promisify(execFile)

const runtimePom = join(projectRoot, 'scripts', 'kafka-connect', 'pom.xml')
const pluginPom = join(projectRoot, 'scripts', 'kafka-connect', 'mqtt-plugin', 'pom.xml')
const classpathFile = cachePath('kafka-connect', 'classpath.txt')
/** plugin.path points at this folder; each subfolder is one isolated plugin. */
export const pluginsDir: string = cachePath('kafka-connect', 'plugins')
const mqttPluginDir = join(pluginsDir, 'camel-paho-mqtt5')
const completeMarker = '.complete'
const stopGraceMs = 30_000

/**
 * The connector the benchmark runs on Apache Kafka Connect: Camel Kafka Connector's generic source connector with
 * the Camel Paho MQTT 5 component (see mqtt-plugin/pom.xml for why this one).
 */
export const camelMqttSourceConnectorClass = 'org.apache.camel.kafkaconnector.CamelSourceConnector'

/**
 * Connector config for the Camel MQTT source: `mqttTopicFilter` at `qos` into Kafka topic `kafkaTopic`, otherwise
 * Camel's defaults. Mind that Paho acknowledges each message as soon as Camel's in-memory SEDA queue (1,000 deep, in
 * front of a 1,000-deep polling queue) takes it, and that a full queue throws "Queue full" and drops the message:
 * under a burst faster than the task drains, this connector loses messages even at QoS 1. The queue is created before
 * Camel applies `camel.component.seda.*` properties, so no connector setting makes it block instead.
 */
export function camelMqttSourceConfig(options: {
  brokerUrl: string
  mqttTopicFilter: string
  qos: 0 | 1 | 2
  kafkaTopic: string
  clientId: string
}): Record<string, string> {
  return {
    'connector.class': camelMqttSourceConnectorClass,
    'tasks.max': '1',
    'camel.source.url': pahoEndpoint(options.mqttTopicFilter, options),
    topics: options.kafkaTopic,
    // The MQTT topic as the record key, as our MQTT source and Confluent's key their records.
    'camel.source.camelMessageHeaderKey': 'CamelMqttTopic',
  }
}

/** The sink the benchmark runs on Apache Kafka Connect: Camel Kafka Connector's generic sink, same plugin folder. */
export const camelMqttSinkConnectorClass = 'org.apache.camel.kafkaconnector.CamelSinkConnector'

/**
 * Connector config for the Camel MQTT sink: records of `kafkaTopic` published to the MQTT topic `mqttTopic` at `qos`
 * through camel-paho-mqtt5's producer (`paho-mqtt5:<topic>?brokerUrl=…&qos=…&clientId=…`, the option names of
 * camel-paho-mqtt5 3.11.1), ByteArrayConverter keys and values, otherwise Camel's defaults. The task hands each
 * record to Camel one at a time and Paho's producer waits for the publish to complete (PUBACK at QoS 1) before the
 * next; Connect commits the consumer offsets on its own schedule (offset.flush.interval.ms).
 */
export function camelMqttSinkConfig(options: {
  brokerUrl: string
  mqttTopic: string
  qos: 0 | 1 | 2
  kafkaTopic: string
  clientId: string
}): Record<string, string> {
  return {
    'connector.class': camelMqttSinkConnectorClass,
    'tasks.max': '1',
    'camel.sink.url': pahoEndpoint(options.mqttTopic, options),
    topics: options.kafkaTopic,
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  }
}

/** A camel-paho-mqtt5 endpoint URI; paho wants tcp:// where our infra hands out mqtt://. */
const pahoEndpoint = (topic: string, { brokerUrl, qos, clientId }: { brokerUrl: string; qos: 0 | 1 | 2; clientId: string }): string => {
  const query = new URLSearchParams({ brokerUrl: brokerUrl.replace(/^mqtt:\/\//, 'tcp://'), qos: String(qos), clientId })
  return `paho-mqtt5:${topic}?${query.toString()}`
}

async function maven(args: readonly string[], what: string): Promise<void> {
  const mvn = findExecutable('mvn')
  if (mvn === undefined) throw new Error('mvn is not on PATH; install it with: apt-get install -y openjdk-17-jre-headless maven')
  process.stderr.write(`Resolving ${what} with Maven (slow only the first time)...\n`)
  try {
    await execFileAsync(mvn, ['-q', '-B', '-Dstyle.color=never', ...args], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 })
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n')
    throw new Error(`Maven could not resolve ${what}:\n${output}`)
  }
}

const newerThan = (file: string, reference: string): boolean => statSync(file).mtimeMs >= statSync(reference).mtimeMs

/** Classpath of Kafka Connect's runtime; Maven runs only when the cache is missing, stale or names a missing jar. */
export async function resolveConnectClasspath(): Promise<string> {
  requireJava()
  if (existsSync(classpathFile) && newerThan(classpathFile, runtimePom)) {
    const cached = readFileSync(classpathFile, 'utf8').trim()
    if (cached !== '' && cached.split(':').every((jar) => existsSync(jar))) return cached
  }
  mkdirSync(dirname(classpathFile), { recursive: true })
  // Written aside and renamed so a concurrent reader never sees half a classpath.
  const partial = `${classpathFile}.${process.pid}.tmp`
  try {
    await maven(['-f', runtimePom, 'dependency:build-classpath', `-Dmdep.outputFile=${partial}`], 'the Kafka Connect runtime')
    renameSync(partial, classpathFile)
  } finally {
    rmSync(partial, { force: true })
  }
  return readFileSync(classpathFile, 'utf8').trim()
}

/** Copies the MQTT source and sink plugin's jars into its plugin folder (once per pom change); returns the plugin.path folder. */
export async function resolveMqttPlugin(): Promise<string> {
  const marker = join(mqttPluginDir, completeMarker)
  if (existsSync(marker) && newerThan(marker, pluginPom) && readdirSync(mqttPluginDir).some((file) => file.endsWith('.jar'))) {
    return pluginsDir
  }
  const partial = `${mqttPluginDir}.${process.pid}.tmp`
  rmSync(partial, { recursive: true, force: true })
  try {
    await maven(
      ['-f', pluginPom, 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`, '-DincludeScope=runtime'],
      'the Camel Paho MQTT 5 source and sink plugin',
    )
    writeFileSync(join(partial, completeMarker), `${new Date().toISOString()}\n`)
    rmSync(mqttPluginDir, { recursive: true, force: true })
    renameSync(partial, mqttPluginDir)
  } finally {
    rmSync(partial, { recursive: true, force: true })
  }
  return pluginsDir
}

export interface KafkaConnectOptions {
  bootstrapServers: string
  restPort: number
  groupId: string
  /** The three internal topics are `<prefix>-configs`, `<prefix>-offsets` and `<prefix>-status`. */
  internalTopicPrefix: string
  /** Holds worker.properties and log4j2.yaml. */
  workDir: string
  logFile: string
  pluginPath: string
  /** Extra worker.properties lines (key=value), after the defaults. */
  extraWorkerProperties?: readonly string[]
  /** JVM options; default: what bin/connect-distributed.sh and kafka-run-class.sh use. */
  jvmOptions?: readonly string[]
}

export interface RunningKafkaConnect {
  pid: number
  restUrl: string
  /** performance.now() just before the JVM was spawned (after Maven and the config files). */
  spawnedAt: number
  stop(): Promise<void>
}

/** kafka-run-class.sh's KAFKA_JVM_PERFORMANCE_OPTS and connect-distributed.sh's KAFKA_HEAP_OPTS. */
export const defaultConnectJvmOptions: readonly string[] = [
  '-Xms256M',
  '-Xmx2G',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-Djava.awt.headless=true',
]

function writeConfig(options: KafkaConnectOptions): { workerProperties: string; log4jConfig: string } {
  mkdirSync(options.workDir, { recursive: true })
  const workerProperties = join(options.workDir, 'worker.properties')
  const log4jConfig = join(options.workDir, 'log4j2.yaml')
  writeFileSync(
    workerProperties,
    [
      `bootstrap.servers=${options.bootstrapServers}`,
      `group.id=${options.groupId}`,
      `listeners=http://127.0.0.1:${options.restPort}`,
      'rest.advertised.host.name=127.0.0.1',
      `config.storage.topic=${options.internalTopicPrefix}-configs`,
      `offset.storage.topic=${options.internalTopicPrefix}-offsets`,
      `status.storage.topic=${options.internalTopicPrefix}-status`,
      // Single broker.
      'config.storage.replication.factor=1',
      'offset.storage.replication.factor=1',
      'status.storage.replication.factor=1',
      // The same defaults as our worker: MQTT topic as a string key, payload bytes unchanged.
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.converters.ByteArrayConverter',
      `plugin.path=${options.pluginPath}`,
      ...(options.extraWorkerProperties ?? []),
      '',
    ].join('\n'),
  )
  // WARN keeps the log small; Connect's "Kafka Connect started" line stays for whoever reads the log.
  writeFileSync(log4jConfig, log4j2ConsoleConfig('org.apache.kafka.connect.runtime.Connect'))
  return { workerProperties, log4jConfig }
}

/**
 * Spawns `java -cp <Connect runtime> org.apache.kafka.connect.cli.ConnectDistributed worker.properties` and resolves
 * as soon as the process exists; wait for its REST API with `waitForRest`. The process dies with this one.
 */
export async function startKafkaConnect(options: KafkaConnectOptions): Promise<RunningKafkaConnect> {
  const classpath = await resolveConnectClasspath()
  const java = requireJava()
  mkdirSync(dirname(options.logFile), { recursive: true })
  const { workerProperties, log4jConfig } = writeConfig(options)
  const spawnedAt = performance.now()
  const pid = await spawnLogged({
    command: java,
    args: [
      ...(options.jvmOptions ?? defaultConnectJvmOptions),
      `-Dlog4j2.configurationFile=${log4jConfig}`,
      '-cp',
      classpath,
      'org.apache.kafka.connect.cli.ConnectDistributed',
      workerProperties,
    ],
    logFile: options.logFile,
    detached: false,
    cwd: options.workDir,
  })
  return { pid, restUrl: `http://127.0.0.1:${options.restPort}`, spawnedAt, stop: () => stopProcess(pid, stopGraceMs) }
}

/**
 * Polls `GET <restUrl>/` every `intervalMs` until it answers 200; throws when `pid` exits first or `timeoutMs` passes.
 * Used for both workers, so their cold starts are measured the same way.
 */
export async function waitForRest(
  restUrl: string,
  pid: number,
  { timeoutMs, intervalMs = 25, logFile }: { timeoutMs: number; intervalMs?: number; logFile?: string },
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const ok = await fetch(`${restUrl}/`).then(
      (response) => response.status === 200,
      () => false,
    )
    if (ok) return
    const tail = logFile === undefined ? '' : ` Last log lines:\n${lastLines(logFile, 20)}`
    if (!isAlive(pid)) throw new Error(`worker ${pid} exited before ${restUrl}/ answered.${tail}`)
    if (performance.now() > deadline) throw new Error(`${restUrl}/ did not answer 200 within ${timeoutMs / 1000} s.${tail}`)
    await sleep(intervalMs)
  }
}
