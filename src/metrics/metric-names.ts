/** Kafka Connect's metric groups (the MBean `type`), as its ConnectMetricsRegistry names them. */
export type ConnectMetricGroup =
  | 'connector-metrics'
  | 'connector-task-metrics'
  | 'source-task-metrics'
  | 'sink-task-metrics'
  | 'task-error-metrics'
  | 'connect-worker-metrics'
  | 'connect-worker-rebalance-metrics'

/**
 * The Prometheus name of a Kafka Connect metric as the JMX exporter's usual Kafka Connect rule writes it,
 * `kafka_connect_$type_$attribute` lower-cased with every character Prometheus refuses turned into `_`:
 * (`source-task-metrics`, `source-record-poll-total`) → `kafka_connect_source_task_metrics_source_record_poll_total`.
 * Dashboards built on that exporter then work with at most a label rename.
 */
export const connectMetricName = (group: ConnectMetricGroup, attribute: string): string => prometheusName(`kafka.connect.${group}.${attribute}`)

/** The Kafka consumer's own metrics, as the exporter's client rule writes them: `kafka_consumer_$type_$attribute`. */
export const consumerMetricName = (group: 'consumer-fetch-manager-metrics', attribute: string): string => prometheusName(`kafka.consumer.${group}.${attribute}`)

/** Prefix of the metrics only this worker has (MQTT sessions, acknowledgements held, end-to-end latency). */
export const OWN_METRIC_PREFIX = 'mqtt_kafka_connect_'

export const prometheusName = (dotted: string): string => dotted.toLowerCase().replace(/[^a-z0-9_:]/g, '_')

/** What Prometheus accepts as a metric or label name. */
export const isValidMetricName = (name: string): boolean => /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)
