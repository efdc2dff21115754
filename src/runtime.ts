import type { WorkerConfig } from './config/worker-config.ts'
import { DistributedHerder } from './herder/distributed-herder.ts'
import { ClusterMembership } from './herder/cluster-membership.ts'
import { offeredProtocols } from './config/cluster-config.ts'
import { WorkerGroupMember } from './cluster/worker-group-member.ts'
import { connectKafka, type LogEntry } from './kafka/kafka-client.ts'
import { unsecuredClientWarnings } from './config/kafka-client-config.ts'
import { asWorkerConfigErrors, clientOverrideContext, workerKafkaConnection } from './config/worker-kafka-clients.ts'
import type { Logger } from './logger.ts'
import { mergeRegistries, type PluginRegistry } from './plugins/registry.ts'
import { loadUserPlugins } from './plugins/user-plugins.ts'
import { PACKAGE_VERSION } from './package-info.ts'
import { createRestApp } from './rest/app.ts'
import { ConnectMetrics } from './metrics/connect-metrics.ts'
import { LOGGER_NAMES } from './logging/logger-names.ts'
import { parseLoggerLevel } from './logging/levels.ts'
import { restSecurityFrom } from './rest/auth/rest-security.ts'
import { startRestListeners } from './rest/listeners.ts'
import { redactingLogger, redactorOf, secretValuesOf } from './config/redact.ts'
import { unusedWorkerKeys, unusedWorkerKeysWarning } from './config/unused-worker-keys.ts'
import { workerConfigSchema } from './config/worker-config.ts'
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
export const startWorker = async (config: WorkerConfig, unredactedLogger: Logger, builtinPlugins: PluginRegistry): Promise<RunningWorker> => {
  // Every line the worker writes passes through this: the worker's own secrets and URI credentials never reach the log.
  const logger = redactingLogger(unredactedLogger, redactorOf([...config.secrets, ...secretValuesOf(config.raw)]))
  const unused = unusedWorkerKeys(config.raw, new Set(Object.keys(workerConfigSchema.shape)))
  if (unused.length > 0) logger.warn(unusedWorkerKeysWarning(unused))
  // Before anything connects: an unknown REST extension or an unreadable users file stops the worker at once.
  const restSecurity = await restSecurityFrom(config)
  const registry = mergeRegistries(builtinPlugins, ...(await loadUserPlugins(config['plugin.path'])))
  const metrics = new ConnectMetrics()
  // Listed by /admin/loggers from the start, as log4j lists the loggers of loaded classes.
  for (const plugin of registry.connectors) logger.levels.register(plugin.className)
  for (const warning of unsecuredClientWarnings(config.raw)) logger.warn(warning)
  // Credentials Kafka refuses or a CA file that is missing stop the worker here, with the key to fix and no secret.
  const kafka = await asWorkerConfigErrors(() =>
    connectKafka({
      connection: workerKafkaConnection(config),
      clientId: `${config['group.id']}-worker`,
      logger,
      producerClient: config['kafka.producer.client'],
    }),
  )
  const topics = {
    config: config['config.storage.topic'],
    offsets: config['offset.storage.topic'],
    status: config['status.storage.topic'],
  }
  await asWorkerConfigErrors(() =>
    kafka.ensureCompactedTopics([
      { topic: topics.config, partitions: 1, replicationFactor: config['config.storage.replication.factor'] },
      { topic: topics.offsets, partitions: config['offset.storage.partitions'], replicationFactor: config['offset.storage.replication.factor'] },
      { topic: topics.status, partitions: config['status.storage.partitions'], replicationFactor: config['status.storage.replication.factor'] },
    ]),
  )
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
  const log = kafka.internalTopicsLog([topics.config, topics.offsets, topics.status], config['group.id'], (entry) => storeOf[entry.topic]?.apply(entry), logger.named(LOGGER_NAMES.internalTopics))
  await log.start()
  // Subscribed once the topic was read: a cluster-wide level lasts until the workers restart, as in Kafka Connect.
  configs.onLoggerLevel((namespace, level) => {
    const parsed = parseLoggerLevel(level)
    if (parsed !== null) logger.levels.setLevel(namespace, parsed)
  })

  const worker = new Worker({ kafka, registry, config, offsets, statuses, logger: logger.named(LOGGER_NAMES.worker), metrics, configProviders: config.configProviders })
  // Every worker is a member of its group, a group of one included: the group's assignment says what it runs.
  const membership = new ClusterMembership({
    url: config.advertisedUrl,
    scheduledRebalanceMaxDelayMs: config['scheduled.rebalance.max.delay.ms'],
    workerSyncTimeoutMs: config['worker.sync.timeout.ms'],
    configs,
    statuses,
    catchUp: () => log.catchUp([topics.config, topics.status]),
    readConfigPast: (offset, timeoutMs) => log.readPast(topics.config, offset, timeoutMs),
    logger: logger.named(LOGGER_NAMES.coordinator),
    rebalances: metrics.worker.rebalances,
  })
  const herder = new DistributedHerder({ configs, statuses, offsets, worker, registry, logger: logger.named(LOGGER_NAMES.herder), configProviders: config.configProviders, clientOverrides: clientOverrideContext(config), ownership: membership, onReconciled: () => membership.checkAssignmentCurrent(), connectorStartups: metrics.worker.connectorStartups, groupOffsets: kafka, topicTracking: { enabled: config['topic.tracking.enable'], allowReset: config['topic.tracking.allow.reset'] } })
  const member = new WorkerGroupMember(
    kafka.groupCoordinator({ groupId: config['group.id'], sessionTimeoutMs: config['session.timeout.ms'], rebalanceTimeoutMs: config['rebalance.timeout.ms'] }),
    membership,
    {
      heartbeatIntervalMs: config['heartbeat.interval.ms'],
      sessionTimeoutMs: config['session.timeout.ms'],
      scheduledRebalanceMaxDelayMs: config['scheduled.rebalance.max.delay.ms'],
      protocols: offeredProtocols(config['connect.protocol']),
    },
    logger.named(LOGGER_NAMES.coordinator),
  )
  membership.attach(herder.assignmentHandler, () => member.requestRejoin())
  metrics.observeStatuses(herder, config.workerId)

  // REST opens before the stored connectors resume, and they resume in the background: whatever one of them does,
  // the worker answers, and /health says when it has finished starting.
  let resumed = false
  const info = { version: PACKAGE_VERSION, commit: process.env.GIT_COMMIT ?? 'unknown', kafkaClusterId }
  const rest = await startRestListeners(config.restListeners, ({ tls, scope }) =>
    createRestApp(herder, info, () => resumed, { ownUrl: config.advertisedUrl, tls, scope, security: restSecurity, metrics, loggers: { levels: logger.levels, logger: logger.named(LOGGER_NAMES.rest), setClusterLevel: (namespace, level) => configs.putLoggerLevel(namespace, level) } }),
  )
  const url = rest.urls[config.restListeners.findIndex((listener) => listener.api)] ?? rest.urls[0]!
  logger.info('worker started', { rest: url, listeners: rest.urls, workerId: config.workerId, groupId: config['group.id'], kafkaClusterId })
  const started = herder.start().then(() => member.start())
  // Until this worker has joined its group and runs its first assignment, /health says it is starting.
  void started
    .then(() => membership.joined())
    .then(
      () => logger.info('stored connectors resumed', { connectors: herder.connectorNames().length }),
      (error: unknown) => logger.error('resuming the stored connectors failed', { error }),
    )
    .finally(() => (resumed = true))

  return {
    url,
    stop: async () => {
      await rest.close(REST_CLOSE_GRACE_MS)
      await started.catch(() => {})
      // Stopped and written down as UNASSIGNED before leaving: the leader then hands the work to others at once.
      await herder.stop()
      await member.stop()
      await log.stop()
      logger.info('worker stopped')
    },
  }
}
