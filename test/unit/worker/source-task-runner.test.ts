import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createStringConverter, ByteArrayConverter, SimpleHeaderConverter } from '../../../src/converters/index.ts'
import type { SourceRecord } from '../../../src/data/record.ts'
import type { RecordSender, SerializedRecord } from '../../../src/kafka/record-producer.ts'
import { silentLogger } from '../../../src/logger.ts'
import { RetriableError } from '../../../src/plugin/errors.ts'
import type { SourceTask } from '../../../src/plugin/source-task.ts'
import { RecordErrorHandler } from '../../../src/worker/error-handler.ts'
import { SourceTaskRunner, type RunnerState } from '../../../src/worker/source-task-runner.ts'
import type { TaskMetrics } from '../../../src/worker/task-metrics.ts'
import { emptyTransformationChain, type TransformationChain } from '../../../src/worker/transformation-chain.ts'
import { waitFor } from '../../../scripts/infra/wait.ts'

const record = (n: number): SourceRecord => ({
  topic: 'out',
  kafkaPartition: null,
  keySchema: null,
  key: `k${n}`,
  valueSchema: null,
  value: Buffer.from(`v${n}`),
  timestamp: 0,
  headers: [],
  sourcePartition: { p: 1 },
  sourceOffset: { n },
})

/** Hands out the batches it is given, then nothing; records what the runner calls, in order. */
class FakeSourceTask implements SourceTask<unknown> {
  readonly batches: SourceRecord[][] = []
  readonly committed: number[] = []
  readonly events: string[] = []
  startGate: Promise<void> = Promise.resolve()
  async start(): Promise<void> {
    this.events.push('start')
    await this.startGate
  }
  async poll(signal: AbortSignal): Promise<readonly SourceRecord[]> {
    const batch = this.batches.shift()
    if (batch !== undefined) return batch
    if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 5))
    return []
  }
  commitRecord(committed: SourceRecord): void {
    this.committed.push((committed.sourceOffset as { n: number }).n)
  }
  async stop(): Promise<void> {
    this.events.push('stop')
  }
}

/** Kafka as the runner sees it: fails the first `failures` sends retriably, acknowledging `partially` records of each. */
class FakeProducer implements RecordSender {
  readonly sent: string[][] = []
  failures = 0
  partially = 0
  disconnected = false
  /** Each send waits for this before Kafka answers. */
  gate: Promise<void> = Promise.resolve()
  async connect(): Promise<void> {}
  async send(records: readonly SerializedRecord[], onAcknowledged?: (acknowledged: number) => void): Promise<void> {
    this.sent.push(records.map(({ key }) => key?.toString() ?? ''))
    await this.gate
    if (this.failures > 0) {
      this.failures--
      if (this.partially > 0) onAcknowledged?.(this.partially)
      throw new RetriableError('NOT_LEADER_FOR_PARTITION')
    }
    onAcknowledged?.(records.length)
  }
  async disconnect(): Promise<void> {
    this.disconnected = true
  }
}

const setUp = (handling: { retryTimeoutMs?: number; tolerance?: 'none' | 'all'; chain?: TransformationChain } = {}) => {
  const task = new FakeSourceTask()
  const producer = new FakeProducer()
  const states: RunnerState[] = []
  const degraded: (string | null)[] = []
  const counted = { polled: 0, written: 0, commits: 0 }
  const metrics: TaskMetrics = {
    polled: (count) => (counted.polled += count),
    written: (count) => (counted.written += count),
    read: () => {},
    put: () => {},
    offsetCommit: () => counted.commits++,
    tolerated: () => {},
  }
  const flushed: unknown[] = []
  const id = { connector: 'c', task: 0 }
  const runner = new SourceTaskRunner({
    id,
    task,
    config: {},
    converters: {
      key: createStringConverter(),
      value: new ByteArrayConverter(),
      header: new SimpleHeaderConverter(),
      classNames: { key: 'StringConverter', value: 'ByteArrayConverter', header: 'SimpleHeaderConverter' },
    },
    chain: handling.chain ?? emptyTransformationChain,
    producer,
    offsets: { offsetOf: () => null, commit: async (_connector, entries) => void flushed.push(...entries) },
    errors: new RecordErrorHandler({ tolerance: handling.tolerance ?? 'none', retryTimeoutMs: handling.retryTimeoutMs ?? 0, retryDelayMaxMs: 0, log: false, logRecords: false, deadLetterTopic: null, contextHeaders: false }, id, silentLogger),
    offsetFlushIntervalMs: 3_600_000,
    reportDegraded: (area, reason) => degraded.push(area === 'kafka' ? reason : 'external'),
    metrics,
    logger: silentLogger,
    onStateChange: (state) => states.push(state),
  })
  return { runner, task, producer, states, degraded, counted, flushed }
}

/** A chain whose transform fails retriably for record 1 the first `failures` times it sees it. */
const flakyChain = (failures: number): TransformationChain => {
  let left = failures
  return {
    stages: [],
    apply: <R extends SourceRecord>(candidate: R): R => {
      if ((candidate.sourceOffset as { n: number }).n === 1 && left-- > 0) throw new RetriableError('schema registry unavailable')
      return candidate
    },
  } as unknown as TransformationChain
}

