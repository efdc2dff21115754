import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SinkRecord } from '../../../src/data/record.ts'
import { createJsonConverter, createStringConverter, SimpleHeaderConverter } from '../../../src/converters/index.ts'
import type { BatchHandlers, CommitOffset, ConsumedBatch } from '../../../src/kafka/record-consumer.ts'
import { silentLogger } from '../../../src/logger.ts'
import type { SinkTask, TopicPartitionOffset } from '../../../src/plugin/sink-task.ts'
import { RecordErrorHandler } from '../../../src/worker/error-handler.ts'
import { emptyTransformationChain } from '../../../src/worker/transformation-chain.ts'
import { SinkTaskRunner, type SinkRecordConsumer } from '../../../src/worker/sink-task-runner.ts'
import type { RunnerState } from '../../../src/worker/source-task-runner.ts'

/** Stands in for RecordConsumer: the test hands batches to the runner's handlers and sees what it commits. */
class FakeConsumer implements SinkRecordConsumer {
  handlers!: BatchHandlers
  paused = false
  constructor(private readonly events: string[]) {}
  async run(handlers: BatchHandlers): Promise<void> {
    this.handlers = handlers
  }
  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    this.events.push(`commit ${offsets.map(({ topic, partition, offset }) => `${topic}-${partition}@${offset}`).join(',')}`)
  }
  pause(): void {
    this.paused = true
  }
  resume(): void {
    this.paused = false
  }
  async disconnect(): Promise<void> {
    this.events.push('disconnect')
  }
}

/** A task whose flush completes only when the test says so. */
class FakeTask implements SinkTask {
  readonly put_: SinkRecord[] = []
  private flushGate: { resolve(): void; reject(error: Error): void } | null = null
  holdFlushes = false
  constructor(private readonly events: string[]) {}
  async start(): Promise<void> {}
  async put(records: readonly SinkRecord[]): Promise<void> {
    this.put_.push(...records)
    this.events.push(`put ${records.length}`)
  }
  async flush(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.events.push(`flush ${offsets.map(({ topic, partition, offset }) => `${topic}-${partition}@${offset}`).join(',')}`)
    if (this.holdFlushes) await new Promise<void>((resolve, reject) => (this.flushGate = { resolve, reject }))
  }
  async stop(): Promise<void> {
    this.events.push('stop')
  }
  finishFlush(error?: Error): void {
    if (error) this.flushGate?.reject(error)
    else this.flushGate?.resolve()
  }
}

const batch = (topic: string, partition: number, values: readonly string[], firstOffset = 0): ConsumedBatch => ({
  topic,
  partition,
  messages: values.map((value, i) => ({ key: null, value: Buffer.from(value), timestamp: '1700000000000', offset: String(firstOffset + i) })),
})

const setUp = async ({ tolerance = 'none', json = false }: { tolerance?: 'none' | 'all'; json?: boolean } = {}) => {
  const events: string[] = []
  const states: { state: RunnerState; error?: unknown }[] = []
  const consumer = new FakeConsumer(events)
  const task = new FakeTask(events)
  const id = { connector: 'c', task: 0 }
  const runner = new SinkTaskRunner({
    id,
    task,
    config: {},
    converters: {
      key: createStringConverter(),
      value: json ? createJsonConverter({ 'schemas.enable': 'false' }) : createStringConverter(),
      header: new SimpleHeaderConverter(),
      classNames: { key: 'StringConverter', value: json ? 'JsonConverter' : 'StringConverter', header: 'SimpleHeaderConverter' },
    },
    chain: emptyTransformationChain,
    consumer,
    errors: new RecordErrorHandler(
      { tolerance, retryTimeoutMs: 0, retryDelayMaxMs: 0, log: false, logRecords: false, deadLetterTopic: null, contextHeaders: false },
      id,
      silentLogger,
    ),
    deadLetters: null,
    offsetFlushIntervalMs: 3_600_000,
    shutdownTimeoutMs: 1_000,
    logger: silentLogger,
    reportDegraded: () => {},
    onStateChange: (state, error) => states.push({ state, error }),
  })
  await runner.start()
  return { runner, consumer, task, events, states }
}

