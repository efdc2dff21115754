import type { Kafka } from 'kafkajs'

/**
 * Kafka's group coordinator as a Kafka Connect worker uses it: FindCoordinator, JoinGroup, SyncGroup, Heartbeat and
 * LeaveGroup with a protocol type of our choosing ("connect"), which kafkajs's public consumer cannot do.
 *
 * This is the one place that uses kafkajs internals: the cluster factory the `Kafka` object keeps under a private
 * symbol, and the broker-level group calls (kafkajs 2.2.4, pinned in package.json). Everything else sees the types
 * below. The cluster it creates shares the client's brokers, TLS and SASL settings.
 */

export interface JoinedGroup {
  readonly generationId: number
  readonly memberId: string
  readonly leaderId: string
  readonly protocol: string
  /** Only the leader is told the other members and their metadata. */
  readonly members: readonly { readonly memberId: string; readonly metadata: Buffer }[]
}

export interface GroupProtocol {
  readonly name: string
  readonly metadata: Buffer
}

/** Why a group call failed, in the terms a member acts on. */
export type GroupErrorKind =
  /** Rejoin: the group is rebalancing or has moved on to a newer generation. */
  | 'rebalance'
  /** The coordinator forgot this member (its session expired): rejoin as a new member, owning nothing. */
  | 'unknown-member'
  /** The coordinator moved or cannot be reached: find it again after a pause. */
  | 'coordinator'
  | 'fatal'

export class GroupCallError extends Error {
  constructor(
    readonly kind: GroupErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'GroupCallError'
  }
}

interface KafkajsBroker {
  joinGroup(request: {
    groupId: string
    sessionTimeout: number
    rebalanceTimeout: number
    memberId: string
    protocolType: string
    groupProtocols: { name: string; metadata: Buffer }[]
  }): Promise<{ generationId: number; memberId: string; leaderId: string; groupProtocol: string; members: { memberId: string; memberMetadata: Buffer }[] }>
  syncGroup(request: { groupId: string; generationId: number; memberId: string; groupAssignment: { memberId: string; memberAssignment: Buffer }[] }): Promise<{ memberAssignment: Buffer }>
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>
}

interface KafkajsCluster {
  connect(): Promise<void>
  disconnect(): Promise<void>
  findGroupCoordinator(request: { groupId: string }): Promise<KafkajsBroker>
}

export interface GroupCoordinatorOptions {
  readonly groupId: string
  readonly sessionTimeoutMs: number
  readonly rebalanceTimeoutMs: number
}

export class GroupCoordinator {
  private readonly cluster: KafkajsCluster
  private coordinator: KafkajsBroker | null = null

  constructor(
    kafka: Kafka,
    private readonly options: GroupCoordinatorOptions,
  ) {
    this.cluster = createCluster(kafka)
  }

  async join(memberId: string, protocols: readonly GroupProtocol[]): Promise<JoinedGroup> {
    const joined = await this.call((broker) =>
      broker.joinGroup({
        groupId: this.options.groupId,
        sessionTimeout: this.options.sessionTimeoutMs,
        rebalanceTimeout: this.options.rebalanceTimeoutMs,
        memberId,
        protocolType: 'connect',
        groupProtocols: protocols.map(({ name, metadata }) => ({ name, metadata })),
      }),
    )
    return {
      generationId: joined.generationId,
      memberId: joined.memberId,
      leaderId: joined.leaderId,
      protocol: joined.groupProtocol,
      members: joined.members.map(({ memberId: id, memberMetadata }) => ({ memberId: id, metadata: memberMetadata })),
    }
  }

  /** The leader passes every member's assignment; the others pass none. Resolves to this member's. */
  async sync(generationId: number, memberId: string, assignments: ReadonlyMap<string, Buffer>): Promise<Buffer> {
    const { memberAssignment } = await this.call((broker) =>
      broker.syncGroup({
        groupId: this.options.groupId,
        generationId,
        memberId,
        groupAssignment: [...assignments].map(([id, memberAssignment]) => ({ memberId: id, memberAssignment })),
      }),
    )
    return memberAssignment
  }

  async heartbeat(generationId: number, memberId: string): Promise<void> {
    await this.call((broker) => broker.heartbeat({ groupId: this.options.groupId, groupGenerationId: generationId, memberId }))
  }

  async leave(memberId: string): Promise<void> {
    await this.call((broker) => broker.leaveGroup({ groupId: this.options.groupId, memberId }))
  }

  async close(): Promise<void> {
    this.coordinator = null
    await this.cluster.disconnect()
  }

  private async call<T>(request: (broker: KafkajsBroker) => Promise<T>): Promise<T> {
    try {
      if (this.coordinator === null) {
        await this.cluster.connect()
        this.coordinator = await this.cluster.findGroupCoordinator({ groupId: this.options.groupId })
      }
      return await request(this.coordinator)
    } catch (error) {
      const kind = kindOf(error)
      if (kind === 'coordinator') this.coordinator = null
      throw new GroupCallError(kind, error instanceof Error ? error.message : String(error), { cause: error })
    }
  }
}

const REJOIN = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION'])
const UNKNOWN_MEMBER = new Set(['UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'])
const FATAL = new Set(['INCONSISTENT_GROUP_PROTOCOL', 'GROUP_AUTHORIZATION_FAILED', 'INVALID_SESSION_TIMEOUT', 'GROUP_MAX_SIZE_REACHED'])

const kindOf = (error: unknown): GroupErrorKind => {
  const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : ''
  if (REJOIN.has(type)) return 'rebalance'
  if (UNKNOWN_MEMBER.has(type)) return 'unknown-member'
  if (FATAL.has(type)) return 'fatal'
  // Not the coordinator, not available, loading, a dropped connection, a timeout: all mean "find it again".
  return 'coordinator'
}

const createCluster = (kafka: Kafka): KafkajsCluster => {
  const symbol = Object.getOwnPropertySymbols(kafka).find((candidate) => candidate.description === 'private:Kafka:createCluster')
  const factory = symbol === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[symbol]
  if (typeof factory !== 'function') throw new Error('This kafkajs version has no cluster factory where 2.2.4 keeps it: pin kafkajs 2.2.4')
  return (factory as (options: object) => KafkajsCluster)({ allowAutoTopicCreation: false })
}
