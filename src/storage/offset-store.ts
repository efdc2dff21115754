import type { LogEntry } from '../kafka/internal-topics-log.ts'
import type { SourceOffset, SourcePartition } from '../data/record.ts'
import type { LogWriter } from './log-writer.ts'

export interface PartitionOffset {
  readonly partition: SourcePartition
  readonly offset: SourceOffset
}

/**
 * Source offsets in the offsets topic, in Kafka Connect's layout: key `["<connector>", {partition}]`,
 * value `{offset}` (null removes it), both JSON as JsonConverter writes them with schemas disabled.
 */
export class OffsetStore {
  /** connector → serialised partition → entry */
  private readonly offsets = new Map<string, Map<string, PartitionOffset>>()

  constructor(
    private readonly topic: string,
    private readonly log: LogWriter,
  ) {}

  offsetsOf(connector: string): readonly PartitionOffset[] {
    return [...(this.offsets.get(connector)?.values() ?? [])]
  }

  offsetOf(connector: string, partition: SourcePartition): SourceOffset | null {
    return this.offsets.get(connector)?.get(JSON.stringify(partition))?.offset ?? null
  }

  /** Writes a flush's worth of offsets in one request; applied here once read back from the topic. */
  async commit(connector: string, entries: readonly PartitionOffset[]): Promise<void> {
    await this.log.write(
      this.topic,
      entries.map(({ partition, offset }) => ({ key: JSON.stringify([connector, partition]), value: JSON.stringify(offset) })),
    )
  }

  /** Writes offsets as an operator sets them (KIP-875): a `null` offset is a tombstone that removes the partition. */
  async write(connector: string, entries: readonly { readonly partition: SourcePartition; readonly offset: SourceOffset | null }[]): Promise<void> {
    await this.log.write(
      this.topic,
      entries.map(({ partition, offset }) => ({ key: JSON.stringify([connector, partition]), value: offset === null ? null : JSON.stringify(offset) })),
    )
  }

  apply({ key, value }: LogEntry): void {
    const parsedKey = key === null ? null : parseKey(key)
    if (parsedKey === null) return
    const [connector, partition] = parsedKey
    const partitionKey = JSON.stringify(partition)
    const forConnector = this.offsets.get(connector) ?? new Map<string, PartitionOffset>()
    const offset = value === null ? null : parseOffset(value)
    if (offset === null) forConnector.delete(partitionKey)
    else forConnector.set(partitionKey, { partition, offset })
    if (forConnector.size === 0) this.offsets.delete(connector)
    else this.offsets.set(connector, forConnector)
  }
}

const parseKey = (key: string): [string, SourcePartition] | null => {
  try {
    const parsed: unknown = JSON.parse(key)
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string') return null
    const partition: unknown = parsed[1]
    if (typeof partition !== 'object' || partition === null) return null
    return [parsed[0], partition as SourcePartition]
  } catch {
    return null
  }
}

const parseOffset = (value: Buffer): SourceOffset | null => {
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'))
    return typeof parsed === 'object' && parsed !== null ? (parsed as SourceOffset) : null
  } catch {
    return null
  }
}
