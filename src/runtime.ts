import type { WorkerConfig } from './config/worker-config.ts'
import { StandaloneHerder } from './herder/standalone-herder.ts'
import { connectKafka, type LogEntry } from './kafka/kafka-client.ts'
import type { Logger } from './logger.ts'
import { mergeRegistries, type PluginRegistry } from './plugins/registry.ts'
import { loadUserPlugins } from './plugins/user-plugins.ts'
import { PACKAGE_VERSION } from './package-info.ts'
import { closeRestApp, createRestApp } from './rest/app.ts'
import { ConfigStore } from './storage/config-store.ts'
import { OffsetStore } from './storage/offset-store.ts'
import type { LogWriter } from './storage/log-writer.ts'
import { StatusStore } from './storage/status-store.ts'
import { Worker } from './worker/worker.ts'

export interface RunningWorker {
  /** Where the REST API listens, e.g. http://127.0.0.1:8083. */
  readonly url: string
  /** Stops tasks (flushing offsets), then the REST API, then the Kafka clients, in reverse order of starting. */
  stop(): Promise<void>
}

/** How long requests in progress may take to finish once the worker is told to stop. */
const REST_CLOSE_GRACE_MS = 2_000

/**
 * Starts a worker: creates the internal topics when missing, reads them back, resumes every stored connector in
 * its target state, then opens the REST API.
 */
export const startWorker = async (config: WorkerConfig, logger: Logger, builtinPlugins: PluginRegistry): Promise<RunningWorker> => {
  const registry = mergeRegistries(builtinPlugins, ...(await loadUserPlugins(config['plugin.path'])))
  const kafka = connectKafka({ bootstrapServers: config['bootstrap.servers'], clientId: `${config['group.id']}-worker`, logger })
  const topics = {
    config: config['config.storage.topic'],
    offsets: config['offset.storage.topic'],
    status: config['status.storage.topic'],
  }
  await kafka.ensureCompactedTopics([
    { topic: topics.config, partitions: 1, replicationFactor: config['config.storage.replication.factor'] },
    { topic: topics.offsets, partitions: config['offset.storage.partitions'], replicationFactor: config['offset.storage.replication.factor'] },
    { topic: topics.status, partitions: config['status.storage.partitions'], replicationFactor: config['status.storage.replication.factor'] },
  ])
  const kafkaClusterId = await kafka.clusterId()

  // The stores write through the log and learn its contents from it: a writer that forwards to the log breaks the cycle.
  const writer: LogWriter = { write: (topic, entries, readBack) => log.write(topic, entries, readBack) }
  const configs = new ConfigStore(topics.config, writer)
  const offsets = new OffsetStore(topics.offsets, writer)
  const statuses = new StatusStore(topics.status, writer)
  const storeOf: Readonly<Record<string, { apply(entry: LogEntry): void }>> = {
    [topics.config]: configs,
    [topics.offsets]: offsets,
    [topics.status]: statuses,
  }
  const log = kafka.internalTopicsLog([topics.config, topics.offsets, topics.status], config['group.id'], (entry) => storeOf[entry.topic]?.apply(entry), logger)
  await log.start()

  const worker = new Worker({ kafka, registry, config, offsets, statuses, logger })
  const herder = new StandaloneHerder({ configs, statuses, offsets, worker, registry, logger })

  // REST opens before the stored connectors resume, and they resume in the background: whatever one of them does,
  // the worker answers, and /health says when it has finished starting.
  let resumed = false
  const rest = createRestApp(herder, { version: PACKAGE_VERSION, commit: process.env.GIT_COMMIT ?? 'unknown', kafkaClusterId }, () => resumed)
  const address = await rest.listen({ host: config.restHost, port: config.restPort })
  const url = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1')
  logger.info('worker started', { rest: url, workerId: config.workerId, groupId: config['group.id'], kafkaClusterId })
  const resuming = herder
    .start()
    .then(
      () => logger.info('stored connectors resumed', { connectors: herder.connectorNames().length }),
      (error: unknown) => logger.error('resuming the stored connectors failed', { error }),
    )
    .finally(() => (resumed = true))

  return {
    url,
    stop: async () => {
      await closeRestApp(rest, REST_CLOSE_GRACE_MS)
      await resuming
      await herder.stop()
      await log.stop()
      logger.info('worker stopped')
    },
  }
}
