import type { Logger } from '../logger.ts'
import { sleep } from '../plugin/retry.ts'
import { GroupCallError, type GroupCoordinator, type JoinedGroup } from '../kafka/group-coordinator.ts'
import {
  decodeAssignment,
  decodeWorkerState,
  encodeAssignment,
  encodeWorkerState,
  PROTOCOL_VERSIONS,
  type ConnectAssignment,
  type ProtocolName,
  type WorkerState,
} from './connect-protocol.ts'

/** What the member asks of the herder; the herder never talks to the coordinator itself. */
export interface GroupListener {
  /** What goes in JoinGroup: this worker's URL, config offset and what it runs now. */
  workerState(): WorkerState
  /** A rebalance begins. Under the eager protocol the worker must stop everything before it rejoins. */
  onRebalanceStarted(eager: boolean): Promise<void>
  /** Leader only: every member's assignment for this generation, complete (eager) or incremental. */
  assign(round: LeaderRound): Promise<ReadonlyMap<string, ConnectAssignment>>
  /** Stops what was revoked, catches up with the config topic, starts what was assigned. Never throws. */
  onAssigned(assignment: ConnectAssignment, generation: number, memberId: string): Promise<void>
  /** This worker can no longer prove it is a member: it stops everything, so nothing it ran may run twice. */
  onMembershipLost(reason: string): Promise<void>
}

export interface LeaderRound {
  readonly generation: number
  readonly leaderId: string
  readonly protocolVersion: number
  readonly members: readonly { readonly memberId: string; readonly state: WorkerState }[]
}

export interface GroupMemberOptions {
  readonly heartbeatIntervalMs: number
  readonly sessionTimeoutMs: number
  /** How long the leader holds back a departed worker's work: part of when this worker fences itself. */
  readonly scheduledRebalanceMaxDelayMs: number
  /** The protocols this worker speaks, most preferred first. */
  readonly protocols: readonly ProtocolName[]
}

/** How long a stopping member waits for its loop to notice. */
const STOP_WAIT_MS = 5_000

/** How long to wait before trying an unreachable coordinator again. */
const COORDINATOR_RETRY_MS = 500

/**
 * One worker's membership of the Connect group, as Kafka Connect's WorkerGroupMember/WorkerCoordinator: join, sync,
 * heartbeat, rejoin when the coordinator, the leader or the herder asks, leave on stop.
 *
 * Fencing: a worker that has not heartbeated successfully for `session.timeout.ms` plus
 * `scheduled.rebalance.max.delay.ms` minus one heartbeat interval stops everything it runs. The coordinator evicts a
 * member only after a full session without heartbeats, and the leader holds a departed member's work back for the
 * scheduled delay, so a worker cut off from Kafka has stopped before anyone else starts its work.
 */
export class WorkerGroupMember {
  private memberId = ''
  private generation = -1
  private eager = false
  private stopped = false
  private rejoinRequested = false
  private wake: (() => void) | null = null
  private lastHeartbeatAt = Date.now()
  private fenced = false
  private running: Promise<void> | null = null

  constructor(
    private readonly coordinator: GroupCoordinator,
    private readonly listener: GroupListener,
    private readonly options: GroupMemberOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = this.run()
  }

  /** Asks for a rebalance (after a connector or its task count changed); the loop rejoins at once. */
  requestRejoin(): void {
    this.rejoinRequested = true
    this.wake?.()
  }

  get currentGeneration(): number {
    return this.generation
  }

