import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import { csvList, documented } from '../src/plugin/config.ts'
import type { TransformationPlugin } from '../src/plugin/transformation.ts'
import { KAFKA_TRANSFORMS_PACKAGE, TRANSFORMS_VERSION } from './version.ts'

export const dropHeadersConfig = z.object({
  headers: documented(csvList().refine((headers) => headers.length > 0, { message: 'Empty list' }), {
    description: 'The name of the headers to be removed.',
    importance: 'high',
  }),
})

export type DropHeadersConfig = z.output<typeof dropHeadersConfig>

/** Kafka's DropHeaders: removes every header whose key is listed, keeping the others in order. */
export const dropHeaders: TransformationPlugin<typeof dropHeadersConfig> = Object.freeze({
  className: `${KAFKA_TRANSFORMS_PACKAGE}.DropHeaders`,
  aliases: Object.freeze(['DropHeaders']),
  version: TRANSFORMS_VERSION,
  config: dropHeadersConfig,
  create: (config: DropHeadersConfig) => {
    const dropped: ReadonlySet<string> = new Set(config.headers)
    return {
      apply<R extends ConnectRecord>(record: R): R {
        return { ...record, headers: record.headers.filter((header) => !dropped.has(header.key)) }
      },
    }
  },
})
