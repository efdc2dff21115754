import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs'
import type { Logger } from '../logger.ts'

export type { Kafka }

export interface KafkaClientOptions {
  readonly bootstrapServers: readonly string[]
  readonly clientId: string
  readonly logger: Logger
}

/** One kafkajs client per worker; producers, consumers and the admin are created from it. */
export const createKafkaClient = ({ bootstrapServers, clientId, logger }: KafkaClientOptions): Kafka => {
  const config: KafkaConfig = {
    brokers: [...bootstrapServers],
    clientId,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => forwardLog(logger, entry),
    // At most 1 s between attempts, as the Java clients' reconnect.backoff.max.ms: once a broker is back, requests
    // reach it within about a second. 20 retries keep the ~20 s a request used to be retried for before failing.
    retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 1_000 },
  }
  return new Kafka(config)
}

const forwardLog = (logger: Logger, { level, log }: LogEntry): void => {
  const { message, ...fields } = log
  // kafkajs logs a coordinator-not-available error on every fresh group join; it retries by itself.
  if (typeof fields.error === 'string' && fields.error.includes('coordinator is not available')) return
  if (level <= logLevel.ERROR) logger.error(`kafkajs: ${message}`, fields)
  else if (level === logLevel.WARN) logger.warn(`kafkajs: ${message}`, fields)
}
