import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, RetriableError } from '../../../src/plugin/errors.ts'
import { backoffDelay, isRetriable, retry, sleep } from '../../../src/plugin/retry.ts'

describe('backoff and retry', () => {
  it('doubles from the initial wait up to the cap, moved by at most the jitter either way', () => {
    const backoff = { initialMs: 100, maxMs: 1_000 }
    const middle = (attempt: number) => backoffDelay(backoff, attempt, () => 0.5)
    assert.deepEqual([0, 1, 2, 3, 4, 10].map(middle), [100, 200, 400, 800, 1_000, 1_000])
    assert.equal(backoffDelay(backoff, 1, () => 0), 160, '20 % below')
    assert.equal(backoffDelay(backoff, 1, () => 1), 240, '20 % above')
    assert.equal(backoffDelay(backoff, 10, () => 1), 1_000, 'never above the cap')
    assert.equal(backoffDelay({ initialMs: 100, maxMs: 1_000, jitter: 0 }, 2, () => 0.9), 400)
  })

  it('knows a retriable failure by the error family, also when wrapped as a cause', () => {
    assert.equal(isRetriable(new RetriableError('broker away')), true)
    assert.equal(isRetriable(new Error('wrapped', { cause: new RetriableError('broker away') })), true)
    assert.equal(isRetriable(new ConfigError('k', 'v', 'bad')), false)
    assert.equal(isRetriable('a string'), false)
  })

  it('retries retriable failures until the operation succeeds, and throws others at once', async () => {
    const retried: number[] = []
    let calls = 0
    const result = await retry(
      (attempt) => {
        calls++
        if (attempt < 2) throw new RetriableError(`attempt ${attempt}`)
        return 'done'
      },
      { backoff: { initialMs: 1, maxMs: 2 }, onRetry: (_error, attempt) => retried.push(attempt) },
    )
    assert.equal(result, 'done')
    assert.equal(calls, 3)
    assert.deepEqual(retried, [0, 1])
    await assert.rejects(
      retry(() => Promise.reject(new ConfigError('k', 'v', 'bad')), { backoff: { initialMs: 1, maxMs: 1 } }),
      ConfigError,
    )
  })

  it('gives up with the last failure once the timeout passed', async () => {
    let calls = 0
    await assert.rejects(
      retry(
        () => {
          calls++
          throw new RetriableError(`attempt ${calls}`)
        },
        { backoff: { initialMs: 5, maxMs: 5 }, timeoutMs: 30 },
      ),
      (error: unknown) => error instanceof RetriableError && error.message === `attempt ${calls}`,
    )
    assert.ok(calls >= 2 && calls <= 10, `${calls} attempts in 30 ms`)
  })

  it('stops waiting as soon as its signal aborts', async () => {
    const abort = new AbortController()
    const started = performance.now()
    const waiting = retry(() => Promise.reject(new RetriableError('away')), { backoff: { initialMs: 60_000, maxMs: 60_000 }, signal: abort.signal })
    setTimeout(() => abort.abort(new Error('stopping')), 10)
    await assert.rejects(waiting, /stopping/)
    assert.ok(performance.now() - started < 1_000)
    await assert.rejects(sleep(10, AbortSignal.abort(new Error('already'))), /already/)
  })
})