describe('SinkTaskRunner', () => {
  it('hands converted records to put() with their Kafka coordinates', async () => {
    const { consumer, task, runner } = await setUp()
    assert.equal(await consumer.handlers.onBatch(batch('t', 1, ['a', 'b'], 7)), true)
    assert.deepEqual(
      task.put_.map(({ topic, kafkaPartition, kafkaOffset, value, timestamp }) => ({ topic, kafkaPartition, kafkaOffset, value, timestamp })),
      [
        { topic: 't', kafkaPartition: 1, kafkaOffset: 7n, value: 'a', timestamp: 1_700_000_000_000 },
        { topic: 't', kafkaPartition: 1, kafkaOffset: 8n, value: 'b', timestamp: 1_700_000_000_000 },
      ],
    )
    await runner.stop()
  })

  it('commits the offset after the last record of each partition, and only once flush() resolved', async () => {
    const { consumer, task, events, runner } = await setUp()
    await consumer.handlers.onBatch(batch('t', 0, ['a', 'b', 'c']))
    await consumer.handlers.onBatch(batch('t', 2, ['x'], 41))
    task.holdFlushes = true
    const revoking = consumer.handlers.onRevoking()
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(events, ['put 3', 'put 1', 'flush t-0@3,t-2@42'], 'nothing is committed while the flush is pending')
    task.finishFlush()
    await revoking
    assert.deepEqual(events.slice(3), ['commit t-0@3,t-2@42'])
    task.holdFlushes = false
    await runner.stop()
    assert.deepEqual(events.slice(4), ['stop', 'disconnect'], 'nothing new to commit at stop')
  })

  it('on stop, flushes and commits what put() received, then stops the task, then leaves the group', async () => {
    const { consumer, events, runner, states } = await setUp()
    await consumer.handlers.onBatch(batch('t', 0, ['a', 'b']))
    await runner.stop()
    assert.deepEqual(events, ['put 2', 'flush t-0@2', 'commit t-0@2', 'stop', 'disconnect'])
    assert.deepEqual(states.map(({ state }) => state), ['RUNNING', 'STOPPED'])
    assert.equal(consumer.paused, true, 'consumption stops before the last flush')
  })

  it('declines a batch that arrives while paused, so that it is fetched again after resume', async () => {
    const { consumer, task, runner, states } = await setUp()
    runner.pause()
    assert.equal(consumer.paused, true)
    assert.equal(await consumer.handlers.onBatch(batch('t', 0, ['a'])), false)
    assert.equal(task.put_.length, 0)
    runner.resume()
    assert.equal(await consumer.handlers.onBatch(batch('t', 0, ['a'])), true)
    assert.deepEqual(states.map(({ state }) => state), ['RUNNING', 'PAUSED', 'RUNNING'])
    await runner.stop()
  })

  it('skips a record that fails conversion under errors.tolerance=all, and still commits past it', async () => {
    const { consumer, task, events, runner } = await setUp({ tolerance: 'all', json: true })
    await consumer.handlers.onBatch(batch('t', 0, ['{"a":1}', '{not json', '2']))
    assert.deepEqual(task.put_.map(({ value }) => value), [new Map([['a', 1n]]), 2n])
    await runner.stop()
    assert.deepEqual(events.slice(1, 3), ['flush t-0@3', 'commit t-0@3'])
  })

  it('under errors.tolerance=none, rejects the batch on a conversion failure and puts nothing', async () => {
    const { consumer, task, runner, states, events } = await setUp({ json: true })
    const failure = await consumer.handlers.onBatch(batch('t', 0, ['{"a":1}', '{not json'])).then(
      () => assert.fail('the batch should fail'),
      (error: unknown) => error,
    )
    assert.match(String((failure as Error).message), /Tolerance exceeded/)
    // RecordConsumer reports a rejected batch as fatal.
    consumer.handlers.onFatal(failure)
    assert.equal(task.put_.length, 0)
    assert.deepEqual(states.map(({ state }) => state), ['RUNNING', 'FAILED'])
    assert.equal(states[1]?.error, failure)
    await runner.stop()
    assert.deepEqual(events, ['stop', 'disconnect'], 'a failed task commits nothing')
  })

  it('fails when flush() rejects, committing nothing', async () => {
    const { consumer, task, runner, states, events } = await setUp()
    await consumer.handlers.onBatch(batch('t', 0, ['a']))
    task.holdFlushes = true
    const revoking = consumer.handlers.onRevoking()
    await new Promise((resolve) => setImmediate(resolve))
    task.finishFlush(new Error('PUBACK reason code 135: Not authorized'))
    await assert.rejects(revoking, /Not authorized/)
    consumer.handlers.onFatal(new Error('PUBACK reason code 135: Not authorized'))
    await runner.stop()
    assert.deepEqual(states.map(({ state }) => state), ['RUNNING', 'FAILED'])
    assert.ok(!events.some((event) => event.startsWith('commit')))
  })

  it('forgets the offsets of partitions a rebalance gave to another task', async () => {
    const { consumer, events, runner } = await setUp()
    await consumer.handlers.onBatch(batch('t', 0, ['a']))
    await consumer.handlers.onBatch(batch('t', 1, ['b']))
    consumer.handlers.onAssigned([{ topic: 't', partition: 1 }])
    await runner.stop()
    assert.deepEqual(events.slice(2, 4), ['flush t-1@1', 'commit t-1@1'])
  })
})
