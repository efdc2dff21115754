import { z } from 'zod'
import { booleanString, csvList, documented, intString } from '../../src/plugin/config.ts'
import { ConfigError } from '../../src/plugin/errors.ts'
import { parseServerUris } from './server-uri.ts'

function rejectBadServerUris(uris: string[], context: z.RefinementCtx): void {
  try {
    parseServerUris('mqtt.server.uri', uris)
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof ConfigError ? `${error.rawValue as string} ${error.reason}` : String(error) })
  }
}

const connection = { group: 'Connection' } as const
const mqtt = { group: 'MQTT' } as const
const buffer = { group: 'Records buffer' } as const

/** Keys as Confluent's MQTT source names them, so existing configs POST unchanged. */
export const mqttSourceConfigSchema = z
  .object({
    'mqtt.server.uri': documented(csvList().superRefine(rejectBadServerUris), {
      ...connection,
      description: 'MQTT brokers to connect to, comma-separated, tried in order: tcp://, ssl://, mqtt:// or mqtts:// URIs.',
      importance: 'high',
      type: 'LIST',
    }),
    'mqtt.username': documented(z.string().default(''), {
      ...connection,
      description: 'Username to connect with, or blank to connect without one.',
      importance: 'high',
    }),
    'mqtt.password': documented(z.string().default(''), {
      ...connection,
      description: 'Password to connect with, or blank to connect without one.',
      importance: 'high',
      type: 'PASSWORD',
    }),
    'mqtt.client.id': documented(z.string().default(''), {
      ...connection,
      description: 'Client id; blank gives each task the stable id <connector>-<task>, so its persistent session survives restarts.',
      importance: 'medium',
    }),
    'mqtt.clean.session.enabled': documented(booleanString().default(false), {
      ...connection,
      description:
        'Start each connection with a clean session. The default false keeps the broker queueing QoS 1/2 messages while the worker is down (Confluent defaults to true).',
      importance: 'medium',
    }),
    'mqtt.connect.timeout.seconds': documented(intString().pipe(z.number().min(1, 'must be at least 1')).default(30), {
      ...connection,
      description: 'How long to wait for the broker to accept a connection.',
      importance: 'low',
    }),
    'mqtt.keepalive.interval.seconds': documented(intString().pipe(z.number().min(1, 'must be at least 1')).default(60), {
      ...connection,
      description: 'Keep-alive interval agreed with the broker.',
      importance: 'low',
    }),
    'mqtt.topics': documented(csvList().pipe(z.array(z.string()).min(1, 'must name at least one topic filter')), {
      ...mqtt,
      description: 'MQTT topic filters to subscribe to, comma-separated; + and # wildcards allowed.',
      importance: 'high',
      type: 'LIST',
    }),
    'mqtt.qos': documented(intString().pipe(z.number().min(0, 'must be 0, 1 or 2').max(2, 'must be 0, 1 or 2')).default(1), {
      ...mqtt,
      description: 'QoS of the subscription. 1 or 2: a message is acknowledged to the broker only after Kafka has it; 0 may lose messages.',
      importance: 'high',
    }),
    'kafka.topic': documented(z.string().trim().min(1, 'must not be empty'), {
      ...mqtt,
      description: 'Kafka topic to write the MQTT messages to.',
      importance: 'high',
    }),
    'records.buffer.queue.size': documented(intString().pipe(z.number().min(1, 'must be at least 1')).default(10_000), {
      ...buffer,
      description: 'Most messages held between the MQTT client and Kafka; when full the task stops reading from the broker.',
      importance: 'low',
    }),
    'records.buffer.queue.max.batch.size': documented(intString().pipe(z.number().min(1, 'must be at least 1')).default(4_096), {
      ...buffer,
      description: 'Most messages one poll hands to the producer.',
      importance: 'low',
    }),
    'records.buffer.queue.empty.timeout': documented(intString().pipe(z.number().min(0, 'must not be negative')).default(100), {
      ...buffer,
      description: 'Milliseconds a poll waits for a message when the buffer is empty.',
      importance: 'low',
      type: 'LONG',
    }),
  })

export type MqttSourceConfig = z.output<typeof mqttSourceConfigSchema>
