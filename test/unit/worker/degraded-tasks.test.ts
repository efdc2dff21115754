import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DegradedTasks } from '../../../src/worker/degraded-tasks.ts'

describe('DegradedTasks', () => {
  it('lists what each task cannot reach, keeps when an outage began, and forgets on recovery or stop', () => {
    const degraded = new DegradedTasks()
    const mqtt = degraded.reporter('sensors', 0, 'external')
    const kafka = degraded.reporter('sensors', 0, 'kafka')
    mqtt('broker gone')
    const since = degraded.list()[0]!.since
    mqtt('broker still gone')
    kafka('Kafka unreachable')
    assert.deepEqual(
      degraded.list().map(({ area, reason }) => [area, reason]),
      [
        ['external', 'broker still gone'],
        ['kafka', 'Kafka unreachable'],
      ],
    )
    assert.equal(degraded.list()[0]!.since, since, 'a repeated report keeps when the outage began')
    mqtt(null)
    assert.deepEqual(degraded.list().map(({ area }) => area), ['kafka'])
    degraded.reporter('other', 1, 'external')('down')
    degraded.forget('sensors', 0)
    assert.deepEqual(degraded.list().map(({ connector, task }) => `${connector}-${task}`), ['other-1'])
  })
})
