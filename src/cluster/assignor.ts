import { EMPTY_ALLOCATION, type Allocation, type TaskId } from './connect-protocol.ts'

/**
 * The leader's incremental cooperative assignment (KIP-415), as a pure function of what the members report they run,
 * what the config topic holds, and what the leader remembers of its last round.
 *
 * - Stable: a member keeps what it runs unless it is deleted or must go to balance the group.
 * - Never twice at once: an item is handed out only when no member reports running it. Work that must move is first
 *   revoked; its owner stops it and rejoins, and the next round hands it to someone else.
 * - Balanced: connectors and tasks are spread separately; no member ends with two more of either than another.
 * - Departed workers: work that a member ran in the last round and nobody reports now is held back for
 *   `scheduled.rebalance.max.delay.ms`, in case its worker returns, unless its worker released it cleanly.
 */

export interface MemberReport {
  readonly memberId: string
  readonly allocation: Allocation
}

/** Everything the config topic says should run: every connector, and every task of its committed task configs. */
export interface ClusterWork {
  readonly connectors: readonly string[]
  readonly tasks: readonly TaskId[]
}

/** What the leader carries from one round to the next. A new leader starts from `FIRST_ROUND`. */
export interface AssignorMemory {
  /** Every item held by a member after the last round (what it ran, plus what it was given, minus what it gave up). */
  readonly held: ReadonlySet<string>
  /** Items of departed workers held back, and when the leader hands them out regardless. */
  readonly withheld: ReadonlySet<string>
  readonly releaseAt: number | null
}

export const FIRST_ROUND: AssignorMemory = Object.freeze({ held: new Set<string>(), withheld: new Set<string>(), releaseAt: null })

export interface MemberAssignment {
  /** New to this member in this round: what it starts. */
  readonly assigned: Allocation
  /** What this member must stop before it rejoins. */
  readonly revoked: Allocation
}

export interface AssignmentRound {
  readonly assignments: ReadonlyMap<string, MemberAssignment>
  /** 0, or how long until the leader wants another round to hand out withheld work. */
  readonly delayMs: number
  readonly memory: AssignorMemory
}

export interface AssignorInput {
  readonly members: readonly MemberReport[]
  readonly work: ClusterWork
  readonly memory: AssignorMemory
  readonly now: number
  readonly maxDelayMs: number
  /** Whether the worker that last ran this item stopped it cleanly (it wrote UNASSIGNED), so it may move at once. */
  readonly releasedCleanly: (item: WorkItem) => boolean
}

export type WorkItem = { readonly kind: 'connector'; readonly connector: string } | { readonly kind: 'task'; readonly id: TaskId }

export const assignWork = ({ members, work, memory, now, maxDelayMs, releasedCleanly }: AssignorInput): AssignmentRound => {
  const ordered = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
  const exists = new Map<string, WorkItem>()
  for (const connector of work.connectors) exists.set(connectorKey(connector), { kind: 'connector', connector })
  for (const id of work.tasks) exists.set(taskKey(id), { kind: 'task', id })

  const holdings = new Map<string, Set<string>>(ordered.map(({ memberId }) => [memberId, new Set<string>()]))
  const revoked = new Map<string, Set<string>>(ordered.map(({ memberId }) => [memberId, new Set<string>()]))
  const claimed = new Set<string>()
  for (const { memberId, allocation } of ordered) {
    for (const key of allocationKeys(allocation)) {
      // Deleted work, or work two members claim (only after a fault): given up, so that it runs once at most.
      if (!exists.has(key) || claimed.has(key)) revoked.get(memberId)!.add(key)
      else holdings.get(memberId)!.add(key)
      claimed.add(key)
    }
  }

  // Work someone held last round and nobody reports now belonged to a worker that left.
  const withheld = new Set([...memory.withheld].filter((key) => exists.has(key) && !claimed.has(key)))
  for (const key of memory.held) if (exists.has(key) && !claimed.has(key)) withheld.add(key)
  for (const key of withheld) if (releasedCleanly(exists.get(key)!)) withheld.delete(key)
  let releaseAt = withheld.size === 0 ? null : (memory.releaseAt ?? now + maxDelayMs)
  if (releaseAt !== null && now >= releaseAt) {
    withheld.clear()
    releaseAt = null
  }

  const free = [...exists.keys()].filter((key) => !claimed.has(key) && !withheld.has(key))
  const assigned = new Map<string, Set<string>>(ordered.map(({ memberId }) => [memberId, new Set<string>()]))
  for (const kind of ['connector', 'task'] as const) {
    if (ordered.length === 0) break
    const load = (memberId: string) => countOf(kind, holdings.get(memberId)!) + countOf(kind, assigned.get(memberId)!)
    for (const key of free.filter((item) => kindOf(item) === kind).sort(spreadOrder)) {
      const target = ordered.reduce((best, member) => (load(member.memberId) < load(best.memberId) ? member : best))
      assigned.get(target.memberId)!.add(key)
    }
    revokeSurplus(kind, ordered.map(({ memberId }) => memberId), holdings, assigned, revoked)
  }

  const held = new Set<string>()
  const assignments = new Map<string, MemberAssignment>()
  for (const { memberId } of ordered) {
    for (const key of holdings.get(memberId)!) held.add(key)
    for (const key of assigned.get(memberId)!) held.add(key)
    assignments.set(memberId, { assigned: allocationOf(assigned.get(memberId)!), revoked: allocationOf(revoked.get(memberId)!) })
  }
  return {
    assignments,
    delayMs: releaseAt === null ? 0 : Math.max(0, releaseAt - now),
    memory: { held, withheld, releaseAt },
  }
}

