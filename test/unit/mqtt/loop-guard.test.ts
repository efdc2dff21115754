import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LoopGuard, ORIGIN_FILTERS_HEADER, ORIGIN_HEADER } from '../../../connectors/mqtt/origin.ts'
import { topicMatchesFilter } from '../../../connectors/mqtt/topic-mapping.ts'
import { stringHeader, type ConnectHeaders } from '../../../src/data/headers.ts'

const stamped = (origin: string, filters?: string): ConnectHeaders => [
  stringHeader(ORIGIN_HEADER, origin),
  ...(filters === undefined ? [] : [stringHeader(ORIGIN_FILTERS_HEADER, filters)]),
]

describe('loop prevention', () => {
  const guard = new LoopGuard('broker:1883')

  it('skips a record only when the target topic matches a filter of the source that bridged it from this broker', () => {
    assert.equal(guard.wouldLoop(stamped('broker:1883', 'in/#'), 'in/device-1/echo'), true)
    assert.equal(guard.wouldLoop(stamped('broker:1883', 'in/#'), 'out/device-1'), false)
    assert.equal(guard.wouldLoop(stamped('broker:1883', 'sensors/+/temperature,alarms/#'), 'alarms/fire'), true)
    assert.equal(guard.wouldLoop(stamped('broker:1883', 'sensors/+/temperature'), 'sensors/lyon/humidity'), false)
  })

  it('publishes what another broker bridged, what no source stamped, and what was stamped without filters', () => {
    assert.equal(guard.wouldLoop(stamped('other:1883', 'in/#'), 'in/x'), false)
    assert.equal(guard.wouldLoop([], 'in/x'), false)
    assert.equal(guard.wouldLoop(stamped('broker:1883'), 'in/x'), false)
  })

  it('reads headers a header converter turned into bytes or numbers', () => {
    const headers: ConnectHeaders = [
      { key: ORIGIN_HEADER, schema: null, value: new TextEncoder().encode('broker:1883') },
      { key: ORIGIN_FILTERS_HEADER, schema: null, value: 7 },
    ]
    assert.equal(guard.wouldLoop(headers, '7'), true)
  })

  it('matches topics as MQTT does', () => {
    const match = (filter: string, topic: string) => topicMatchesFilter(filter.split('/'), topic.split('/'))
    assert.equal(match('a/#', 'a'), true)
    assert.equal(match('a/+', 'a/b/c'), false)
    assert.equal(match('+/b', 'a/b'), true)
    assert.equal(match('#', '$SYS/broker'), false)
    assert.equal(match('$SYS/#', '$SYS/broker'), true)
  })
})
