import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { waitFor } from './wait.ts'

export interface SpawnLoggedOptions {
  command: string
  args: readonly string[]
  /** stdout and stderr are appended here, so nothing ties the child to this process's pipes. */
  logFile: string
  /** Detached children get their own session and outlive this process; attached ones are killed when it exits. */
  detached: boolean
  cwd?: string
}

// Attached children are unref'd so a forgotten one cannot keep a test process alive;
// this set lets the exit hook kill them instead of leaving orphans behind.
const attachedPids = new Set<number>()

function killAttachedOnExit(): void {
  for (const pid of attachedPids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

const fatalSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

// A signal that kills this process skips 'exit' listeners. When nobody else handles the signal,
// kill the children here and raise it again to keep Node's default "die by signal"; when someone
// does, they decide how to exit and the 'exit' listener takes care of the children.
function killAttachedOnSignal(signal: NodeJS.Signals): void {
  // Prepended, so this runs before any once-listener has removed itself and the count is honest.
  if (process.listenerCount(signal) > 1) return
  killAttachedOnExit()
  process.removeListener(signal, killAttachedOnSignal)
  process.kill(process.pid, signal)
}

let exitHooksInstalled = false

function installExitHooks(): void {
  if (exitHooksInstalled) return
  exitHooksInstalled = true
  process.on('exit', killAttachedOnExit)
  for (const signal of fatalSignals) process.prependListener(signal, killAttachedOnSignal)
}

/** Starts a long-running process with its output going to `logFile`; resolves to its pid once it exists. */
export async function spawnLogged(options: SpawnLoggedOptions): Promise<number> {
  if (!options.detached) installExitHooks()
  const log = openSync(options.logFile, 'a')
  let child: ChildProcess
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      detached: options.detached,
      stdio: ['ignore', log, log],
    })
  } finally {
    // spawn() has already handed the child its own copy of the descriptor.
    closeSync(log)
  }
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('error', reject)
    child.once('spawn', () => {
      if (child.pid === undefined) reject(new Error(`${options.command} started without a pid`))
      else resolve(child.pid)
    })
  })
  child.unref()
  if (!options.detached) {
    attachedPids.add(pid)
    child.once('exit', () => attachedPids.delete(pid))
  }
  return pid
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return false
  }
}

/** True while `pid` is a running process (an unreaped zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return !isZombie(pid)
}

/** Executable name of `pid` (e.g. "java"), or undefined when it cannot be read. */
export function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    try {
      const name = execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim()
      return name === '' ? undefined : name.split('/').pop()
    } catch {
      return undefined
    }
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

/** SIGTERM, wait up to `graceMs` for a clean exit, then SIGKILL. Resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs: number): Promise<void> {
  if (isAlive(pid)) {
    signal(pid, 'SIGTERM')
    if (!(await waitFor(() => !isAlive(pid), { timeoutMs: graceMs, intervalMs: 100 }))) {
      signal(pid, 'SIGKILL')
      if (!(await waitFor(() => !isAlive(pid), { timeoutMs: 5000, intervalMs: 100 }))) {
        throw new Error(`process ${pid} is still alive after SIGKILL`)
      }
    }
  }
  attachedPids.delete(pid)
}
