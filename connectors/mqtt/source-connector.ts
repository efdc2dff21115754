import type { SourceConnectorPlugin } from '../../src/plugin/index.ts'
import { MqttSourceTask } from './source-task.ts'
import { mqttSourceConfigSchema } from './source-config.ts'

/**
 * MQTT → Kafka. Accepts Confluent's class name so existing configs POST unchanged.
 * One task for now: several tasks on one plain subscription would each receive every message.
 */
export const mqttSourceConnector: SourceConnectorPlugin<typeof mqttSourceConfigSchema> = {
  type: 'source',
  className: 'io.mqttkafka.connect.mqtt.MqttSourceConnector',
  aliases: ['io.confluent.connect.mqtt.MqttSourceConnector', 'MqttSource'],
  version: '0.1.0',
  config: mqttSourceConfigSchema,
  taskConfigs: (_config, rawConfig) => [{ ...rawConfig }],
  createTask: () => new MqttSourceTask(),
}