describe('SourceTaskRunner', () => {
  it('tries a retriable transform failure again under errors.retry.timeout, and sends the record once it works', async () => {
    const { runner, task, producer } = setUp({ retryTimeoutMs: 5_000, chain: flakyChain(2) })
    task.batches.push([record(0), record(1), record(2)])
    await runner.start()
    assert.ok(await waitFor(() => task.committed.length === 3, { timeoutMs: 5_000, intervalMs: 5 }))
    assert.deepEqual(producer.sent, [['k0', 'k1', 'k2']], 'record 1 is sent in its place, not skipped')
    await runner.stop()
  })

  it('does not retry when errors.retry.timeout is 0: the failure is tolerated at once under errors.tolerance=all', async () => {
    const { runner, task, producer } = setUp({ retryTimeoutMs: 0, tolerance: 'all', chain: flakyChain(1) })
    task.batches.push([record(0), record(1), record(2)])
    await runner.start()
    assert.ok(await waitFor(() => task.committed.length === 3, { timeoutMs: 2_000, intervalMs: 5 }))
    assert.deepEqual(producer.sent, [['k0', 'k2']], 'record 1 is skipped, and still committed back to the task')
    await runner.stop()
  })

  it('sends each poll to Kafka and commits its records back to the task in poll order, only once Kafka has them', async () => {
    const { runner, task, producer, states, counted, flushed } = setUp()
    task.batches.push([record(0), record(1), record(2)], [record(3)])
    await runner.start()
    assert.ok(await waitFor(() => task.committed.length === 4, { timeoutMs: 2_000, intervalMs: 5 }))
    assert.deepEqual(task.committed, [0, 1, 2, 3])
    assert.deepEqual(producer.sent, [['k0', 'k1', 'k2'], ['k3']])
    assert.deepEqual(counted, { polled: 4, written: 4, commits: 0 }, 'counted per batch')
    await runner.stop()
    assert.deepEqual(states, ['RUNNING', 'STOPPED'])
    assert.deepEqual(task.events, ['start', 'stop'])
    assert.ok(producer.disconnected)
    assert.deepEqual(flushed, [{ partition: { p: 1 }, offset: { n: 3 } }], 'the last offset is written on stop')
    assert.equal(counted.commits, 1)
  })

  it('polls on while Kafka writes the last poll, sends what it polled meanwhile in one request, and commits in order', async () => {
    const { runner, task, producer } = setUp()
    let answer!: () => void
    producer.gate = new Promise((resolve) => (answer = resolve))
    task.batches.push([record(0)], [record(1)], [record(2), record(3)])
    await runner.start()
    assert.ok(await waitFor(() => task.batches.length === 0, { timeoutMs: 2_000, intervalMs: 1 }), 'all three polled before Kafka answered')
    assert.deepEqual(producer.sent, [['k0']], 'one request in flight')
    assert.deepEqual(task.committed, [], 'nothing committed before Kafka has it')
    answer()
    assert.ok(await waitFor(() => task.committed.length === 4, { timeoutMs: 2_000, intervalMs: 1 }))
    assert.deepEqual(producer.sent, [['k0'], ['k1', 'k2', 'k3']])
    assert.deepEqual(task.committed, [0, 1, 2, 3])
    await runner.stop()
  })

  it('sends what it polled before being stopped, and only then stops the task', async () => {
    const { runner, task, producer, flushed } = setUp()
    let answer!: () => void
    producer.gate = new Promise((resolve) => (answer = resolve))
    task.batches.push([record(0)], [record(1)])
    await runner.start()
    assert.ok(await waitFor(() => task.batches.length === 0, { timeoutMs: 2_000, intervalMs: 1 }))
    const stopping = runner.stop()
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.deepEqual(task.events, ['start'], 'the task is not stopped while its records are on their way')
    answer()
    await stopping
    assert.deepEqual(task.committed, [0, 1])
    assert.deepEqual(task.events, ['start', 'stop'])
    assert.deepEqual(flushed, [{ partition: { p: 1 }, offset: { n: 1 } }])
  })

  it('retries a batch Kafka refused, sending again only what it has not acknowledged, and says so meanwhile', async () => {
    const { runner, task, producer, degraded } = setUp()
    producer.failures = 2
    producer.partially = 1
    task.batches.push([record(0), record(1), record(2)])
    await runner.start()
    assert.ok(await waitFor(() => task.committed.length === 3, { timeoutMs: 5_000, intervalMs: 5 }))
    assert.deepEqual(producer.sent, [['k0', 'k1', 'k2'], ['k1', 'k2'], ['k2']])
    assert.deepEqual(task.committed, [0, 1, 2])
    assert.equal(typeof degraded[0], 'string', 'degraded while Kafka refuses')
    assert.equal(degraded.at(-1), null, 'and no longer once it took the batch')
    await runner.stop()
  })

  it('polls nothing while paused, and carries on once resumed', async () => {
    const { runner, task, states } = setUp()
    runner.pause()
    task.batches.push([record(0)])
    await runner.start()
    await new Promise((resolve) => setTimeout(resolve, 30))
    assert.deepEqual(task.committed, [])
    runner.resume()
    assert.ok(await waitFor(() => task.committed.length === 1, { timeoutMs: 2_000, intervalMs: 5 }))
    assert.deepEqual(states.slice(0, 2), ['PAUSED', 'RUNNING'])
    await runner.stop()
  })

  it('calls a start still in progress off when stopped: the task is stopped and never runs', async () => {
    const { runner, task, states } = setUp()
    let open!: () => void
    task.startGate = new Promise((resolve) => (open = resolve))
    const starting = runner.start()
    assert.ok(await waitFor(() => task.events.includes('start'), { timeoutMs: 2_000, intervalMs: 1 }))
    const stopping = runner.stop()
    open()
    await Promise.all([starting, stopping])
    assert.deepEqual(task.events, ['start', 'stop'])
    assert.ok(!states.includes('RUNNING'), `states were ${states.join(', ')}`)
  })
})
