import type { Kafka } from 'kafkajs'
import { asConnectError } from './record-producer.ts'

/** A consumer group's committed position in one topic partition: the next offset to consume. */
export interface GroupOffset {
  readonly topic: string
  readonly partition: number
  readonly offset: bigint
}

/**
 * A sink connector's consumer group offsets, as Kafka Connect's KIP-875 endpoints read and change them through the
 * admin client. Changing them needs the group empty: the connector is STOPPED, so its tasks have left it.
 */
export const fetchGroupOffsets = (kafka: Kafka, groupId: string): Promise<GroupOffset[]> =>
  withAdmin(kafka, async (admin) => {
    const topics = await admin.fetchOffsets({ groupId })
    return topics.flatMap(({ topic, partitions }) =>
      // kafkajs reports a partition with nothing committed as -1; Kafka's admin leaves it out.
      partitions.filter(({ offset }) => Number(offset) >= 0).map(({ partition, offset }) => ({ topic, partition, offset: BigInt(offset) })),
    )
  })

export const alterGroupOffsets = (kafka: Kafka, groupId: string, offsets: readonly GroupOffset[]): Promise<void> =>
  withAdmin(kafka, async (admin) => {
    const byTopic = new Map<string, { partition: number; offset: string }[]>()
    for (const { topic, partition, offset } of offsets) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset: offset.toString() }])
    for (const [topic, partitions] of byTopic) await admin.setOffsets({ groupId, topic, partitions })
  })

/** Deletes the group and its offsets, as Kafka Connect's sink offset reset does; a group that does not exist is fine. */
export const deleteGroup = (kafka: Kafka, groupId: string): Promise<void> =>
  withAdmin(kafka, async (admin) => {
    try {
      await admin.deleteGroups([groupId])
    } catch (error) {
      const groups = (error as { groups?: readonly { error?: { type?: string } }[] }).groups ?? []
      if (groups.length > 0 && groups.every(({ error: groupError }) => groupError?.type === 'GROUP_ID_NOT_FOUND')) return
      throw error
    }
  })

const withAdmin = async <T>(kafka: Kafka, work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> => {
  const admin = kafka.admin()
  try {
    await admin.connect()
    return await work(admin)
  } catch (error) {
    throw asConnectError(error)
  } finally {
    await admin.disconnect()
  }
}
