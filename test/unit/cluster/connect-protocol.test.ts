import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  decodeAssignment,
  decodeWorkerState,
  encodeAssignment,
  encodeWorkerState,
  EMPTY_ALLOCATION,
  type ConnectAssignment,
} from '../../../src/cluster/connect-protocol.ts'

const assignment: ConnectAssignment = {
  version: 1,
  error: 0,
  leader: 'member-1',
  leaderUrl: 'http://10.0.0.1:8083',
  configOffset: 42n,
  assigned: { connectors: ['a'], tasks: [{ connector: 'a', task: 0 }, { connector: 'b', task: 1 }] },
  revoked: { connectors: [], tasks: [{ connector: 'c', task: 0 }] },
  delayMs: 1500,
}

describe('Kafka Connect group protocol', () => {
  it('lays out eager (v0) worker metadata as ConnectProtocol: version, url, config offset', () => {
    const bytes = encodeWorkerState(0, { url: 'http://w:8083', configOffset: 7n, allocation: EMPTY_ALLOCATION })
    // int16 0 | int16 13 "http://w:8083" | int64 7
    assert.equal(bytes.toString('hex'), '0000' + '000d' + Buffer.from('http://w:8083').toString('hex') + '0000000000000007')
    assert.deepEqual(decodeWorkerState(bytes), { url: 'http://w:8083', configOffset: 7n, allocation: EMPTY_ALLOCATION })
  })

  it('carries the current allocation in incremental metadata, null when the worker runs nothing', () => {
    const idle = encodeWorkerState(1, { url: 'u', configOffset: -1n, allocation: EMPTY_ALLOCATION })
    assert.equal(idle.subarray(-4).readInt32BE(), -1, 'a null allocation')
    const busy = { url: 'u', configOffset: 3n, allocation: assignment.assigned }
    assert.deepEqual(decodeWorkerState(encodeWorkerState(2, busy)), busy)
  })

  it('round-trips a v1 assignment, the connector itself as task -1 grouped with its tasks', () => {
    const bytes = encodeAssignment(assignment)
    assert.deepEqual(decodeAssignment(bytes), assignment)
    // After the header and leader fields: 2 connector entries; "a" holds -1 (the connector) and task 0.
    const afterOffset = 2 + 2 + (2 + 8) + (2 + 20) + 8
    assert.equal(bytes.readInt32BE(afterOffset), 2)
    assert.equal(bytes.toString('utf8', afterOffset + 6, afterOffset + 7), 'a')
    assert.equal(bytes.readInt32BE(afterOffset + 7), 2)
    assert.equal(bytes.readInt32BE(afterOffset + 11), -1)
  })

  it('reads a v0 assignment without revoked and delay fields', () => {
    const v0 = encodeAssignment({ ...assignment, version: 0 })
    assert.deepEqual(decodeAssignment(v0), { ...assignment, version: 0, revoked: EMPTY_ALLOCATION, delayMs: 0 })
  })

  it('refuses a truncated message instead of inventing fields', () => {
    assert.throws(() => decodeAssignment(encodeAssignment(assignment).subarray(0, 20)), /ends early/)
  })
})
