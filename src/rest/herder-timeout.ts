import type { Herder } from '../herder/herder.ts'
import { HerderTimeoutError } from './errors.ts'

/**
 * The herder as the routes see it: every call that returns a promise settles within `timeoutMs` or rejects with
 * HerderTimeoutError, Kafka Connect's 500 "Request timed out". The operation itself is not cancelled, as in Kafka
 * Connect. Any method that returns a promise is bounded, so reads that become asynchronous stay covered.
 */
export const withHerderTimeout = (herder: Herder, timeoutMs: number): Herder =>
  new Proxy(herder, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver)
      if (typeof member !== 'function') return member
      return (...args: unknown[]): unknown => {
        const result: unknown = Reflect.apply(member, target, args)
        return result instanceof Promise ? withinTimeout(result, timeoutMs) : result
      }
    },
  })

const withinTimeout = <T>(operation: Promise<T>, timeoutMs: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HerderTimeoutError(timeoutMs)), timeoutMs)
  })
  // race() subscribes to `operation`, so its rejection after the timeout is not an unhandled one.
  return Promise.race([operation, timedOut]).finally(() => clearTimeout(timer))
}
