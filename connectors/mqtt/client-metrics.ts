import type { MqttClient } from 'mqtt'
import { NO_LOGGER, NO_METRICS, type TaskLogger, type TaskMetricsRegistry } from '../../src/plugin/metrics.ts'

/** Every MQTT metric of this connector starts so, as the worker's own metrics do. */
export const MQTT_METRIC_PREFIX = 'mqtt_kafka_connect_'

/** Latency buckets in seconds: from a millisecond (a local broker and Kafka) to half a minute (an outage). */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const

/** What both MQTT tasks count and say about their connection: reconnects, and whether it is up right now. */
export const trackConnection = (client: MqttClient, metrics: TaskMetricsRegistry = NO_METRICS, log: TaskLogger = NO_LOGGER): void => {
  const reconnects = metrics.counter(`${MQTT_METRIC_PREFIX}reconnects_total`, 'Reconnection attempts of the task to its MQTT broker.').labels()
  client.on('reconnect', () => {
    reconnects.inc()
    log.debug('reconnecting to the MQTT broker')
  })
  client.on('connect', (connack) => log.debug('connected to the MQTT broker', { sessionPresent: connack.sessionPresent }))
  client.on('close', () => log.debug('the MQTT connection closed'))
  metrics.observedGauge(`${MQTT_METRIC_PREFIX}connected`, "1 while the task's MQTT connection is up, 0 while it is down.", () => (client.connected ? 1 : 0))
}

/** The whole task log when the runtime handed one (it does: a sink context types only its info and warn), else none. */
export const fullLogger = (log: object | undefined): TaskLogger => {
  const candidate = log as Partial<TaskLogger> | undefined
  return typeof candidate?.debug === 'function' && typeof candidate.isEnabled === 'function' ? (candidate as TaskLogger) : NO_LOGGER
}
