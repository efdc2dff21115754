import { z } from 'zod'
import type { TransformationPlugin } from '../src/plugin/transformation.ts'
import { KAFKA_TRANSFORMS_PACKAGE, TRANSFORMS_VERSION } from './version.ts'

export const filterConfig = z.object({})

/** Kafka's Filter: drops every record it is applied to; give it a predicate to drop only some. */
export const filter: TransformationPlugin<typeof filterConfig> = Object.freeze({
  className: `${KAFKA_TRANSFORMS_PACKAGE}.Filter`,
  aliases: Object.freeze(['Filter']),
  version: TRANSFORMS_VERSION,
  config: filterConfig,
  create: () => ({ apply: () => null }),
})
