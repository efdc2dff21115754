import type { SinkConnectorPlugin, TaskConfig } from '../../src/plugin/index.ts'
import { connectionProblems } from './connection-config.ts'
import { mqttSinkConfigSchema } from './sink-config.ts'
import { MqttSinkTask } from './sink-task.ts'

/**
 * Kafka → MQTT. Accepts Confluent's class name so existing configs POST unchanged. Tasks share the connector's consumer
 * group, so `tasks.max` tasks split the topics' partitions between them.
 */
export const mqttSinkConnector: SinkConnectorPlugin<typeof mqttSinkConfigSchema> = {
  type: 'sink',
  className: 'io.mqttkafka.connect.mqtt.MqttSinkConnector',
  aliases: ['io.confluent.connect.mqtt.MqttSinkConnector', 'MqttSink'],
  version: '0.1.0',
  config: mqttSinkConfigSchema,
  validate: connectionProblems,
  taskConfigs: (config, rawConfig, maxTasks) => {
    const clientId = config['mqtt.client.id']
    // Two connections with one client id would keep disconnecting each other: each task gets its own.
    return Array.from({ length: maxTasks }, (_, task): TaskConfig => (clientId !== '' && maxTasks > 1 ? { ...rawConfig, 'mqtt.client.id': `${clientId}-${task}` } : { ...rawConfig }))
  },
  createTask: () => new MqttSinkTask(),
}
