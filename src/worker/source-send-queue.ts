import type { SerializedRecord } from '../kafka/record-producer.ts'

/** One poll's records, as the queue hands them to Kafka and reports back on them. */
export interface QueuedPoll {
  readonly outgoing: readonly SerializedRecord[]
  /** How many of `outgoing`, from the first, Kafka has acknowledged so far; never called out of poll order. */
  onAcknowledged(acknowledged: number): void
  /** Kafka has all of `outgoing`; called after every earlier poll's `onSent`. */
  onSent(): void
}

/** Sends records until Kafka acknowledged them all, telling `onAcknowledged` the running count, from the first. */
export type SendUntilAcknowledged = (
  outgoing: readonly SerializedRecord[],
  onAcknowledged: (acknowledged: number) => void,
) => Promise<void>

/**
 * A source task's polls on their way to Kafka, in the shape of Kafka Connect's producer: the task keeps polling while
 * Kafka writes what it polled before, and the polls that arrive meanwhile go together in the next request. Only one
 * request is in flight at a time (Kafka Connect sets max.in.flight.requests.per.connection=1 for the same reason): a
 * request Kafka refused is sent again before anything polled after it, so records keep their order in every
 * partition, and acknowledgements reach the task in poll order.
 */
export class SourceSendQueue {
  private waiting: QueuedPoll[] = []
  private sending: Promise<void> | null = null
  private failure: { readonly error: unknown } | null = null
  private spaceWaiters: (() => void)[] = []

  /** `maxWaiting` polls may wait behind the request in flight before `add` makes the next poll wait too. */
  constructor(
    private readonly send: SendUntilAcknowledged,
    private readonly maxWaiting: number,
  ) {}

  /**
   * Queues `poll` to be sent after the polls queued before it. Resolves once no more than `maxWaiting` polls wait
   * behind the request in flight; rejects with the failure that stopped the sending, and then queues nothing.
   */
  async add(poll: QueuedPoll): Promise<void> {
    this.throwIfFailed()
    this.waiting.push(poll)
    this.sending ??= this.sendWaiting()
    while (this.waiting.length > this.maxWaiting && this.failure === null) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve))
    }
    this.throwIfFailed()
  }

  /** Resolves once Kafka acknowledged every poll queued; rejects with the failure that stopped the sending. */
  async flushed(): Promise<void> {
    while (this.sending !== null) await this.sending
    this.throwIfFailed()
  }

  private async sendWaiting(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const polls = this.waiting
        this.waiting = []
        this.wakeSpaceWaiters()
        await this.sendTogether(polls)
      }
    } catch (error) {
      // What was waiting stays unacknowledged upstream, to be delivered again: nothing polled after a lost request
      // may reach Kafka ahead of it.
      this.failure = { error }
      this.waiting = []
      this.wakeSpaceWaiters()
    } finally {
      this.sending = null
    }
  }

  /** One request's worth of polls, acknowledged poll by poll as Kafka's running count passes each. */
  private async sendTogether(polls: readonly QueuedPoll[]): Promise<void> {
    const outgoing = polls.length === 1 ? polls[0]!.outgoing : polls.flatMap((poll) => poll.outgoing)
    const starts = new Uint32Array(polls.length)
    for (let i = 1; i < polls.length; i++) starts[i] = starts[i - 1]! + polls[i - 1]!.outgoing.length
    let done = 0
    const acknowledge = (acknowledged: number): void => {
      for (; done < polls.length; done++) {
        const poll = polls[done]!
        const count = Math.min(poll.outgoing.length, Math.max(0, acknowledged - starts[done]!))
        poll.onAcknowledged(count)
        if (count < poll.outgoing.length) return
        poll.onSent()
      }
    }
    if (outgoing.length > 0) await this.send(outgoing, acknowledge)
    acknowledge(outgoing.length)
  }

  private wakeSpaceWaiters(): void {
    const waiters = this.spaceWaiters
    this.spaceWaiters = []
    for (const wake of waiters) wake()
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure.error
  }
}
