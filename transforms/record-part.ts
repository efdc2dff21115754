import type { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import type { ConfigSchema } from '../src/plugin/config.ts'
import type { Transformation, TransformationPlugin } from '../src/plugin/transformation.ts'
import { KAFKA_TRANSFORMS_PACKAGE, TRANSFORMS_VERSION } from './version.ts'

/** The half of a record a `$Key` or `$Value` transformation works on. */
export type RecordPart = 'key' | 'value'

export const operatingSchema = (record: ConnectRecord, part: RecordPart): Schema | null =>
  part === 'key' ? record.keySchema : record.valueSchema

export const operatingValue = (record: ConnectRecord, part: RecordPart): unknown => (part === 'key' ? record.key : record.value)

/** A copy of `record` with its key or value (and that one's schema) replaced; every other field survives. */
export const withOperating = <R extends ConnectRecord>(record: R, part: RecordPart, schema: Schema | null, value: unknown): R =>
  part === 'key' ? { ...record, keySchema: schema, key: value } : { ...record, valueSchema: schema, value }

/**
 * The `$Key` and `$Value` plugins of one Kafka transformation, sharing a config declaration: class names as Kafka
 * spells them (`org.apache.kafka.connect.transforms.Cast$Value`), aliases without the package (`Cast$Value`).
 */
export const keyAndValuePlugins = <S extends ConfigSchema>(
  simpleName: string,
  config: S,
  create: (config: z.output<S>, part: RecordPart) => Transformation,
): readonly [key: TransformationPlugin<S>, value: TransformationPlugin<S>] => {
  const plugin = (part: RecordPart, suffix: string): TransformationPlugin<S> =>
    Object.freeze({
      className: `${KAFKA_TRANSFORMS_PACKAGE}.${simpleName}$${suffix}`,
      aliases: Object.freeze([`${simpleName}$${suffix}`]),
      version: TRANSFORMS_VERSION,
      config,
      create: (parsed: z.output<S>) => create(parsed, part),
    })
  return [plugin('key', 'Key'), plugin('value', 'Value')]
}
