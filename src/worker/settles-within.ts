/** How a bounded wait ended: the promise resolved, it rejected with `error`, or time ran out first. */
export type Settled = 'ok' | 'timeout' | { readonly error: unknown }

/** Waits for `promise` at most `timeoutMs`; never rejects. The promise itself goes on: callers decide what to abandon. */
export const settlesWithin = (promise: Promise<unknown>, timeoutMs: number): Promise<Settled> => {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<Settled>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))
  const outcome = promise.then(
    (): Settled => 'ok',
    (error: unknown): Settled => ({ error }),
  )
  return Promise.race([outcome, timeout]).finally(() => clearTimeout(timer))
}
