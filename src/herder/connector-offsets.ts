import type { KafkaClient } from '../kafka/kafka-client.ts'
import type { ConfigStore, StringMap } from '../storage/config-store.ts'
import type { OffsetStore } from '../storage/offset-store.ts'
import { sinkConsumerGroupId } from '../worker/sink-task-runner.ts'
import { BadRequestError, NotFoundError } from './errors.ts'
import type { ConnectorOffsets, Message } from './types.ts'

/** One `{"partition": ..., "offset": ...}` entry of an alter request; a `null` offset removes the partition's. */
export interface OffsetChange {
  readonly partition: Readonly<Record<string, unknown>>
  readonly offset: Readonly<Record<string, unknown>> | null
}

export interface ConnectorOffsetsDependencies {
  readonly configs: Pick<ConfigStore, 'connectorConfig' | 'targetState' | 'taskConfigs'>
  readonly offsets: Pick<OffsetStore, 'offsetsOf' | 'write'>
  /** A sink connector's offsets are its consumer group's, read and changed through the admin client. */
  readonly groups: Pick<KafkaClient, 'groupOffsets' | 'alterGroupOffsets' | 'deleteGroup'> | undefined
  readonly typeOf: (config: StringMap) => 'source' | 'sink'
}

// Kafka Connect's words: its connectors do not say that they keep no offsets elsewhere, nor do ours.
const ALTERED =
  'The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.'
const RESET =
  'The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.'

const KAFKA_TOPIC = 'kafka_topic'
const KAFKA_PARTITION = 'kafka_partition'
const KAFKA_OFFSET = 'kafka_offset'

/**
 * `GET /connectors/{name}/offsets` (KIP-875): a source connector's offsets from the offsets topic, a sink
 * connector's committed consumer group offsets as `{"kafka_topic", "kafka_partition"}` → `{"kafka_offset"}`.
 */
export const readConnectorOffsets = async (deps: ConnectorOffsetsDependencies, name: string): Promise<ConnectorOffsets> => {
  const config = requireConnector(deps, name)
  if (deps.typeOf(config) === 'source') return { offsets: deps.offsets.offsetsOf(name).map(({ partition, offset }) => ({ partition, offset })) }
  const committed = await groupsOf(deps).groupOffsets(sinkConsumerGroupId(name))
  return {
    offsets: committed
      .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
      .map(({ topic, partition, offset }) => ({ partition: { [KAFKA_PARTITION]: partition, [KAFKA_TOPIC]: topic }, offset: { [KAFKA_OFFSET]: Number(offset) } })),
  }
}

/** `PATCH /connectors/{name}/offsets`: only for a STOPPED connector, as in Kafka Connect. */
export const alterConnectorOffsets = async (deps: ConnectorOffsetsDependencies, name: string, changes: readonly OffsetChange[]): Promise<Message> => {
  const config = requireStopped(deps, name)
  if (deps.typeOf(config) === 'source') {
    const entries = changes.map(({ partition, offset }) => {
      requirePrimitives(partition)
      if (offset !== null) requirePrimitives(offset)
      return { partition, offset }
    })
    await deps.offsets.write(name, entries)
    return { message: ALTERED }
  }
  const groupId = sinkConsumerGroupId(name)
  const parsed = changes.map(sinkChange)
  const groups = groupsOf(deps)
  const removed = parsed.filter(({ offset }) => offset === null)
  const set = parsed.flatMap(({ topic, partition, offset }) => (offset === null ? [] : [{ topic, partition, offset }]))
  if (removed.length === 0) {
    await groups.alterGroupOffsets(groupId, set)
    return { message: ALTERED }
  }
  // kafkajs has no OffsetDelete: the group goes, and what it keeps comes back, so only the removed partitions lose theirs.
  const changed = new Set(parsed.map(({ topic, partition }) => `${topic}:${partition}`))
  const kept = (await groups.groupOffsets(groupId)).filter(({ topic, partition }) => !changed.has(`${topic}:${partition}`))
  await groups.deleteGroup(groupId)
  if (kept.length + set.length > 0) await groups.alterGroupOffsets(groupId, [...kept, ...set])
  return { message: ALTERED }
}

