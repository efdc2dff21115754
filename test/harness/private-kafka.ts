import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { startKafka, type RunningKafka } from '../../scripts/infra/kafka.ts'
import { findFreePorts } from '../../scripts/infra/ports.ts'
import { makeTestTempDir } from './temp.ts'

/**
 * A Kafka broker of one test file's own, for tests that stop and start Kafka: the broker the rest of the run shares
 * (KAFKA_BOOTSTRAP_SERVERS) must never go down.
 */
export interface PrivateKafka {
  readonly bootstrapServers: string
  /** Stops the broker (SIGTERM, as an operator would) but keeps its ports and data. */
  stop(): Promise<void>
  /** Starts it again on the same ports and data, resolving once it accepts clients; nothing while it runs. */
  start(): Promise<void>
  /** Stops it and deletes its data; call once in `after()`. */
  close(): Promise<void>
}

export const startPrivateKafka = async (): Promise<PrivateKafka> => {
  const [port, controllerPort] = await findFreePorts(2)
  if (port === undefined || controllerPort === undefined) throw new Error('no free ports for a private Kafka broker')
  const dataDir = await makeTestTempDir('kafka-')
  const options = { port, controllerPort, dataDir, logFile: join(dataDir, 'kafka.log'), detached: false }
  let running: RunningKafka | undefined
  const start = async (): Promise<void> => {
    running ??= await startKafka(options)
  }
  const stop = async (): Promise<void> => {
    const current = running
    running = undefined
    await current?.stop()
  }
  try {
    await start()
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
  return {
    bootstrapServers: `127.0.0.1:${port}`,
    stop,
    start,
    close: async () => {
      await stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
