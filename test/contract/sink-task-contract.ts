import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { waitFor } from '../../scripts/infra/wait.ts'
import type { SinkRecord } from '../../src/data/record.ts'
import { parseTaskConfig } from '../../src/config/task-config.ts'
import { assertBadConfigRefused, outcomeWithin } from './shared.ts'
import { type SinkConnectorPlugin, type SinkTaskContext, type TaskConfig } from '../../src/plugin/index.ts'

/** What a sink connector's test gives the contract: a real downstream system and configs for it. */
export interface SinkTaskFixture {
  /** The connector plugin whose tasks are under test: they are created and configured as the runtime does. */
  readonly plugin: SinkConnectorPlugin
  /** A valid task config whose downstream this fixture watches; each call may name a fresh place downstream. */
  config(): Promise<TaskConfig>
  /** A config with one bad value, and the key a ConfigError must name. */
  readonly badConfig: { readonly config: TaskConfig; readonly key: string }
  /** The record numbered `n`, as the worker's consumer would hand it over. */
  record(n: number): SinkRecord
  /**
   * The numbers of the records downstream holds for `config`, in arrival order, once it holds `count` of them or a
   * few seconds passed (a watcher may see what the downstream system acknowledged a moment later).
   */
  received(config: TaskConfig, count: number): Promise<readonly number[]>
  /** Makes the downstream system unreachable until `end()`. */
  readonly outage: { begin(): Promise<void>; end(): Promise<void> }
  close(): Promise<void>
}

/** A context whose degraded reports land in `reports`, latest last. */
const context = (connector: string, reports: (string | null)[] = []): SinkTaskContext => ({
  taskId: { connector, task: 0 },
  reportDegraded: (reason) => reports.push(reason),
})

/**
 * The conventions every sink task keeps, whatever its downstream: `flush()` resolves only once everything `put()`
 * so far is durable there (the worker commits Kafka offsets after it), bad config is a ConfigError naming its key,
 * and a stopped task takes no more records. Each connector's test runs it against a real downstream system.
 */
export const sinkTaskContract = (name: string, setUp: () => Promise<SinkTaskFixture>): void => {
  describe(`${name} keeps the sink task contract`, () => {
    let fixture: SinkTaskFixture
    before(async () => (fixture = await setUp()))
    after(async () => fixture?.close())

    it('has its bad config refused before any task starts, by a ConfigError naming the key', () => {
      assertBadConfigRefused(fixture.plugin, fixture.badConfig)
    })

    it('has every record put() so far downstream, in order, once flush() resolves', async () => {
      const config = await fixture.config()
      const task = fixture.plugin.createTask()
      await task.start(parseTaskConfig(fixture.plugin, config), context('contract-flush'))
      try {
        await task.flush([])
        const records = Array.from({ length: 50 }, (_, n) => fixture.record(n))
        await task.put(records.slice(0, 25))
        await task.put(records.slice(25))
        await task.flush([{ topic: records[0]!.topic, partition: 0, offset: 50n }])
        assert.deepEqual(await fixture.received(config, 50), Array.from({ length: 50 }, (_, n) => n))
      } finally {
        await task.stop()
      }
    })

    it('takes no records once stopped', async () => {
      const task = fixture.plugin.createTask()
      await task.start(parseTaskConfig(fixture.plugin, await fixture.config()), context('contract-stopped'))
      await task.stop()
      await assert.rejects(task.put([fixture.record(0)]))
    })

    it('calls off a start still in progress when stopped, and stops twice in a row', async () => {
      const task = fixture.plugin.createTask()
      const starting = task.start(parseTaskConfig(fixture.plugin, await fixture.config()), context('contract-stop'))
      await task.stop()
      assert.equal(await outcomeWithin(starting, 2_000), 'rejected', 'a start that stop() interrupted fails rather than leaving a live connection behind')
      await task.stop()
    })

    it('says it is degraded while the system it bridges to is unreachable, and recovered once it is back', async () => {
      const { outage } = fixture
      const reports: (string | null)[] = []
      const task = fixture.plugin.createTask()
      await task.start(parseTaskConfig(fixture.plugin, await fixture.config()), context('contract-degraded', reports))
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