/** `DELETE /connectors/{name}/offsets`: tombstones every source partition, or deletes the sink's consumer group. */
export const resetConnectorOffsets = async (deps: ConnectorOffsetsDependencies, name: string): Promise<Message> => {
  const config = requireStopped(deps, name)
  if (deps.typeOf(config) === 'source') {
    const entries = deps.offsets.offsetsOf(name).map(({ partition }) => ({ partition, offset: null }))
    if (entries.length > 0) await deps.offsets.write(name, entries)
  } else {
    await groupsOf(deps).deleteGroup(sinkConsumerGroupId(name))
  }
  return { message: RESET }
}

const requireConnector = (deps: ConnectorOffsetsDependencies, name: string): StringMap => {
  const config = deps.configs.connectorConfig(name)
  if (config === undefined) throw new NotFoundError(`Connector ${name} not found`)
  return config
}

const requireStopped = (deps: ConnectorOffsetsDependencies, name: string): StringMap => {
  const config = requireConnector(deps, name)
  if (deps.configs.targetState(name) !== 'STOPPED' || deps.configs.taskConfigs(name).length > 0) {
    throw new BadRequestError(
      "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the " +
        `'/connectors/${name}/stop' endpoint`,
    )
  }
  return config
}

const groupsOf = (deps: ConnectorOffsetsDependencies): NonNullable<ConnectorOffsetsDependencies['groups']> => {
  if (deps.groups === undefined) throw new Error('This worker was started without a Kafka admin for sink connector offsets')
  return deps.groups
}

/** Source partitions and offsets are flat maps, as Kafka Connect's OffsetUtils requires; it words the refusal so. */
const requirePrimitives = (map: Readonly<Record<string, unknown>>): void => {
  for (const [field, value] of Object.entries(map)) {
    if (value === null || typeof value !== 'object') continue
    throw new BadRequestError(`Offsets may only contain primitive types as values, but field ${field} contains ${Array.isArray(value) ? 'ARRAY' : 'MAP'}`)
  }
}

const sinkChange = ({ partition, offset }: OffsetChange): { topic: string; partition: number; offset: bigint | null } => {
  const topic = partition[KAFKA_TOPIC]
  const kafkaPartition = partition[KAFKA_PARTITION]
  if (typeof topic !== 'string' || kafkaPartition === undefined || kafkaPartition === null) {
    throw new BadRequestError(`The partition for a sink connector offset must contain the keys '${KAFKA_TOPIC}' and '${KAFKA_PARTITION}'`)
  }
  const partitionNumber = integerOf(kafkaPartition)
  if (partitionNumber === null || partitionNumber < 0n || partitionNumber > 2_147_483_647n) {
    throw new BadRequestError(
      `Failed to parse the following Kafka partition value in the provided offsets: '${JSON.stringify(kafkaPartition)?.replace(/^"|"$/g, '')}'. Partition values for sink connectors need to be integers.`,
    )
  }
  if (offset === null) return { topic, partition: Number(partitionNumber), offset: null }
  if (!(KAFKA_OFFSET in offset)) throw new BadRequestError(`The offset for a sink connector should either be null or contain the key '${KAFKA_OFFSET}'`)
  const raw = offset[KAFKA_OFFSET]
  const kafkaOffset = integerOf(raw)
  if (kafkaOffset === null) {
    throw new BadRequestError(
      `Failed to parse the following Kafka offset value in the provided offsets: '${JSON.stringify(raw)?.replace(/^"|"$/g, '')}'. Offset values for sink connectors need to be integers.`,
    )
  }
  // Kafka Connect hands a negative offset to the broker, which refuses it with a 500; it is the request's fault.
  if (kafkaOffset < 0n) throw new BadRequestError(`Kafka offsets for sink connectors must not be negative, but ${topic}-${partitionNumber} has ${kafkaOffset}`)
  return { topic, partition: Number(partitionNumber), offset: kafkaOffset }
}

/** A JSON integer, or a string holding one, as Kafka Connect's SinkUtils accepts both. */
const integerOf = (value: unknown): bigint | null => {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : null
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim())
  return null
}
