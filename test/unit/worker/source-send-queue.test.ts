import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SerializedRecord } from '../../../src/kafka/record-producer.ts'
import { ConnectError } from '../../../src/plugin/errors.ts'
import { SourceSendQueue, type QueuedPoll } from '../../../src/worker/source-send-queue.ts'

/** Lets the queue act on what just happened: promise callbacks and the next turn of the event loop. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const records = (...keys: string[]): SerializedRecord[] =>
  keys.map((key) => ({ topic: 't', partition: null, key: Buffer.from(key), value: null, timestamp: null, headers: [] }))

/** A Kafka whose requests wait until the test answers them; keeps every request it was given. */
class ManualKafka {
  readonly requests: string[][] = []
  private answers: { resolve: () => void; reject: (error: unknown) => void; onAcknowledged: (count: number) => void }[] = []
  inFlight = 0
  maxInFlight = 0

  readonly send = (outgoing: readonly SerializedRecord[], onAcknowledged: (count: number) => void): Promise<void> => {
    this.requests.push(outgoing.map(({ key }) => key!.toString()))
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    return new Promise<void>((resolve, reject) => this.answers.push({ resolve, reject, onAcknowledged })).finally(() => this.inFlight--)
  }

  acknowledgeSome(count: number): void {
    this.answers[0]!.onAcknowledged(count)
  }

  async answer(error?: unknown): Promise<void> {
    const next = this.answers.shift()!
    if (error === undefined) next.resolve()
    else next.reject(error)
    await settled()
  }
}

/** A poll that notes, in one shared log, each acknowledgement it hears. */
const poll = (name: string, log: string[], ...keys: string[]): QueuedPoll => ({
  outgoing: records(...keys),
  onAcknowledged: (count) => log.push(`${name}:${count}`),
  onSent: () => log.push(`${name}:sent`),
})


describe('SourceSendQueue', () => {
  it('sends the polls that arrive while a request is in flight together in the next one, one request at a time', async () => {
    const kafka = new ManualKafka()
    const queue = new SourceSendQueue(kafka.send, 4)
    const log: string[] = []
    await queue.add(poll('a', log, 'a0', 'a1'))
    await queue.add(poll('b', log, 'b0'))
    await queue.add(poll('c', log, 'c0', 'c1'))
    assert.deepEqual(kafka.requests, [['a0', 'a1']], 'b and c wait while a is in flight')
    await kafka.answer()
    assert.deepEqual(kafka.requests, [['a0', 'a1'], ['b0', 'c0', 'c1']])
    assert.deepEqual(log, ['a:2', 'a:sent'])
    kafka.acknowledgeSome(2)
    assert.deepEqual(log.slice(2), ['b:1', 'b:sent', 'c:1'], 'a running count that ends inside c acknowledges b whole and c in part')
    await kafka.answer()
    await queue.flushed()
    assert.deepEqual(log.slice(5), ['c:2', 'c:sent'])
    assert.equal(kafka.maxInFlight, 1)
  })

  it('makes the next poll wait once more than maxWaiting polls wait behind the request in flight', async () => {
    const kafka = new ManualKafka()
    const queue = new SourceSendQueue(kafka.send, 1)
    const log: string[] = []
    await queue.add(poll('a', log, 'a0'))
    await queue.add(poll('b', log, 'b0'))
    let cAdded = false
    const adding = queue.add(poll('c', log, 'c0')).then(() => (cAdded = true))
    await settled()
    assert.equal(cAdded, false, 'two polls wait behind a: c is held back')
    await kafka.answer()
    await adding
    assert.equal(cAdded, true)
    await kafka.answer()
    await queue.flushed()
    assert.deepEqual(kafka.requests, [['a0'], ['b0', 'c0']])
  })

  it('acknowledges a poll with nothing to send in its turn, without a request', async () => {
    const kafka = new ManualKafka()
    const queue = new SourceSendQueue(kafka.send, 4)
    const log: string[] = []
    await queue.add(poll('empty', log))
    await queue.flushed()
    assert.deepEqual(kafka.requests, [])
    assert.deepEqual(log, ['empty:0', 'empty:sent'])
  })

  it('stops at a failed request: the polls behind it are neither sent nor acknowledged, and the failure is thrown', async () => {
    const kafka = new ManualKafka()
    const queue = new SourceSendQueue(kafka.send, 4)
    const log: string[] = []
    await queue.add(poll('a', log, 'a0'))
    await queue.add(poll('b', log, 'b0'))
    const refused = new ConnectError('RECORD_TOO_LARGE')
    await kafka.answer(refused)
    await assert.rejects(queue.flushed(), refused)
    await assert.rejects(queue.add(poll('c', log, 'c0')), refused)
    assert.deepEqual(kafka.requests, [['a0']])
    assert.deepEqual(log, [])
  })
})
