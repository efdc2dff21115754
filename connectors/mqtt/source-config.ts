import { z } from 'zod'
import { booleanString, csvList, documented, intString, type ConfigProblem } from '../../src/plugin/config.ts'
import { originConfig } from './origin.ts'
import { connectionKeys, connectionProblems } from './connection-config.ts'
import { parseFilter, templateVariables } from './topic-mapping.ts'

function rejectBadFilters(filters: string[], context: z.RefinementCtx): void {
  for (const filter of filters) {
    try {
      parseFilter(filter)
    } catch (error) {
      context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) })
    }
  }
}

const connection = { group: 'Connection' } as const
const mqtt = { group: 'MQTT' } as const
const buffer = { group: 'Records buffer' } as const

/** Keys as Confluent's MQTT source names them, so existing configs POST unchanged. */
export const mqttSourceConfigSchema = z
  .object({
    ...connectionKeys,
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
    'mqtt.topics': documented(csvList().pipe(z.array(z.string()).min(1, 'must name at least one topic filter')).superRefine(rejectBadFilters), {
      ...mqtt,
      description:
        'MQTT topic filters to subscribe to, comma-separated; + and # wildcards allowed. A level written {name} matches like + and captures the level for kafka.topic and kafka.key templates, e.g. sensors/{site}/+/temperature.',
      importance: 'high',
      type: 'LIST',
    }),
    'mqtt.version': documented(z.enum(['3.1.1', '5'], { message: 'must be 3.1.1 or 5' }).default('3.1.1'), {
      ...mqtt,
      description: 'MQTT protocol version. 5 adds session expiry, receive maximum, and user properties, content type, response topic and correlation data as Kafka headers.',
      importance: 'medium',
    }),
    'mqtt.session.expiry.interval.seconds': documented(intString().pipe(z.number().min(0).max(4_294_967_295)).default(604_800), {
      ...mqtt,
      description: 'MQTT 5: how long the broker keeps the session (and queues messages) after the worker disconnects, unless clean sessions are enabled.',
      importance: 'low',
    }),
    'mqtt.receive.maximum': documented(intString().pipe(z.number().min(1).max(65_535)).default(1_000), {
      ...mqtt,
      description: 'MQTT 5: most unacknowledged QoS 1/2 messages the broker may send at once. Higher moves more messages per Kafka round trip.',
      importance: 'low',
    }),
    'mqtt.no.local': documented(booleanString().default(false), {
      ...mqtt,
      description: 'MQTT 5: do not receive messages this client published, for loop prevention when a sink publishes to the same broker.',
      importance: 'low',
    }),
    ...originConfig,
    'mqtt.shared.subscription.group': documented(z.string().default(''), {
      ...mqtt,
      description:
        'With tasks.max > 1, tasks subscribe as $share/<group>/<filter> so the broker spreads messages across them. Blank uses the connector name.',
      importance: 'low',
    }),
    'mqtt.qos': documented(intString().pipe(z.number().min(0, 'must be 0, 1 or 2').max(2, 'must be 0, 1 or 2')).default(1), {
      ...mqtt,
      description: 'QoS of the subscription. 1 or 2: a message is acknowledged to the broker only after Kafka has it; 0 may lose messages.',
      importance: 'high',
    }),
    'kafka.topic': documented(z.string().trim().min(1, 'must not be empty'), {
      ...mqtt,
      description:
        'Kafka topic to write the MQTT messages to, or a template over the captures of mqtt.topics, e.g. iot.{site}.temperature. Characters Kafka forbids become _.',
      importance: 'high',
    }),
    'kafka.key': documented(z.string().default('{mqtt.topic}'), {
      ...mqtt,
      description:
        'Record key template: {mqtt.topic} (the default), captures of mqtt.topics such as {site}, and {payload.<field>} for a field of a JSON payload (dotted for nested fields). Blank gives records no key.',
      importance: 'medium',
    }),
    'mqtt.reconnect.give.up.seconds': documented(intString().pipe(z.number().min(0, 'must not be negative')).default(0), {
      ...connection,
      description: 'Fail the task (with the last connection error in its trace) after this long without a broker connection; 0 never gives up.',
      importance: 'low',
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

/** Set by the connector on each task's config when tasks share one subscription: the shared group's name. */
export const SHARED_GROUP_TASK_KEY = 'mqtt.task.shared.group'

/** One task's keys: the connector's, plus the shared group `taskConfigs()` adds when tasks share a subscription. */
export const mqttSourceTaskConfigSchema = mqttSourceConfigSchema.extend({ [SHARED_GROUP_TASK_KEY]: z.string().optional() })

export type MqttSourceTaskConfig = z.output<typeof mqttSourceTaskConfigSchema>

/**
 * Rules that span keys: a kafka.topic template may use only captures every filter has (a topic must never come out
 * half-filled), and a client certificate needs its key. Each problem lands on the key to change.
 */
export const crossKeyProblems = async (config: MqttSourceConfig): Promise<ConfigProblem[]> => {
  const problems: ConfigProblem[] = []
  const filters = config['mqtt.topics'].map(parseFilter)
  for (const variable of templateVariables(config['kafka.topic'])) {
    const missing = config['mqtt.topics'].filter((_, i) => !filters[i]!.captures.has(variable))
    if (missing.length > 0) {
      problems.push({
        key: 'kafka.topic',
        message: `Invalid value ${config['kafka.topic']} for configuration kafka.topic: {${variable}} is not captured by ${missing.join(', ')}`,
      })
    }
  }
  for (const variable of templateVariables(config['kafka.key'])) {
    if (variable === 'mqtt.topic' || variable.startsWith('payload.')) continue
    if (filters.some((filter) => !filter.captures.has(variable))) {
      problems.push({
        key: 'kafka.key',
        message: `Invalid value ${config['kafka.key']} for configuration kafka.key: {${variable}} is neither {mqtt.topic}, {payload.<field>} nor captured by every filter`,
      })
    }
  }
  return [...problems, ...(await connectionProblems(config))]
}
