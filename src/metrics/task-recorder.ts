import type { TaskMetrics } from '../worker/task-metrics.ts'
import { SampledWindow } from './sampled-window.ts'

interface PartitionProgress {
  /** The offset before which this task owns nothing: its first record's, until a commit says otherwise. */
  committed: bigint
  position: bigint
  highWatermark: bigint | null
}

/**
 * One task's counts, as its runner reports them once per batch, with the windows Kafka Connect's rates, averages and
 * maxima come from. Reads happen at scrape time; recording is a handful of additions.
 */
export class TaskRecorder implements TaskMetrics {
  polledTotal = 0
  writtenTotal = 0
  /** Source: records handed back to commitRecord; sink: records whose offsets Kafka committed. */
  committedTotal = 0
  droppedTotal = 0
  readTotal = 0
  sentTotal = 0
  commitSuccesses = 0
  commitFailures = 0
  recordErrors = 0
  recordsSkipped = 0
  deadLetterRequests = 0
  deadLetterFailures = 0
  /** Milliseconds since the epoch of the last tolerated error; 0 before any, as Kafka Connect reports it. */
  lastErrorTimestamp = 0
  readonly pollRate = new SampledWindow()
  readonly writeRate = new SampledWindow()
  readonly readRate = new SampledWindow()
  readonly sendRate = new SampledWindow()
  readonly pollBatchTime = new SampledWindow()
  readonly putBatchTime = new SampledWindow()
  readonly commitTime = new SampledWindow()
  /** 1 per successful commit, 0 per failed one: the average is Kafka Connect's success ratio. */
  readonly commitOutcome = new SampledWindow()
  readonly partitions = new Map<string, PartitionProgress & { readonly topic: string; readonly partition: number }>()

  constructor(
    readonly connector: string,
    readonly task: number,
    readonly type: 'source' | 'sink',
    private readonly hasDeadLetterQueue: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  polled(count: number, durationMs?: number): void {
    const now = this.now()
    this.polledTotal += count
    this.pollRate.record(count, now)
    if (durationMs !== undefined) this.pollBatchTime.record(durationMs, now)
  }

  written(count: number): void {
    this.writtenTotal += count
    this.writeRate.record(count, this.now())
  }

  sourceBatchDone(committed: number, dropped: number): void {
    this.committedTotal += committed
    this.droppedTotal += dropped
  }

  read(count: number): void {
    this.readTotal += count
    this.readRate.record(count, this.now())
  }

  put(count: number, durationMs: number): void {
    const now = this.now()
    this.sentTotal += count
    this.sendRate.record(count, now)
    this.putBatchTime.record(durationMs, now)
  }

  offsetCommit(succeeded: boolean, durationMs: number): void {
    const now = this.now()
    if (succeeded) this.commitSuccesses++
    else this.commitFailures++
    this.commitTime.record(durationMs, now)
    this.commitOutcome.record(succeeded ? 1 : 0, now)
  }

  tolerated(count: number): void {
    this.recordErrors += count
    this.recordsSkipped += count
    if (this.hasDeadLetterQueue) this.deadLetterRequests += count
    this.lastErrorTimestamp = this.now()
  }

  deadLetterFailed(count: number): void {
    this.deadLetterFailures += count
  }

  sinkProgress(topic: string, partition: number, firstOffset: bigint, nextOffset: bigint, highWatermark: bigint | null): void {
    const key = `${topic}:${partition}`
    const progress = this.partitions.get(key)
    if (progress === undefined) this.partitions.set(key, { topic, partition, committed: firstOffset, position: nextOffset, highWatermark })
    else {
      progress.position = nextOffset
      if (highWatermark !== null) progress.highWatermark = highWatermark
    }
  }

  sinkCommitted(offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: bigint }[]): void {
    for (const { topic, partition, offset } of offsets) {
      const progress = this.partitions.get(`${topic}:${partition}`)
      if (progress === undefined || offset <= progress.committed) continue
      this.committedTotal += Number(offset - progress.committed)
      progress.committed = offset
    }
  }

  sinkAssigned(partitions: readonly { readonly topic: string; readonly partition: number }[]): void {
    const owned = new Set(partitions.map(({ topic, partition }) => `${topic}:${partition}`))
    for (const key of this.partitions.keys()) if (!owned.has(key)) this.partitions.delete(key)
  }

  /** Records read or polled and not yet done with: Kafka Connect's source- and sink-record-active-count. */
  activeCount(): number {
    if (this.type === 'source') return this.polledTotal - this.committedTotal
    let active = 0n
    for (const { position, committed } of this.partitions.values()) active += position - committed
    return Number(active)
  }

  /** Per partition, how far this task trails the partition's end as of its last fetch. */
  lag(): { topic: string; partition: number; lag: number }[] {
    return [...this.partitions.values()].map(({ topic, partition, position, highWatermark }) => ({
      topic,
      partition,
      lag: highWatermark === null || highWatermark < position ? 0 : Number(highWatermark - position),
    }))
  }
}
