import { USAGE, UsageError, packageVersion, parseArguments, type CliCommand } from '../src/cli.ts'
import { loadWorkerConfig, WorkerConfigError } from '../src/config/worker-config.ts'
import { createLogger } from '../src/logger.ts'
import { startWorker } from '../src/runtime.ts'
import { hashPasswordLine, passwordFromStdin } from '../src/rest/auth/password-hash.ts'
import { builtinPlugins } from './builtin-plugins.ts'

/**
 * `mqtt-kafka-connect worker [worker.properties]`: runs a worker until SIGTERM or SIGINT, then stops its tasks,
 * flushes producers, commits offsets and exits 0.
 */
const SHUTDOWN_TIMEOUT_MS = 60_000

const main = async (args: readonly string[]): Promise<void> => {
  let command: CliCommand
  try {
    command = parseArguments(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`mqtt-kafka-connect: ${error.message}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  if (command.command === 'hash-password') {
    process.stdout.write(`${await hashPasswordLine(command.user, await passwordFromStdin())}\n`)
    return
  }
  if (command.command !== 'worker') {
    process.stdout.write(command.command === 'help' ? USAGE : `${packageVersion()}\n`)
    return
  }
  const config = await loadWorkerConfig(command.configFile)
  const logger = createLogger(config['log.level'], { format: config['log.format'] })
  const worker = await startWorker(config, logger, builtinPlugins)

  let stopping = false
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', { signal })
    // Whatever hangs, the process must end: a supervisor waiting on it would otherwise wait forever.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting anyway', { timeoutMs: SHUTDOWN_TIMEOUT_MS })
      process.exit(1)
    }, SHUTDOWN_TIMEOUT_MS).unref()
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error })
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof WorkerConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
