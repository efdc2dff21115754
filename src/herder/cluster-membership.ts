import { assignWork, connectorKey, FIRST_ROUND, taskKey, allocationOf, type AssignorMemory, type WorkItem } from '../cluster/assignor.ts'
import { ASSIGNMENT_ERROR, EMPTY_ALLOCATION, type ConnectAssignment, type TaskId, type WorkerState } from '../cluster/connect-protocol.ts'
import type { GroupListener, LeaderRound } from '../cluster/worker-group-member.ts'
import type { Logger } from '../logger.ts'
import type { ConfigStore } from '../storage/config-store.ts'
import type { StatusStore } from '../storage/status-store.ts'
import { NotLeaderError, RebalanceInProgressError } from './errors.ts'
import type { Ownership } from './ownership.ts'

/** What the membership asks of the herder when an assignment changes what this worker runs. */
export interface AssignmentHandler {
  /** Stops these tasks and forgets these connectors, awaited before the worker rejoins. */
  release(connectors: readonly string[], tasks: readonly TaskId[]): Promise<void>
  /** Stops everything this worker runs (eager rebalance, lost membership). */
  releaseAll(): Promise<void>
  /** Brings every connector in line with the new assignment. */
  reconcileAll(): Promise<void>
  /** Runs `work` in turn with the herder's reconciliations. */
  inTurn(work: () => Promise<void>): Promise<void>
  setGeneration(generation: number): void
}

export interface ClusterMembershipOptions {
  /** This worker's REST URL, as the others reach it. */
  readonly url: string
  readonly scheduledRebalanceMaxDelayMs: number
  readonly workerSyncTimeoutMs: number
  readonly configs: ConfigStore
  readonly statuses: StatusStore
  /** Reads the config and status topics to their current end (the leader does before assigning). */
  readonly catchUp: () => Promise<void>
  /** Resolves true once the config topic was read past `offset`, false after `timeoutMs`. */
  readonly readConfigPast: (offset: bigint, timeoutMs: number) => Promise<boolean>
  readonly logger: Logger
  /** Told when a rebalance begins and when this worker runs the assignment it led to (the rebalance metrics). */
  readonly rebalances?: { rebalanceStarted(): void; rebalanced(durationMs: number, generation: number): void }
}

/**
 * This worker's part in the group: what it runs, who leads, and, on the leader, the assignment of everything.
 * It is the herder's `Ownership` and the group member's `GroupListener`.
 */
export class ClusterMembership implements Ownership, GroupListener {
  private readonly connectors = new Set<string>()
  private readonly tasks = new Set<string>()
  private leader = false
  private leaderUrl: string | null = null
  private rebalancing = true
  private memory: AssignorMemory = FIRST_ROUND
  /** Leader only: the URL of the worker each item went to in the last round. */
  private owners = new Map<string, string>()
  /** Leader only: the connectors and task counts the last assignment was made from. */
  private assignedShape = ''
  private handler: AssignmentHandler | null = null
  private requestRejoin: (() => void) | null = null
  private generation = -1
  private settledWaiters: (() => void)[] = []
  private rebalanceStartedAt: number | null = null
  private readonly firstAssignment: Promise<void>
  private resolveFirstAssignment!: () => void

  constructor(private readonly options: ClusterMembershipOptions) {
    this.firstAssignment = new Promise((resolve) => (this.resolveFirstAssignment = resolve))
  }

  attach(handler: AssignmentHandler, requestRejoin: () => void): void {
    this.handler = handler
    this.requestRejoin = requestRejoin
  }

  /** Resolves once this worker has run its first assignment. */
  joined(): Promise<void> {
    return this.firstAssignment
  }

  currentGeneration(): number {
    return this.generation
  }

  isLeader(): boolean {
    return this.leader
  }

  ownsConnector(connector: string): boolean {
    return this.connectors.has(connector)
  }

  ownsTask(task: TaskId): boolean {
    return this.tasks.has(taskKey(task))
  }

  async requireLeader(): Promise<void> {
    // A write that arrives during a rebalance (one it caused, often) waits for it to end, for a while.
    if (this.rebalancing) await this.untilSettled(WRITE_REBALANCE_WAIT_MS)
    if (this.rebalancing || this.leaderUrl === null) throw new RebalanceInProgressError()
    if (!this.leader) throw new NotLeaderError(this.leaderUrl, true)
  }

  ownerUrlOf(task: TaskId): string | null {
    return this.owners.get(taskKey(task)) ?? null
  }

  /**
   * The leader asks for a new round when the connectors or their task counts differ from what it last assigned:
   * after a create, a delete, or task configs of another length.
   */
  checkAssignmentCurrent(): void {
    if (this.leader && !this.rebalancing && shapeOf(this.options.configs) !== this.assignedShape) this.requestRejoin?.()
  }

  workerState(): WorkerState {
    return {
      url: this.options.url,
      configOffset: this.options.configs.offset(),
      allocation: allocationOf([...[...this.connectors].map(connectorKey), ...this.tasks]),
    }
  }

  async onRebalanceStarted(eager: boolean): Promise<void> {
    this.rebalancing = true
    if (this.rebalanceStartedAt === null) {
      this.rebalanceStartedAt = Date.now()
      this.options.rebalances?.rebalanceStarted()
    }
    if (!eager || this.handler === null) return
    const handler = this.handler
    await handler.inTurn(async () => {
      await handler.releaseAll()
      this.connectors.clear()
      this.tasks.clear()
    })
  }

