import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createStringConverter, SimpleHeaderConverter } from '../../../src/converters/index.ts'
import type { BatchHandlers, CommitOffset, ConsumedBatch } from '../../../src/kafka/record-consumer.ts'
import { silentLogger } from '../../../src/logger.ts'
import { TaskRecorder } from '../../../src/metrics/task-recorder.ts'
import type { SinkTask } from '../../../src/plugin/sink-task.ts'
import { RecordErrorHandler } from '../../../src/worker/error-handler.ts'
import { SinkTaskRunner, type SinkRecordConsumer } from '../../../src/worker/sink-task-runner.ts'
import { emptyTransformationChain } from '../../../src/worker/transformation-chain.ts'

class FakeConsumer implements SinkRecordConsumer {
  handlers!: BatchHandlers
  readonly commits: CommitOffset[][] = []
  async run(handlers: BatchHandlers): Promise<void> {
    this.handlers = handlers
  }
  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    this.commits.push([...offsets])
  }
  pause(): void {}
  resume(): void {}
  async disconnect(): Promise<void> {}
}

const task: SinkTask = { start: async () => {}, put: async () => {}, flush: async () => {}, stop: async () => {} }

const batch = (values: readonly string[], firstOffset: number, highWatermark: number): ConsumedBatch => ({
  topic: 't',
  partition: 0,
  highWatermark: String(highWatermark),
  messages: values.map((value, i) => ({ key: null, value: Buffer.from(value), timestamp: '1700000000000', offset: String(firstOffset + i) })),
})

describe('what a sink runner tells its metrics', () => {
  it('reports reads, puts, the lag behind each fetch’s high watermark and the records committed, once per batch', async () => {
    const consumer = new FakeConsumer()
    const recorder = new TaskRecorder('c', 0, 'sink', false)
    const id = { connector: 'c', task: 0 }
    const runner = new SinkTaskRunner({
      id,
      task,
      config: {},
      converters: {
        key: createStringConverter(),
        value: createStringConverter(),
        header: new SimpleHeaderConverter(),
        classNames: { key: 'StringConverter', value: 'StringConverter', header: 'SimpleHeaderConverter' },
      },
      chain: emptyTransformationChain,
      consumer,
      errors: new RecordErrorHandler({ tolerance: 'none', retryTimeoutMs: 0, retryDelayMaxMs: 0, log: false, logRecords: false, deadLetterTopic: null, contextHeaders: false }, id, silentLogger),
      deadLetters: null,
      offsetFlushIntervalMs: 3_600_000,
      shutdownTimeoutMs: 1_000,
      metrics: recorder,
      logger: silentLogger,
      reportDegraded: () => {},
      onStateChange: () => {},
    })
    await runner.start()
    consumer.handlers.onAssigned([{ topic: 't', partition: 0 }])
    await consumer.handlers.onBatch(batch(['a', 'b', 'c'], 10, 20))
    assert.equal(recorder.readTotal, 3)
    assert.equal(recorder.sentTotal, 3)
    assert.deepEqual(recorder.lag(), [{ topic: 't', partition: 0, lag: 7 }])
    assert.equal(recorder.activeCount(), 3)
    await runner.stop()
    assert.deepEqual(consumer.commits.at(-1), [{ topic: 't', partition: 0, offset: 13n }])
    assert.equal(recorder.committedTotal, 3)
    assert.equal(recorder.activeCount(), 0)
    assert.equal(recorder.commitSuccesses, consumer.commits.length)
  })
})
