import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { join } from 'node:path'
import { projectRoot } from '../../scripts/infra/paths.ts'
import { findFreePort } from '../../scripts/infra/ports.ts'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from './kafka.ts'

export interface WorkerProcess {
  readonly url: string
  readonly topics: { readonly config: string; readonly offsets: string; readonly status: string }
  /** Everything the worker wrote to stderr so far: its JSON log lines. */
  log(): string
  /** Starts the process (again), with the same config, and waits until the REST API answers. */
  start(): Promise<void>
  /** Sends `signal` and waits for the process to exit; resolves to its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/**
 * A real worker process (`app/main.ts` under tsx), configured through CONNECT_* variables with internal topics and a
 * group of its own so that test files never see each other's connectors.
 */
export const createWorkerProcess = async (overrides: Readonly<Record<string, string>> = {}): Promise<WorkerProcess> => {
  const port = await findFreePort()
  const suffix = randomUUID().slice(0, 8)
  const topics = { config: `connect-configs-${suffix}`, offsets: `connect-offsets-${suffix}`, status: `connect-status-${suffix}` }
  const settings: Record<string, string> = {
    'bootstrap.servers': kafkaBootstrapServers(),
    'group.id': `test-${suffix}`,
    'rest.host.name': '127.0.0.1',
    'rest.port': String(port),
    'config.storage.topic': topics.config,
    'offset.storage.topic': topics.offsets,
    'status.storage.topic': topics.status,
    'offset.storage.partitions': '3',
    'offset.flush.interval.ms': '1000',
    ...overrides,
  }
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const [key, value] of Object.entries(settings)) env[`CONNECT_${key.toUpperCase().replaceAll('.', '_')}`] = value
  const url = `http://127.0.0.1:${port}`
  let child: ChildProcess | null = null
  let output = ''

  const start = async (): Promise<void> => {
    if (child !== null) return
    const started = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'app/main.ts')], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    child = started
    // A test process that dies must not leave its worker behind.
    process.once('exit', () => started.kill('SIGKILL'))
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    const ready = await waitFor(
      async () => {
        if (started.exitCode !== null) throw new Error(`worker exited with ${started.exitCode}:\n${output}`)
        return fetch(`${url}/health`).then(
          (response) => response.ok,
          () => false,
        )
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    )
    if (!ready) throw new Error(`worker did not answer on ${url} within 60 s:\n${output}`)
  }

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    const running = child
    child = null
    if (running === null || running.exitCode !== null) return running?.exitCode ?? null
    const exited = once(running, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    running.kill(signal)
    // The worker gives itself 60 s to shut down; past that a test must not hang on it.
    const killer = setTimeout(() => running.kill('SIGKILL'), 75_000)
    const [code] = await exited
    clearTimeout(killer)
    return code
  }

  await start()
  return { url, topics, log: () => output, start, stop }
}
