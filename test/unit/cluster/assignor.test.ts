import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assignWork, FIRST_ROUND, type AssignmentRound, type MemberReport } from '../../../src/cluster/assignor.ts'
import { EMPTY_ALLOCATION, type Allocation } from '../../../src/cluster/connect-protocol.ts'

const work = (connectors: number, tasksEach: number) => {
  const names = Array.from({ length: connectors }, (_, i) => `c${i}`)
  return { connectors: names, tasks: names.flatMap((connector) => Array.from({ length: tasksEach }, (_, task) => ({ connector, task }))) }
}

/** What each member runs after applying its assignment: what it ran, minus revoked, plus assigned. */
const apply = (members: MemberReport[], round: AssignmentRound): MemberReport[] =>
  members.map(({ memberId, allocation }) => {
    const { assigned, revoked } = round.assignments.get(memberId)!
    const gone = new Set(revoked.tasks.map(({ connector, task }) => `${connector}/${task}`))
    return {
      memberId,
      allocation: {
        connectors: [...allocation.connectors.filter((c) => !revoked.connectors.includes(c)), ...assigned.connectors],
        tasks: [...allocation.tasks.filter(({ connector, task }) => !gone.has(`${connector}/${task}`)), ...assigned.tasks],
      },
    }
  })

const taskCounts = (members: MemberReport[]) => members.map(({ allocation }) => allocation.tasks.length)
const everyTaskOnce = (members: MemberReport[], expected: number) => {
  const keys = members.flatMap(({ allocation }) => allocation.tasks.map(({ connector, task }) => `${connector}/${task}`))
  assert.equal(new Set(keys).size, keys.length, 'no task on two members')
  assert.equal(keys.length, expected)
}

const settle = (members: MemberReport[], clusterWork: ReturnType<typeof work>, now = 0, memory = FIRST_ROUND, releasedCleanly = () => false) => {
  let state = members
  let round = assignWork({ members: state, work: clusterWork, memory, now, maxDelayMs: 1_000, releasedCleanly })
  for (let i = 0; i < 5; i++) {
    state = apply(state, round)
    const revoking = [...round.assignments.values()].some(({ revoked }) => revoked.tasks.length + revoked.connectors.length > 0)
    if (!revoking) break
    round = assignWork({ members: state, work: clusterWork, memory: round.memory, now, maxDelayMs: 1_000, releasedCleanly })
  }
  return { state, round }
}

const member = (memberId: string, allocation: Allocation = EMPTY_ALLOCATION): MemberReport => ({ memberId, allocation })

describe('incremental cooperative assignment', () => {
  it('spreads connectors and tasks evenly over the members, a task on one member only', () => {
    const { state } = settle([member('a'), member('b'), member('c')], work(8, 2))
    everyTaskOnce(state, 16)
    const counts = taskCounts(state)
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, JSON.stringify(counts))
    const connectors = state.map(({ allocation }) => allocation.connectors.length)
    assert.ok(Math.max(...connectors) - Math.min(...connectors) <= 1)
  })

  it('moves only what a new member needs, and only by revoking it first', () => {
    const { state, round } = settle([member('a'), member('b'), member('c')], work(6, 2))
    const joined = [...state, member('d')]
    const first = assignWork({ members: joined, work: work(6, 2), memory: round.memory, now: 0, maxDelayMs: 1_000, releasedCleanly: () => false })
    assert.deepEqual(first.assignments.get('d')!.assigned.tasks, [], 'nothing is handed to d while others still run it')
    const revoked = [...first.assignments.values()].reduce((sum, { revoked }) => sum + revoked.tasks.length, 0)
    assert.equal(revoked, 3, 'a, b and c each give up one of their four')
    const { state: after } = settle(apply(joined, first), work(6, 2), 0, first.memory)
    everyTaskOnce(after, 12)
    assert.deepEqual(taskCounts(after), [3, 3, 3, 3])
  })

  it('holds back a departed member’s work for the scheduled delay, then hands it out', () => {
    const { state, round } = settle([member('a'), member('b')], work(2, 2))
    const survivors = state.filter(({ memberId }) => memberId === 'a')
    const held = assignWork({ members: survivors, work: work(2, 2), memory: round.memory, now: 10_000, maxDelayMs: 1_000, releasedCleanly: () => false })
    assert.deepEqual(held.assignments.get('a')!.assigned.tasks, [])
    assert.equal(held.delayMs, 1_000)
    const later = assignWork({ members: survivors, work: work(2, 2), memory: held.memory, now: 11_000, maxDelayMs: 1_000, releasedCleanly: () => false })
    assert.equal(later.delayMs, 0)
    everyTaskOnce(apply(survivors, later), 4)
  })

  it('hands out at once what a member released cleanly (it wrote UNASSIGNED before leaving)', () => {
    const { state, round } = settle([member('a'), member('b')], work(2, 2))
    const survivors = state.filter(({ memberId }) => memberId === 'a')
    const next = assignWork({ members: survivors, work: work(2, 2), memory: round.memory, now: 10_000, maxDelayMs: 60_000, releasedCleanly: () => true })
    assert.equal(next.delayMs, 0)
    everyTaskOnce(apply(survivors, next), 4)
  })

  it('revokes deleted work and work two members claim', () => {
    const both: Allocation = { connectors: [], tasks: [{ connector: 'c0', task: 0 }] }
    const round = assignWork({
      members: [member('a', both), member('b', both), member('c', { connectors: ['gone'], tasks: [] })],
      work: work(1, 1),
      memory: FIRST_ROUND,
      now: 0,
      maxDelayMs: 0,
      releasedCleanly: () => false,
    })
    assert.deepEqual(round.assignments.get('b')!.revoked.tasks, [{ connector: 'c0', task: 0 }])
    assert.deepEqual(round.assignments.get('c')!.revoked.connectors, ['gone'])
    assert.deepEqual(round.assignments.get('a')!.revoked, EMPTY_ALLOCATION)
  })
})
