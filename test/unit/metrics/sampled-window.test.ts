import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SampledWindow } from '../../../src/metrics/sampled-window.ts'

describe('a sampled window, as Kafka’s Rate and SampledStat compute', () => {
  it('counts a burst right after start over at least one whole window, as Kafka’s Rate does', () => {
    const window = new SampledWindow(30_000, 2)
    window.record(600, 0)
    assert.equal(window.ratePerSecond(1_000), 20, '600 records over the 30 s minimum')
  })

  it('divides by the time since the oldest sample once that is longer', () => {
    const window = new SampledWindow(30_000, 2)
    window.record(300, 0)
    window.record(300, 35_000)
    assert.equal(window.ratePerSecond(40_000), 15, '600 records over 40 s')
  })

  it('forgets samples older than the window, falling back to 0 and NaN', () => {
    const window = new SampledWindow(30_000, 2)
    window.record(5, 0)
    window.record(9, 1)
    assert.equal(window.average(2), 7)
    assert.equal(window.maximum(2), 9)
    assert.equal(window.ratePerSecond(120_000), 0)
    assert.ok(Number.isNaN(window.average(120_000)))
    assert.ok(Number.isNaN(window.maximum(120_000)))
  })
})
