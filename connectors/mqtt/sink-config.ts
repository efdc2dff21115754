import { z } from 'zod'
import { booleanString, csvList, documented, intString } from '../../src/plugin/config.ts'
import { originConfig } from './origin.ts'
import { connectionKeys } from './connection-config.ts'
import { TopicTemplateError, parseTopicTemplate } from './sink-topic-template.ts'
import { compileJavaRegex } from '../../src/plugin/java-regex.ts'

function rejectBadTemplate(template: string, context: z.RefinementCtx): void {
  try {
    parseTopicTemplate(template)
  } catch (error) {
    context.addIssue({ code: 'custom', message: error instanceof TopicTemplateError ? error.reason : String(error) })
  }
}

/** Kafka's consumer reads topics.regex as a Java pattern: one JS cannot mean the same is refused here. */
function rejectBadRegex(pattern: string, context: z.RefinementCtx): void {
  if (pattern === '') return
  try {
    compileJavaRegex(pattern)
  } catch (error) {
    context.addIssue({ code: 'custom', message: `is not a valid regular expression: ${(error as Error).message}` })
  }
}

const kafka = { group: 'Kafka' } as const
const connection = { group: 'Connection' } as const
const mqtt = { group: 'MQTT' } as const

/** Versions of the MQTT protocol the sink speaks, as `mqtt.version` spells them. */
export const MQTT_VERSIONS = { '3.1.1': 4, '5': 5 } as const

/**
 * Kafka → MQTT. Key names follow Confluent's MQTT sink where it has them; `topics` / `topics.regex` are Kafka Connect's
 * sink keys, which the worker also reads to subscribe the task's consumer.
 */
export const mqttSinkConfigSchema = z
  .object({
    topics: documented(csvList().default([]), {
      ...kafka,
      description: 'Kafka topics to consume, comma-separated. Set this or topics.regex, not both.',
      importance: 'high',
      type: 'LIST',
    }),
    'topics.regex': documented(z.string().trim().default('').superRefine(rejectBadRegex), {
      ...kafka,
      description:
        'A regular expression that whole Kafka topic names must match to be consumed. Set this or topics, not both. A topic created later is consumed once a consumer metadata refresh sees it: within metadata.max.age.ms (consumer.override.metadata.max.age.ms, default 300000).',
      importance: 'high',
    }),
    ...connectionKeys,
    'mqtt.client.id': documented(z.string().default(''), {
      ...connection,
      description: 'Client id; blank gives each task <connector>-sink-<task>. With several tasks, each gets this id with -<task> appended.',
      importance: 'medium',
    }),
    'mqtt.clean.session.enabled': documented(booleanString().default(true), {
      ...connection,
      description: 'Start each connection with a clean session. Unacknowledged publishes are sent again after a reconnect either way.',
      importance: 'medium',
    }),
    'mqtt.version': documented(z.enum(['3.1.1', '5'], { message: 'must be 3.1.1 or 5' }).default('3.1.1'), {
      ...connection,
      description: 'MQTT protocol version: 3.1.1, or 5 to send Kafka headers as MQTT user properties.',
      importance: 'low',
    }),
    'mqtt.topic': documented(z.string().default('${topic}').superRefine(rejectBadTemplate), {
      ...mqtt,
      description:
        'MQTT topic of each record: literal text with ${topic} (the Kafka topic), ${key}, ${header:<name>} or ${value:<field>} (a field of a struct or map value). Default: the Kafka topic.',
      importance: 'high',
    }),
    'mqtt.qos': documented(intString().pipe(z.number().min(0, 'must be 0, 1 or 2').max(2, 'must be 0, 1 or 2')).default(1), {
      ...mqtt,
      description:
        'QoS to publish with, unless the record has an mqtt.qos header. With 1 or 2 a Kafka offset is committed only after the broker acknowledged the publish; 0 may lose messages.',
      importance: 'high',
    }),
    'mqtt.retained.enabled': documented(booleanString().default(false), {
      ...mqtt,
      description: 'Publish with the retain flag, unless the record has an mqtt.retained header.',
      importance: 'medium',
    }),
    ...originConfig,
    'mqtt.max.in.flight': documented(intString().pipe(z.number().min(1, 'must be at least 1').max(65_535, 'must be at most 65535')).default(1_000), {
      ...mqtt,
      description:
        "Most publishes awaiting the broker's acknowledgement at once; with MQTT 5 also at most the broker's receive maximum. Lower it to the broker's inflight limit (Mosquitto: max_inflight_messages).",
      importance: 'low',
    }),
  })
  .superRefine((config, context) => {
    const hasTopics = config.topics.length > 0
    const hasRegex = config['topics.regex'] !== ''
    if (hasTopics && hasRegex) {
      context.addIssue({ code: 'custom', path: ['topics'], message: 'topics and topics.regex are mutually exclusive options, but both are set.' })
    } else if (!hasTopics && !hasRegex) {
      context.addIssue({ code: 'custom', path: ['topics'], message: 'Must configure one of topics or topics.regex' })
    }
  })

export type MqttSinkConfig = z.output<typeof mqttSinkConfigSchema>