/**
 * Balances one kind by revocation: a member above the ceiling gives up its excess; while some member stays below
 * the floor with nothing free to give it, the most loaded members give up one more each. What they give up is handed
 * out in the next round, once they have stopped it.
 */
const revokeSurplus = (
  kind: WorkItem['kind'],
  memberIds: readonly string[],
  holdings: Map<string, Set<string>>,
  assigned: Map<string, Set<string>>,
  revoked: Map<string, Set<string>>,
): void => {
  const load = (memberId: string) => countOf(kind, holdings.get(memberId)!) + countOf(kind, assigned.get(memberId)!)
  const total = memberIds.reduce((sum, memberId) => sum + load(memberId), 0)
  const floor = Math.floor(total / memberIds.length)
  let deficit = memberIds.reduce((sum, memberId) => sum + Math.max(0, floor - load(memberId)), 0)
  const ceiling = Math.ceil(total / memberIds.length)
  const giveUp = (memberId: string) => {
    const key = [...holdings.get(memberId)!].filter((item) => kindOf(item) === kind).sort(spreadOrder).pop()
    if (key === undefined) return false
    holdings.get(memberId)!.delete(key)
    revoked.get(memberId)!.add(key)
    return true
  }
  for (const memberId of memberIds) {
    while (load(memberId) > ceiling && giveUp(memberId)) deficit--
  }
  while (deficit > 0) {
    const richest = [...memberIds].sort((a, b) => load(b) - load(a))[0]!
    if (load(richest) <= floor || !giveUp(richest)) break
    deficit--
  }
}

export const connectorKey = (connector: string): string => `c\u0000${connector}`
export const taskKey = ({ connector, task }: TaskId): string => `t\u0000${connector}\u0000${task}`

const kindOf = (key: string): WorkItem['kind'] => (key.startsWith('c\u0000') ? 'connector' : 'task')

const countOf = (kind: WorkItem['kind'], keys: ReadonlySet<string>): number => {
  let count = 0
  for (const key of keys) if (kindOf(key) === kind) count++
  return count
}

/** Tasks 0 of every connector first, then tasks 1, so that one connector's tasks spread over the members. */
const spreadOrder = (a: string, b: string): number => {
  const [, connectorA = '', taskA = '-1'] = a.split('\u0000')
  const [, connectorB = '', taskB = '-1'] = b.split('\u0000')
  return Number(taskA) - Number(taskB) || (connectorA < connectorB ? -1 : connectorA > connectorB ? 1 : 0)
}

const allocationKeys = (allocation: Allocation): string[] => [
  ...allocation.connectors.map(connectorKey),
  ...allocation.tasks.map(taskKey),
]

export const allocationOf = (keys: Iterable<string>): Allocation => {
  const connectors: string[] = []
  const tasks: TaskId[] = []
  for (const key of keys) {
    const [, connector = '', task] = key.split('\u0000')
    if (task === undefined) connectors.push(connector)
    else tasks.push({ connector, task: Number(task) })
  }
  if (connectors.length === 0 && tasks.length === 0) return EMPTY_ALLOCATION
  return { connectors, tasks }
}
