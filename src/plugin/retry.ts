/**
 * The one way this runtime waits between attempts: exponential backoff, capped, with jitter so that tasks that lost
 * the same broker do not all come back in the same millisecond. Used by Kafka retries, error tolerance's
 * `errors.retry.*`, the source runner's send loop and MQTT reconnects.
 */
export interface Backoff {
  /** The wait before the first retry. */
  readonly initialMs: number
  /** No wait is longer than this. */
  readonly maxMs: number
  /** Each wait is this many times the previous one; 2 when absent. */
  readonly multiplier?: number
  /** Each wait is moved at random by up to this fraction either way; 0.2 when absent. */
  readonly jitter?: number
}

/** The wait before retry number `attempt` (0 for the first retry). `random` is there for tests. */
export const backoffDelay = (backoff: Backoff, attempt: number, random: () => number = Math.random): number => {
  const { initialMs, maxMs, multiplier = 2, jitter = 0.2 } = backoff
  const exponential = Math.min(maxMs, initialMs * multiplier ** Math.max(0, attempt))
  const jittered = exponential * (1 + jitter * (2 * random() - 1))
  return Math.max(0, Math.min(maxMs, Math.round(jittered)))
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal!.reason as Error)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/** Whether an error says that trying again may work: the error family's `retriable`, here or in its causes. */
export const isRetriable = (error: unknown): boolean => {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    if ((current as { retriable?: unknown }).retriable === true) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

export interface RetryOptions {
  readonly backoff: Backoff
  /** Which failures are worth another attempt; the others are thrown at once. `isRetriable` when absent. */
  readonly retriable?: (error: unknown) => boolean
  /** Give up, rethrowing the last failure, once this much time has passed; forever when absent or negative. */
  readonly timeoutMs?: number
  /** Stops retrying: the wait in progress rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /** Told of each failure that will be retried, before the wait. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void
}

/** Runs `operation` until it succeeds, retrying retriable failures with backoff, within the timeout and signal. */
export const retry = async <T>(operation: (attempt: number) => T | Promise<T>, options: RetryOptions): Promise<T> => {
  const { backoff, retriable = isRetriable, timeoutMs = -1, signal, onRetry } = options
  const deadline = timeoutMs < 0 ? Infinity : Date.now() + timeoutMs
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      if (!retriable(error) || Date.now() >= deadline || signal?.aborted) throw error
      const delayMs = Math.min(backoffDelay(backoff, attempt), Math.max(0, deadline - Date.now()))
      onRetry?.(error, attempt, delayMs)
      await sleep(delayMs, signal)
    }
  }
}