  async assign(round: LeaderRound): Promise<ReadonlyMap<string, ConnectAssignment>> {
    // Bounded: the others wait in SyncGroup meanwhile, and a leader silent for a session is dropped. An assignment
    // from a config a little behind is corrected by the next round, which reading it up causes.
    const caughtUp = await withinMs(this.options.catchUp(), this.options.workerSyncTimeoutMs)
    if (!caughtUp) this.options.logger.warn('could not read the internal topics to their end within worker.sync.timeout.ms; assigning from what was read')
    const { configs, statuses } = this.options
    const work = {
      connectors: configs.connectorNames(),
      tasks: configs.connectorNames().flatMap((connector) => configs.taskConfigs(connector).map((_, task) => ({ connector, task }))),
    }
    const eager = round.protocolVersion === 0
    const members = round.members.map(({ memberId, state }) => ({ memberId, allocation: eager ? EMPTY_ALLOCATION : state.allocation }))
    const result = assignWork({
      members,
      work,
      // Under the eager protocol every member has stopped everything: there is nothing to keep and nothing withheld.
      memory: eager ? FIRST_ROUND : this.memory,
      now: Date.now(),
      maxDelayMs: this.options.scheduledRebalanceMaxDelayMs,
      releasedCleanly: (item) => releasedCleanly(statuses, item),
    })
    this.memory = result.memory
    this.assignedShape = shapeOf(configs)
    const urls = new Map(round.members.map(({ memberId, state }) => [memberId, state.url]))
    const leaderUrl = urls.get(round.leaderId) ?? ''
    const owners = new Map<string, string>()
    const assignments = new Map<string, ConnectAssignment>()
    for (const { memberId, allocation } of members) {
      const { assigned, revoked } = result.assignments.get(memberId)!
      const revokedKeys = new Set(keysOf(revoked))
      for (const key of [...keysOf(allocation), ...keysOf(assigned)]) if (!revokedKeys.has(key)) owners.set(key, urls.get(memberId) ?? '')
      assignments.set(memberId, {
        version: round.protocolVersion,
        error: ASSIGNMENT_ERROR.none,
        leader: round.leaderId,
        leaderUrl,
        configOffset: configs.offset(),
        assigned,
        revoked,
        delayMs: result.delayMs,
      })
    }
    this.owners = owners
    if (result.delayMs > 0) {
      this.options.logger.info('holding back the work of departed workers', { delayMs: result.delayMs, items: result.memory.withheld.size })
    }
    return assignments
  }

  async onAssigned(assignment: ConnectAssignment, generation: number, memberId: string): Promise<void> {
    const handler = this.handler
    if (handler === null) return
    await handler.inTurn(async () => {
      if (assignment.error !== ASSIGNMENT_ERROR.none) {
        this.options.logger.warn('the leader could not assign; rejoining', { error: assignment.error })
        this.requestRejoin?.()
        return
      }
      await handler.release(assignment.revoked.connectors, assignment.revoked.tasks)
      for (const connector of assignment.revoked.connectors) this.connectors.delete(connector)
      for (const task of assignment.revoked.tasks) this.tasks.delete(taskKey(task))
      for (const connector of assignment.assigned.connectors) this.connectors.add(connector)
      for (const task of assignment.assigned.tasks) this.tasks.add(taskKey(task))
      this.generation = generation
      handler.setGeneration(generation)
      this.leader = assignment.leader === memberId
      this.leaderUrl = assignment.leaderUrl
      if (!this.leader) this.owners = new Map()
      // Nothing starts from configs older than those the leader assigned from.
      if (!(await this.options.readConfigPast(assignment.configOffset, this.options.workerSyncTimeoutMs))) {
        this.options.logger.warn('could not read the config topic up to the assignment in worker.sync.timeout.ms; rejoining', {
          configOffset: assignment.configOffset,
        })
        this.requestRejoin?.()
        return
      }
      this.rebalancing = false
      for (const settled of this.settledWaiters.splice(0)) settled()
      this.options.rebalances?.rebalanced(Date.now() - (this.rebalanceStartedAt ?? Date.now()), generation)
      this.rebalanceStartedAt = null
      await handler.reconcileAll()
    })
    this.resolveFirstAssignment()
    this.checkAssignmentCurrent()
  }

  private async untilSettled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      new Promise<void>((resolve) => this.settledWaiters.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ])
    clearTimeout(timer)
  }

  async onMembershipLost(reason: string): Promise<void> {
    const handler = this.handler
    this.options.logger.warn('lost group membership: stopping every connector and task on this worker', { reason })
    this.rebalancing = true
    if (handler === null) return
    await handler.inTurn(async () => {
      await handler.releaseAll()
      this.connectors.clear()
      this.tasks.clear()
    })
  }
}

const withinMs = async (work: Promise<void>, timeoutMs: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined
  const result = await Promise.race([work.then(() => true, () => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))])
  clearTimeout(timer)
  return result
}

/** How long a write waits for a rebalance in progress to end before Kafka Connect's 409. */
const WRITE_REBALANCE_WAIT_MS = 10_000

/** A connector's or task's status says it may still run somewhere unless its last worker wrote it down as stopped. */
const releasedCleanly = (statuses: StatusStore, item: WorkItem): boolean => {
  const status = item.kind === 'connector' ? statuses.connector(item.connector) : statuses.task(item.id.connector, item.id.task)
  return status === undefined || !['RUNNING', 'PAUSED', 'RESTARTING'].includes(status.state)
}

const keysOf = (allocation: { connectors: readonly string[]; tasks: readonly TaskId[] }): string[] => [
  ...allocation.connectors.map(connectorKey),
  ...allocation.tasks.map(taskKey),
]

const shapeOf = (configs: ConfigStore): string =>
  JSON.stringify(configs.connectorNames().map((name) => [name, configs.taskConfigs(name).length]))
