import { z } from 'zod'
import type { ConnectRecord } from '../../src/data/record.ts'
import { documented } from '../../src/plugin/config.ts'
import type { PredicatePlugin } from '../../src/plugin/transformation.ts'
import { TRANSFORMS_VERSION } from '../version.ts'

export const hasHeaderKeyConfig = z.object({
  name: documented(z.string().trim().min(1, 'String must be non-empty'), { description: 'The header name.', importance: 'medium' }),
})

export type HasHeaderKeyConfig = z.output<typeof hasHeaderKeyConfig>

/** Kafka's HasHeaderKey: true when the record has at least one header called `name`. */
export const hasHeaderKey: PredicatePlugin<typeof hasHeaderKeyConfig> = Object.freeze({
  className: 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
  aliases: Object.freeze(['HasHeaderKey']),
  version: TRANSFORMS_VERSION,
  config: hasHeaderKeyConfig,
  create: (config: HasHeaderKeyConfig) => {
    const name = config.name
    return { test: (record: ConnectRecord) => record.headers.some((header) => header.key === name) }
  },
})
