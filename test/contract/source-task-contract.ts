import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { waitFor } from '../../scripts/infra/wait.ts'
import type { SourceRecord } from '../../src/data/record.ts'
import { parseTaskConfig } from '../../src/config/task-config.ts'
import { assertBadConfigRefused, outcomeWithin } from './shared.ts'
import { type SourceConnectorPlugin, type SourceTask, type SourceTaskContext, type TaskConfig } from '../../src/plugin/index.ts'

/** What a source connector's test gives the contract: a real upstream system and configs for it. */
export interface SourceTaskFixture {
  /** The connector plugin whose tasks are under test: they are created and configured as the runtime does. */
  readonly plugin: SourceConnectorPlugin
  /** A valid task config whose upstream this fixture controls; each call may name a fresh place upstream. */
  config(): TaskConfig
  /** A config with one bad value, and the key a ConfigError must name. */
  readonly badConfig: { readonly config: TaskConfig; readonly key: string }
  /** Makes `count` records available upstream for a task started with `config`, numbered from `from`. */
  produce(config: TaskConfig, count: number, from: number): Promise<void>
  /** The number a produced record carries, as `produce` numbered it. */
  sequenceOf(record: SourceRecord): number
  /** Makes the upstream system unreachable until `end()`. */
  readonly outage: { begin(): Promise<void>; end(): Promise<void> }
  close(): Promise<void>
}

/** A context whose degraded reports land in `reports`, latest last. */
const context = (connector: string, reports: (string | null)[] = []): SourceTaskContext => ({
  taskId: { connector, task: 0 },
  offsetOf: () => null,
  reportDegraded: (reason) => reports.push(reason),
})

/** Polls until `count` records arrived or `timeoutMs` passed; commits nothing. */
const pollUntil = async (task: SourceTask, count: number, timeoutMs = 10_000): Promise<SourceRecord[]> => {
  const records: SourceRecord[] = []
  const deadline = Date.now() + timeoutMs
  const signal = new AbortController().signal
  while (records.length < count && Date.now() < deadline) records.push(...(await task.poll(signal)))
  return records
}

/**
 * The conventions every source task keeps, whatever its upstream: how the runtime calls it (start, poll, commitRecord,
 * stop), how it reports bad config, and what it leaves unacknowledged upstream. Each connector's test runs it against
 * a real upstream system, as `transforms/contract.test.ts` does for transformations.
 */
export const sourceTaskContract = (name: string, setUp: () => Promise<SourceTaskFixture>): void => {
  describe(`${name} keeps the source task contract`, () => {
    let fixture: SourceTaskFixture
    before(async () => (fixture = await setUp()))
    after(async () => fixture?.close())

    it('has its bad config refused before any task starts, by a ConfigError naming the key', () => {
      assertBadConfigRefused(fixture.plugin, fixture.badConfig)
    })

    it('polls what is upstream in order, takes commitRecord in poll order, and refuses it out of order', async () => {
      const config = fixture.config()
      const task = fixture.plugin.createTask()
      await task.start(parseTaskConfig(fixture.plugin, config), context('contract-order'))
      try {
        await fixture.produce(config, 20, 0)
        const records = await pollUntil(task, 20)
        assert.deepEqual(records.map((record) => fixture.sequenceOf(record)), Array.from({ length: 20 }, (_, n) => n))
        if (task.commitRecord !== undefined) {
          assert.throws(() => task.commitRecord!(records[1]!, { topic: records[1]!.topic }), 'a commit out of poll order is refused')
          for (const record of records) task.commitRecord(record, { topic: record.topic })
        }
      } finally {
        await task.stop()
      }
    })

    it('answers a poll with nothing upstream promptly, and one in progress as soon as its signal aborts', async () => {
      const task = fixture.plugin.createTask()
      await task.start(parseTaskConfig(fixture.plugin, fixture.config()), context('contract-idle'))
      try {
        const started = performance.now()
        assert.deepEqual(await task.poll(new AbortController().signal), [])
        assert.ok(performance.now() - started < 5_000, 'an idle poll returns [] after a short wait')
        const abort = new AbortController()
        const polling = task.poll(abort.signal)
        const aborted = performance.now()
        abort.abort()
        assert.deepEqual(await polling, [])
        assert.ok(performance.now() - aborted < 1_000, 'an aborted poll resolves at once')
      } finally {
        await task.stop()
      }
    })

    it('leaves what was polled but never committed to be delivered again to the next task with that config', async () => {
      const config = fixture.config()
      const first = fixture.plugin.createTask()
      await first.start(parseTaskConfig(fixture.plugin, config), context('contract-redeliver'))
      await fixture.produce(config, 10, 100)
      const polled = await pollUntil(first, 10)
      assert.equal(polled.length, 10)
      // Only the first half reaches Kafka: the rest must come back.
      for (const record of polled.slice(0, 5)) first.commitRecord?.(record, { topic: record.topic })
      await first.stop()

      const second = fixture.plugin.createTask()
      await second.start(parseTaskConfig(fixture.plugin, config), context('contract-redeliver'))
      try {
        const again = await pollUntil(second, 5)
        assert.deepEqual(again.map((record) => fixture.sequenceOf(record)), [105, 106, 107, 108, 109])
      } finally {
        await second.stop()
      }
    })

    it('calls off a start still in progress when stopped, and stops twice in a row', async () => {
      const task = fixture.plugin.createTask()
      const starting = task.start(parseTaskConfig(fixture.plugin, fixture.config()), context('contract-stop'))
      await task.stop()
      const outcome = await outcomeWithin(starting, 2_000)
      assert.equal(outcome, 'rejected', 'a start that stop() interrupted fails rather than leaving a live connection behind')
      await task.stop()
    })

    it('says it is degraded while the system it bridges to is unreachable, and recovered once it is back', async () => {
      const { outage } = fixture
      const reports: (string | null)[] = []
      const task = fixture.plugin.createTask()
      await task.start(parseTaskConfig(fixture.plugin, fixture.config()), context('contract-degraded', reports))
      try {
        await outage.begin()
        assert.ok(await waitFor(() => typeof reports.at(-1) === 'string', { timeoutMs: 10_000, intervalMs: 20 }), 'a reason is reported during the outage')
        await outage.end()
        assert.ok(await waitFor(() => reports.at(-1) === null, { timeoutMs: 20_000, intervalMs: 50 }), 'recovery is reported')
      } finally {
        await task.stop()
      }
    })
  })
}
