import { z } from 'zod'
import type { ConnectRecord } from '../../src/data/record.ts'
import type { PredicatePlugin } from '../../src/plugin/transformation.ts'
import { TRANSFORMS_VERSION } from '../version.ts'

export const recordIsTombstoneConfig = z.object({})

/** Kafka's RecordIsTombstone: true when the record's value is null. */
export const recordIsTombstone: PredicatePlugin<typeof recordIsTombstoneConfig> = Object.freeze({
  className: 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
  aliases: Object.freeze(['RecordIsTombstone']),
  version: TRANSFORMS_VERSION,
  config: recordIsTombstoneConfig,
  create: () => ({ test: (record: ConnectRecord) => record.value === null || record.value === undefined }),
})
