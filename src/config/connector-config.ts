import { z } from 'zod'
import { booleanString, csvList, documented, intString } from '../plugin/config.ts'

/**
 * The keys every connector accepts, as Kafka Connect's ConnectorConfig declares them. Plugins declare only their own.
 * Converter keys have no default here: absent, the worker's converter applies.
 */
export const commonConnectorConfigSchema = z.object({
  name: documented(z.string().min(1, 'must not be empty'), {
    description: 'Globally unique name to use for this connector.',
    importance: 'high',
    group: 'Common',
  }),
  'connector.class': documented(z.string().min(1, 'must not be empty'), {
    description: 'Name or alias of the class for this connector, e.g. io.confluent.connect.mqtt.MqttSourceConnector.',
    importance: 'high',
    group: 'Common',
    type: 'CLASS',
  }),
  'tasks.max': documented(intString().pipe(z.number().min(1, 'must be at least 1')).default(1), {
    description: 'Maximum number of tasks to use for this connector.',
    importance: 'high',
    group: 'Common',
  }),
  'key.converter': documented(z.string().optional(), {
    description: "Converter class for record keys. Overrides the worker's key.converter.",
    importance: 'low',
    group: 'Common',
    type: 'CLASS',
  }),
  'value.converter': documented(z.string().optional(), {
    description: "Converter class for record values. Overrides the worker's value.converter.",
    importance: 'low',
    group: 'Common',
    type: 'CLASS',
  }),
  'header.converter': documented(z.string().optional(), {
    description: "Converter class for record headers. Overrides the worker's header.converter.",
    importance: 'low',
    group: 'Common',
    type: 'CLASS',
  }),
  transforms: documented(csvList().default([]), {
    description: 'Aliases for the transformations to apply to records, in order.',
    importance: 'low',
    group: 'Transforms',
  }),
  predicates: documented(csvList().default([]), {
    description: 'Aliases for the predicates used by transformations.',
    importance: 'low',
    group: 'Predicates',
  }),
  'errors.retry.timeout': documented(intString().pipe(z.number().min(-1)).default(0), {
    description: 'Maximum duration in milliseconds a failed operation is retried; 0 means no retries, -1 infinite retries.',
    importance: 'medium',
    group: 'Error Handling',
    type: 'LONG',
  }),
  'errors.retry.delay.max.ms': documented(intString().pipe(z.number().min(0)).default(60_000), {
    description: 'Maximum delay in milliseconds between consecutive retries of a failed operation.',
    importance: 'medium',
    group: 'Error Handling',
    type: 'LONG',
  }),
  'errors.tolerance': documented(z.enum(['none', 'all'], { message: 'must be none or all' }).default('none'), {
    description: 'none: a conversion or transformation error fails the task; all: the record is skipped (or sent to the dead-letter topic).',
    importance: 'medium',
    group: 'Error Handling',
  }),
  'errors.log.enable': documented(booleanString().default(false), {
    description: 'Log each tolerated error and the record it happened to.',
    importance: 'medium',
    group: 'Error Handling',
  }),
  'errors.log.include.messages': documented(booleanString().default(false), {
    description: 'Include the record itself in the error log.',
    importance: 'medium',
    group: 'Error Handling',
  }),
  'errors.deadletterqueue.topic.name': documented(z.string().trim().default(''), {
    description:
      'Topic for records that failed conversion or transformation under errors.tolerance=all, as they arrived. Blank: no dead-letter topic. Unlike Kafka Connect, source connectors have one too.',
    importance: 'medium',
    group: 'Error Handling',
  }),
  'errors.deadletterqueue.topic.replication.factor': documented(intString().default(-1), {
    description: "Replication factor of the dead-letter topic when the worker creates it; -1 uses the broker's default (Kafka Connect defaults to 3).",
    importance: 'low',
    group: 'Error Handling',
  }),
  'errors.deadletterqueue.context.headers.enable': documented(booleanString().default(false), {
    description: 'Add __connect.errors.* headers describing the failure (stage, class, exception, stack trace) to dead-letter records.',
    importance: 'medium',
    group: 'Error Handling',
  }),
})

export type CommonConnectorConfig = z.output<typeof commonConnectorConfigSchema>

/**
 * The keys Kafka Connect's SourceConnectorConfig adds for source connectors, in its order and groups. This worker has
 * no exactly-once source delivery, as a Kafka Connect worker with `exactly.once.source.support=disabled`: those keys
 * are accepted as such a worker accepts them, and change nothing.
 */
export const sourceConnectorConfigSchema = z.object({
  'topic.creation.groups': documented(csvList().default([]), {
    description:
      'Groups of configurations for topics created by source connectors, besides the default group: each with topic.creation.<group>.include, .exclude, .partitions, .replication.factor and topic configs (KIP-158).',
    importance: 'low',
    group: 'Topic Creation',
  }),
  'exactly.once.support': documented(z.enum(['requested', 'required'], { message: 'must be requested or required' }).default('requested'), {
    description: 'Whether the connector must support exactly-once delivery. This worker has no exactly-once source delivery, so the key has no effect.',
    importance: 'medium',
    group: 'Exactly Once Support',
  }),
  'transaction.boundary': documented(z.enum(['poll', 'interval', 'connector'], { message: 'must be poll, interval or connector' }).default('poll'), {
    description: 'Where exactly-once transactions end. This worker has no exactly-once source delivery, so the key has no effect.',
    importance: 'medium',
    group: 'Exactly Once Support',
  }),
  'transaction.boundary.interval.ms': documented(intString().pipe(z.number().min(0)).optional(), {
    description: 'How long a transaction lasts with transaction.boundary=interval. This worker has no exactly-once source delivery, so the key has no effect.',
    importance: 'low',
    group: 'Exactly Once Support',
    type: 'LONG',
  }),
  'offsets.storage.topic': documented(
    z
      .string()
      .trim()
      .optional()
      .refine((topic) => topic === undefined || topic === '', { message: "a connector's own offsets topic is not supported: its offsets go to the worker's offset.storage.topic" }),
    {
      description: "A separate offsets topic for this connector (KIP-618). Not supported: offsets go to the worker's offset.storage.topic.",
      importance: 'low',
      group: 'offsets.topic',
    },
  ),
})
