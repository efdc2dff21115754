import type { ConnectHeaders } from './headers.ts'
import type { Schema } from './schema.ts'

/** Where a source record came from, and how far the source had read: both JSON-serialisable maps. */
export type SourcePartition = Readonly<Record<string, unknown>>
export type SourceOffset = Readonly<Record<string, unknown>>

/** The fields every record shares, whether it flows into Kafka (source) or out of it (sink). */
export interface ConnectRecord {
  readonly topic: string
  /** `null` lets the producer's partitioner choose. */
  readonly kafkaPartition: number | null
  readonly keySchema: Schema | null
  readonly key: unknown
  readonly valueSchema: Schema | null
  readonly value: unknown
  /** Milliseconds since the epoch, or `null` for "let Kafka stamp it". */
  readonly timestamp: number | null
  readonly headers: ConnectHeaders
}

export interface SourceRecord extends ConnectRecord {
  readonly sourcePartition: SourcePartition
  readonly sourceOffset: SourceOffset
}

export type TimestampType = 'CreateTime' | 'LogAppendTime' | 'NoTimestampType'

export interface SinkRecord extends ConnectRecord {
  readonly kafkaPartition: number
  readonly kafkaOffset: bigint
  readonly timestampType: TimestampType
}
