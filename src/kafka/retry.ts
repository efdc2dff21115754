import { retry } from '../plugin/retry.ts'
import { isRetriableSendError } from './record-producer.ts'

/**
 * Retries `action` while Kafka answers with a retriable error, such as "not the leader" just after a topic was
 * created. Gives up after `timeoutMs`, rethrowing the last error.
 */
export const retryWhileRetriable = <T>(action: () => Promise<T>, timeoutMs = 30_000): Promise<T> =>
  retry(action, { backoff: { initialMs: 50, maxMs: 1_000 }, retriable: isRetriableSendError, timeoutMs })