  /** Leaves the group (the coordinator rebalances the others at once) and stops the loop. */
  async stop(): Promise<void> {
    this.stopped = true
    this.wake?.()
    // Left at once, not after the loop: a JoinGroup under way can block for rebalance.timeout.ms, and leaving is
    // what lets the coordinator finish that rebalance without this worker.
    if (this.memberId !== '') {
      await this.coordinator.leave(this.memberId).catch((error: unknown) => this.logger.warn('could not leave the group', { error }))
    }
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.running, new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))])
    clearTimeout(timer)
    await this.coordinator.close()
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        // Cleared before joining: a request made while the join is under way asks for one more round.
        this.rejoinRequested = false
        await this.listener.onRebalanceStarted(this.eager)
        if (this.stopped) break
        const joined = await this.coordinator.join(this.memberId, this.protocols())
        this.memberId = joined.memberId
        this.eager = joined.protocol === 'default'
        const assignments = joined.leaderId === joined.memberId ? await this.leaderAssignments(joined) : new Map<string, Buffer>()
        const assignment = decodeAssignment(await this.coordinator.sync(joined.generationId, this.memberId, assignments))
        this.generation = joined.generationId
        this.lastHeartbeatAt = Date.now()
        this.fenced = false
        this.logger.info('joined the group', {
          generation: this.generation,
          leader: assignment.leaderUrl,
          protocol: joined.protocol,
          connectors: assignment.assigned.connectors.length,
          tasks: assignment.assigned.tasks.length,
          revokedConnectors: assignment.revoked.connectors.length,
          revokedTasks: assignment.revoked.tasks.length,
          delayMs: assignment.delayMs,
        })
        await this.heartbeatWhile(this.listener.onAssigned(assignment, this.generation, this.memberId))
        // Having given work up, rejoin at once so that the leader can hand it to someone else.
        if (assignment.revoked.connectors.length > 0 || assignment.revoked.tasks.length > 0) continue
        await this.heartbeatUntilRejoin(assignment.delayMs > 0 ? Date.now() + assignment.delayMs : null)
      } catch (error) {
        await this.recover(error)
      }
    }
  }

  private protocols() {
    const state = this.listener.workerState()
    return this.options.protocols.map((name) => ({ name, metadata: encodeWorkerState(PROTOCOL_VERSIONS[name], state) }))
  }

  private async leaderAssignments(joined: JoinedGroup): Promise<Map<string, Buffer>> {
    const protocolVersion = PROTOCOL_VERSIONS[joined.protocol as ProtocolName] ?? 0
    const members = joined.members.map(({ memberId, metadata }) => ({ memberId, state: decodeWorkerState(metadata) }))
    const assignments = await this.listener.assign({ generation: joined.generationId, leaderId: joined.leaderId, protocolVersion, members })
    return new Map([...assignments].map(([memberId, assignment]) => [memberId, encodeAssignment(assignment)]))
  }

  /** Keeps the session alive while the herder applies an assignment, which can take a task's stop timeout. */
  private async heartbeatWhile(work: Promise<void>): Promise<void> {
    let done = false
    const settled = work.finally(() => {
      done = true
      this.wake?.()
    })
    const failed: { error: Error | null } = { error: null }
    while (!done && failed.error === null) {
      await this.pause(this.options.heartbeatIntervalMs)
      if (done) break
      await this.heartbeatOnce().catch((error: unknown) => (failed.error = error instanceof Error ? error : new Error(String(error))))
    }
    await settled
    if (failed.error !== null) throw failed.error
  }

  private async heartbeatUntilRejoin(rejoinAt: number | null): Promise<void> {
    while (!this.stopped && !this.rejoinRequested) {
      const untilRejoin = rejoinAt === null ? Infinity : rejoinAt - Date.now()
      if (untilRejoin <= 0) return
      await this.pause(Math.min(this.options.heartbeatIntervalMs, untilRejoin))
      if (this.stopped || this.rejoinRequested) return
      await this.heartbeatOnce()
    }
  }

  /** One heartbeat; a coordinator that cannot be reached is tried again until the fencing deadline. */
  private async heartbeatOnce(): Promise<void> {
    for (;;) {
      try {
        await this.coordinator.heartbeat(this.generation, this.memberId)
        this.lastHeartbeatAt = Date.now()
        return
      } catch (error) {
        if (!(error instanceof GroupCallError) || error.kind !== 'coordinator' || this.stopped) throw error
        await this.fenceIfOverdue(error.message)
        await this.pause(COORDINATOR_RETRY_MS)
      }
    }
  }

  private async recover(error: unknown): Promise<void> {
    if (this.stopped) return
    if (error instanceof GroupCallError && error.kind === 'rebalance') return
    if (error instanceof GroupCallError && error.kind === 'unknown-member') {
      // Rejoining with what it runs, as Kafka Connect does: the leader revokes whatever another member holds too.
      this.logger.warn('the group coordinator no longer knows this worker; rejoining as a new member', { generation: this.generation })
      this.memberId = ''
      await this.fenceIfOverdue('the group coordinator evicted this worker')
      return
    }
    this.logger.warn('group membership call failed; trying again', { error })
    await this.fenceIfOverdue(error instanceof Error ? error.message : String(error))
    await this.pause(error instanceof GroupCallError && error.kind === 'fatal' ? 5_000 : COORDINATOR_RETRY_MS)
  }

  private async fenceIfOverdue(reason: string): Promise<void> {
    const silentFor = Date.now() - this.lastHeartbeatAt
    if (silentFor > this.fencingAfterMs()) await this.fence(`no heartbeat for ${silentFor} ms: ${reason}`)
  }

  /**
   * How long without a heartbeat before this worker stops what it runs: one heartbeat short of the earliest moment the
   * leader can hand its work to another (the session, then the scheduled delay). A whole-cluster Kafka outage shorter
   * than that leaves every task running, degraded, holding its MQTT session, which is what loses nothing.
   */
  private fencingAfterMs(): number {
    return this.options.sessionTimeoutMs + this.options.scheduledRebalanceMaxDelayMs - this.options.heartbeatIntervalMs
  }

  private async fence(reason: string): Promise<void> {
    if (this.fenced) return
    this.fenced = true
    await this.listener.onMembershipLost(reason)
  }

  private async pause(ms: number): Promise<void> {
    const early = new AbortController()
    this.wake = () => early.abort()
    await sleep(ms, early.signal).catch(() => {})
    this.wake = null
  }
}
