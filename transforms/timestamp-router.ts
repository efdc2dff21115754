import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import { documented } from '../src/plugin/config.ts'
import { DataError } from '../src/plugin/errors.ts'
import type { TransformationPlugin } from '../src/plugin/transformation.ts'
import { DatePatternError, SimpleDateFormat } from './simple-date-format.ts'
import { KAFKA_TRANSFORMS_PACKAGE, TRANSFORMS_VERSION } from './version.ts'

export const timestampRouterConfig = z.object({
  'topic.format': documented(z.string().trim().default('${topic}-${timestamp}'), {
    description: 'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.',
    importance: 'high',
  }),
  'timestamp.format': documented(
    z
      .string()
      .trim()
      .superRefine((pattern, ctx) => {
        try {
          new SimpleDateFormat(pattern)
        } catch (error) {
          if (!(error instanceof DatePatternError)) throw error
          ctx.addIssue({ code: 'custom', message: error.message })
        }
      })
      .default('yyyyMMdd'),
    {
      description: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
      importance: 'high',
    },
  ),
})

export type TimestampRouterConfig = z.output<typeof timestampRouterConfig>

/**
 * Kafka's TimestampRouter: renames the topic from `topic.format`, replacing `${topic}` with the topic and
 * `${timestamp}` with the record's timestamp formatted in UTC. A record without a timestamp fails.
 */
export const timestampRouter: TransformationPlugin<typeof timestampRouterConfig> = Object.freeze({
  className: `${KAFKA_TRANSFORMS_PACKAGE}.TimestampRouter`,
  aliases: Object.freeze(['TimestampRouter']),
  version: TRANSFORMS_VERSION,
  config: timestampRouterConfig,
  create: (config: TimestampRouterConfig) => {
    const topicFormat = config['topic.format']
    const timestampFormat = new SimpleDateFormat(config['timestamp.format'])
    return {
      apply<R extends ConnectRecord>(record: R): R {
        if (record.timestamp === null) throw new DataError(`Timestamp missing on record: topic=${record.topic}, partition=${String(record.kafkaPartition)}`)
        const formatted = timestampFormat.format(new Date(record.timestamp))
        return { ...record, topic: topicFormat.replaceAll('${topic}', record.topic).replaceAll('${timestamp}', formatted) }
      },
    }
  },
})
