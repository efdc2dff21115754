import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { requireJava, resolveKafkaClasspath } from './kafka-classpath.ts'
import { fileSize, lastLines, readSince } from './logs.ts'
import { isListening } from './ports.ts'
import { isAlive, spawnLogged, stopProcess } from './processes.ts'
import { waitFor } from './wait.ts'
import { log4j2ConsoleConfig } from './log4j.ts'

export { resolveKafkaClasspath } from './kafka-classpath.ts'

const execFileAsync = promisify(execFile)

const host = '127.0.0.1'
const readyTimeoutMs = 90_000
const stopGraceMs = 20_000
const startedMessage = 'Kafka Server started'

export interface KafkaOptions {
  port: number
  controllerPort: number
  /** Holds the generated config files and, under `log/`, the broker's data. Reused data is not reformatted. */
  dataDir: string
  logFile: string
  /** true: the broker outlives this process (infra up); false: it is killed when this process exits (tests). */
  detached: boolean
  /** Called with the broker's pid as soon as it runs, before it is ready: lets a caller stop a start cut short. */
  onSpawn?: (pid: number) => void
  /** Listeners beside PLAINTEXT, each on 127.0.0.1 and named after its protocol (SASL_SSL, SSL): the secured test broker's. */
  extraListeners?: readonly { readonly protocol: 'SSL' | 'SASL_SSL' | 'SASL_PLAINTEXT'; readonly port: number }[]
  /** More broker properties, such as `listener.name.sasl_ssl.*`. */
  extraProperties?: Readonly<Record<string, string>>
  /** More `kafka-storage format` arguments, such as `--add-scram`, used only when the storage is formatted. */
  formatArguments?: readonly string[]
}

export interface RunningKafka {
  bootstrapServers: string
  pid: number
  stop(): Promise<void>
}

interface KafkaFiles {
  serverProperties: string
  log4jConfig: string
  logDir: string
}

function writeConfig({ port, controllerPort, dataDir, extraListeners = [], extraProperties = {} }: KafkaOptions): KafkaFiles {
  // Broker data lives in a subfolder so Kafka never scans our config files as log segments.
  const logDir = join(dataDir, 'log')
  const serverProperties = join(dataDir, 'server.properties')
  const log4jConfig = join(dataDir, 'log4j2.yaml')
  mkdirSync(logDir, { recursive: true })
  writeFileSync(
    serverProperties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      // A static voter set, so storage is formatted without --standalone.
      `controller.quorum.voters=1@${host}:${controllerPort}`,
      `listeners=${[`PLAINTEXT://${host}:${port}`, `CONTROLLER://${host}:${controllerPort}`, ...extraListeners.map((l) => `${l.protocol}://${host}:${l.port}`)].join(',')}`,
      `advertised.listeners=${[`PLAINTEXT://${host}:${port}`, ...extraListeners.map((l) => `${l.protocol}://${host}:${l.port}`)].join(',')}`,
      'controller.listener.names=CONTROLLER',
      `listener.security.protocol.map=${['PLAINTEXT:PLAINTEXT', 'CONTROLLER:PLAINTEXT', ...extraListeners.map((l) => `${l.protocol}:${l.protocol}`)].join(',')}`,
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${logDir}`,
      // Single broker: internal topics cannot have more than one replica.
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      // Tests create consumer groups constantly; the default 3 s delay would slow every one of them.
      'group.initial.rebalance.delay.ms=0',
      'num.partitions=1',
      ...Object.entries(extraProperties).map(([key, value]) => `${key}=${value}`),
      '',
    ].join('\n'),
  )
  // WARN keeps the log readable; KafkaRaftServer at INFO prints the readiness line we wait for.
  writeFileSync(log4jConfig, log4j2ConsoleConfig('kafka.server.KafkaRaftServer'))
  return { serverProperties, log4jConfig, logDir }
}

/** Same format as Kafka's Uuid.randomUuid(); made here to spare a JVM start. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    // Kafka rejects ids that look like command-line flags.
    if (!id.startsWith('-')) return id
  }
}

async function formatStorage(java: string, classpath: string, files: KafkaFiles, formatArguments: readonly string[] = []): Promise<void> {
  const args = [
    `-Dlog4j2.configurationFile=${files.log4jConfig}`,
    '-cp',
    classpath,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    newClusterId(),
    '-c',
    files.serverProperties,
    ...formatArguments,
  ]
  try {
    await execFileAsync(java, args, { maxBuffer: 4 * 1024 * 1024 })
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    throw new Error(`formatting Kafka storage in ${files.logDir} failed:\n${`${stdout}\n${stderr}`.trim()}`)
  }
}

async function waitUntilReady(pid: number, options: KafkaOptions, logOffset: number): Promise<void> {
  let exited = false
  const ready = await waitFor(
    async () => {
      if (!isAlive(pid)) {
        exited = true
        return true
      }
      return readSince(options.logFile, logOffset).includes(startedMessage) && (await isListening(host, options.port))
    },
    { timeoutMs: readyTimeoutMs, intervalMs: 250 },
  )
  if (exited || !ready) {
    const what = exited ? 'exited during startup' : `did not become ready on ${host}:${options.port} within ${readyTimeoutMs / 1000} s`
    throw new Error(`Kafka ${what} (log: ${options.logFile}). Last log lines:\n${lastLines(options.logFile, 20, logOffset)}`)
  }
}

/** Starts a single-node KRaft broker+controller and resolves once it accepts clients. */
export async function startKafka(options: KafkaOptions): Promise<RunningKafka> {
  const classpath = await resolveKafkaClasspath()
  const java = requireJava()
  mkdirSync(dirname(options.logFile), { recursive: true })
  const files = writeConfig(options)
  if (!existsSync(join(files.logDir, 'meta.properties'))) await formatStorage(java, classpath, files, options.formatArguments)

  const logOffset = fileSize(options.logFile)
  const pid = await spawnLogged({
    command: java,
    args: [
      '-Xmx512m',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${files.log4jConfig}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      files.serverProperties,
    ],
    logFile: options.logFile,
    detached: options.detached,
    cwd: options.dataDir,
  })
  options.onSpawn?.(pid)
  try {
    await waitUntilReady(pid, options, logOffset)
  } catch (error) {
    await stopProcess(pid, stopGraceMs)
    throw error
  }
  return {
    bootstrapServers: `${host}:${options.port}`,
    pid,
    stop: () => stopProcess(pid, stopGraceMs),
  }
}
