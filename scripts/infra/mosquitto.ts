import { mkdirSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import { findExecutable } from './executables.ts'
import { fileSize, lastLines } from './logs.ts'
import { isListening } from './ports.ts'
import { isAlive, spawnLogged, stopProcess } from './processes.ts'
import { waitFor } from './wait.ts'

const host = '127.0.0.1'
const readyTimeoutMs = 15_000
const stopGraceMs = 10_000

export interface MosquittoOptions {
  port: number
  /** Holds mosquitto.conf and the persistence file; reusing it keeps retained messages and sessions. */
  dataDir: string
  logFile: string
  /** true: the broker outlives this process (infra up); false: it is killed when this process exits (tests). */
  detached: boolean
  /** Further mosquitto.conf lines, appended after the defaults. */
  extraConfig?: readonly string[]
  /** Called with the broker's pid as soon as it runs, before it is ready: lets a caller stop a start cut short. */
  onSpawn?: (pid: number) => void
}

export interface RunningMosquitto {
  url: string
  port: number
  pid: number
  stop(): Promise<void>
}

/** The mosquitto executable, or undefined when it is not installed. */
export function findMosquittoBinary(): string | undefined {
  return findExecutable('mosquitto', ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'])
}

export function findMosquitto(): string {
  const binary = findMosquittoBinary()
  if (binary === undefined) {
    throw new Error('mosquitto is not installed; install it with: apt-get install -y mosquitto mosquitto-clients')
  }
  return binary
}

function writeConfig({ port, dataDir, extraConfig = [] }: MosquittoOptions): string {
  const configFile = join(dataDir, 'mosquitto.conf')
  writeFileSync(
    configFile,
    [
      `listener ${port} ${host}`,
      'allow_anonymous true',
      // Started as root, mosquitto would switch to the "mosquitto" user, which cannot write our data dir.
      `user ${userInfo().username}`,
      'persistence true',
      `persistence_location ${dataDir}/`,
      // Generous limits: throughput tests publish bursts far beyond the defaults (20 in flight, 1000 queued).
      'max_inflight_messages 1000',
      'max_queued_messages 200000',
      'max_queued_bytes 0',
      // Save every second so a stop/restart in fault tests loses as little as possible.
      'autosave_interval 1',
      // stdout goes to the log file, which then also catches errors printed before the config is read.
      'log_dest stdout',
      // Without "information", the once-a-second autosave does not flood the log; connects are "notice".
      'log_type error',
      'log_type warning',
      'log_type notice',
      ...extraConfig,
      '',
    ].join('\n'),
  )
  return configFile
}

/** Starts Mosquitto on 127.0.0.1:`port` and resolves once it accepts connections. */
export async function startMosquitto(options: MosquittoOptions): Promise<RunningMosquitto> {
  const binary = findMosquitto()
  mkdirSync(options.dataDir, { recursive: true })
  mkdirSync(dirname(options.logFile), { recursive: true })
  const configFile = writeConfig(options)
  const logOffset = fileSize(options.logFile)
  const pid = await spawnLogged({ command: binary, args: ['-c', configFile], logFile: options.logFile, detached: options.detached })
  options.onSpawn?.(pid)

  const ready = await waitFor(async () => !isAlive(pid) || (await isListening(host, options.port)), {
    timeoutMs: readyTimeoutMs,
    intervalMs: 50,
  })
  if (!ready || !isAlive(pid)) {
    await stopProcess(pid, stopGraceMs)
    const what = ready ? 'exited during startup' : `did not listen on ${host}:${options.port} within ${readyTimeoutMs / 1000} s`
    throw new Error(`Mosquitto ${what} (log: ${options.logFile}). Last log lines:\n${lastLines(options.logFile, 20, logOffset)}`)
  }
  return {
    url: `mqtt://${host}:${options.port}`,
    port: options.port,
    pid,
    stop: () => stopProcess(pid, stopGraceMs),
  }
}
