import { StageError, type ErrorStage } from './error-handler.ts'

/**
 * Runs one conversion step, naming the stage and class in any failure, so that error tolerance can report where it
 * happened. A synchronous step stays synchronous: only a converter that returns a promise costs an await.
 */
export const inStage = <T>(stage: ErrorStage, className: string, convert: () => T): T => {
  try {
    const result = convert()
    return result instanceof Promise ? (result.catch((error: unknown) => Promise.reject(new StageError(stage, className, error))) as T) : result
  } catch (error) {
    throw new StageError(stage, className, error)
  }
}
