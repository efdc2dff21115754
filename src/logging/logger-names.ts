/**
 * The worker's named loggers, called as Kafka Connect's classes are so that a `log4j.properties` habit or a
 * `PUT /admin/loggers/org.apache.kafka.connect.runtime.WorkerSourceTask` works here too. A plugin's task logs
 * under its connector class name (`io.mqttkafka.connect.mqtt.MqttSourceConnector`), so its package
 * (`io.mqttkafka.connect.mqtt`) sets all of a plugin's loggers at once.
 */
export const LOGGER_NAMES = {
  /** The process: start, stop, configuration. */
  runtime: 'org.apache.kafka.connect.runtime.Connect',
  worker: 'org.apache.kafka.connect.runtime.Worker',
  herder: 'org.apache.kafka.connect.runtime.distributed.DistributedHerder',
  /** Group membership, assignments and rebalances. */
  coordinator: 'org.apache.kafka.connect.runtime.distributed.WorkerCoordinator',
  sourceTask: 'org.apache.kafka.connect.runtime.WorkerSourceTask',
  sinkTask: 'org.apache.kafka.connect.runtime.WorkerSinkTask',
  /** Tolerated record failures (`errors.log.enable`). */
  errors: 'org.apache.kafka.connect.runtime.errors.LogReporter',
  /** The Kafka client library's own lines. */
  kafkaClients: 'org.apache.kafka.clients',
  /** The reader and writer of the internal config, offset and status topics. */
  internalTopics: 'org.apache.kafka.connect.util.KafkaBasedLog',
  rest: 'org.apache.kafka.connect.runtime.rest.RestServer',
} as const
