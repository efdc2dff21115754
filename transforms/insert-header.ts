import { z } from 'zod'
import type { ConnectHeader } from '../src/data/headers.ts'
import type { ConnectRecord } from '../src/data/record.ts'
import { parseString } from '../src/data/value-strings.ts'
import { documented } from '../src/plugin/config.ts'
import type { TransformationPlugin } from '../src/plugin/transformation.ts'
import { KAFKA_TRANSFORMS_PACKAGE, TRANSFORMS_VERSION } from './version.ts'

export const insertHeaderConfig = z.object({
  header: documented(z.string().trim(), { description: 'The name of the header.', importance: 'high' }),
  'value.literal': documented(z.string().trim(), {
    description: 'The literal value that is to be set as the header value on all records.',
    importance: 'high',
  }),
})

export type InsertHeaderConfig = z.output<typeof insertHeaderConfig>

/**
 * Kafka's InsertHeader: adds one header to every record, after any it already has. The literal is typed by Kafka's
 * `Values.parseString`: `42` is an int8, `true` a boolean, `2024-01-31` a Date, `[1,2,3]` an array of int8, `{"a":1}`
 * a map from string to int8, `null` a null header, anything else a string.
 */
export const insertHeader: TransformationPlugin<typeof insertHeaderConfig> = Object.freeze({
  className: `${KAFKA_TRANSFORMS_PACKAGE}.InsertHeader`,
  aliases: Object.freeze(['InsertHeader']),
  version: TRANSFORMS_VERSION,
  config: insertHeaderConfig,
  create: (config: InsertHeaderConfig) => {
    const literal = parseString(config['value.literal'])
    const header: ConnectHeader = Object.freeze({ key: config.header, schema: literal.schema, value: literal.value })
    return {
      apply<R extends ConnectRecord>(record: R): R {
        return { ...record, headers: [...record.headers, header] }
      },
    }
  },
})
