import { isRetriableSendError } from './record-producer.ts'

/**
 * Retries `action` while Kafka answers with a retriable error, such as "not the leader" just after a topic was
 * created. Gives up after `timeoutMs`, rethrowing the last error.
 */
export const retryWhileRetriable = async <T>(action: () => Promise<T>, timeoutMs = 30_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs
  for (let attempt = 0; ; attempt++) {
    try {
      return await action()
    } catch (error) {
      if (!isRetriableSendError(error) || Date.now() >= deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)))
    }
  }
}
