import type { SourceConnectorPlugin } from '../../src/plugin/index.ts'
import { MqttSourceTask } from './source-task.ts'
import { crossKeyProblems, mqttSourceConfigSchema, mqttSourceTaskConfigSchema, SHARED_GROUP_TASK_KEY } from './source-config.ts'

/** MQTT → Kafka. Accepts Confluent's class name so existing configs POST unchanged. */
export const mqttSourceConnector: SourceConnectorPlugin<typeof mqttSourceConfigSchema, typeof mqttSourceTaskConfigSchema> = {
  type: 'source',
  className: 'io.mqttkafka.connect.mqtt.MqttSourceConnector',
  aliases: ['io.confluent.connect.mqtt.MqttSourceConnector', 'MqttSource'],
  version: '0.1.0',
  config: mqttSourceConfigSchema,
  taskConfig: mqttSourceTaskConfigSchema,
  validate: crossKeyProblems,
  // One task subscribes plainly; several share the subscription so the broker spreads messages across them.
  taskConfigs: (config, rawConfig, maxTasks) =>
    Array.from({ length: maxTasks }, () =>
      maxTasks === 1 ? { ...rawConfig } : { ...rawConfig, [SHARED_GROUP_TASK_KEY]: config['mqtt.shared.subscription.group'] || rawConfig.name! },
    ),
  createTask: () => new MqttSourceTask(),
}
