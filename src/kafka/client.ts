import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs'
import type { Logger } from '../logger.ts'
import { LOGGER_NAMES } from '../logging/logger-names.ts'

export type { Kafka }

export interface KafkaClientOptions {
  readonly bootstrapServers: readonly string[]
  readonly clientId: string
  readonly logger: Logger
  /** TLS and SASL, from `security.ts`; absent, the client connects in plain text. */
  readonly security?: Pick<KafkaConfig, 'ssl' | 'sasl'>
}

/** One kafkajs client per worker; producers, consumers and the admin are created from it. */
export const createKafkaClient = ({ bootstrapServers, clientId, logger, security }: KafkaClientOptions): Kafka => {
  const clientLogger = logger.named(LOGGER_NAMES.kafkaClients)
  const config: KafkaConfig = {
    brokers: [...bootstrapServers],
    clientId,
    ...security,
    logLevel: kafkajsLevelFor(clientLogger),
    logCreator: () => (entry: LogEntry) => forwardLog(clientLogger, entry),
    // At most 1 s between attempts, as the Java clients' reconnect.backoff.max.ms: once a broker is back, requests
    // reach it within about a second. 20 retries keep the ~20 s a request used to be retried for before failing.
    retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 1_000 },
  }
  const kafka = new Kafka(config)
  // kafkajs builds no entry below its own level, so it follows org.apache.kafka.clients whenever that changes.
  logger.levels.onChange(() => kafka.logger().setLogLevel(kafkajsLevelFor(clientLogger)))
  return kafka
}

/** Never less than WARN: kafkajs's errors must reach forwardLog, which tells the routine ones from the real ones. */
const kafkajsLevelFor = (clientLogger: Logger): logLevel => (clientLogger.isEnabled('debug') ? logLevel.DEBUG : logLevel.WARN)

/**
 * What kafkajs reports and retries by itself: a broker's error answer to one request (the caller retries it),
 * metadata not there yet for a topic being created, a group rebalancing or its coordinator moving. At debug, so
 * that an error line in the worker's log means something an operator must look at.
 */
const ROUTINE = [
  /^Response /,
  /rebalancing, re-joining/,
  /Failed to connect to seed broker, trying another broker/,
  /coordinator is not available|not the correct coordinator|coordinator is loading/i,
  /There is no leader for this topic-partition|does not host this topic-partition|leadership election/i,
]

const isRoutine = (message: string, error: unknown): boolean =>
  ROUTINE.some((pattern) => pattern.test(message) || (typeof error === 'string' && pattern.test(error)))

const forwardLog = (logger: Logger, { level, log }: LogEntry): void => {
  const { message, timestamp: _timestamp, logger: _library, ...fields } = log
  const text = `kafkajs: ${message}`
  if (level <= logLevel.WARN && isRoutine(message, fields.error)) logger.debug(text, fields)
  else if (level <= logLevel.ERROR) logger.error(text, fields)
  else if (level === logLevel.WARN) logger.warn(text, fields)
  // kafkajs's info lines (a consumer started, joined its group) come once per task and group join: debug detail here.
  else logger.debug(text, fields)
}
