import assert from 'node:assert/strict'
import { parseTaskConfig } from '../../src/config/task-config.ts'
import { ConfigError, type ConnectorPlugin, type TaskConfig } from '../../src/plugin/index.ts'

/** Both contracts: a bad task config is refused as the runtime parses it, before any task starts, naming the key. */
export const assertBadConfigRefused = (plugin: ConnectorPlugin, { config, key }: { readonly config: TaskConfig; readonly key: string }): void => {
  assert.throws(
    () => parseTaskConfig(plugin, config),
    (error: unknown) => error instanceof ConfigError && error.key === key,
    `parsing the task config gives a ConfigError naming ${key}`,
  )
}

/** How a promise stands after `ms`: what a start interrupted by stop() must have done by then. */
export const outcomeWithin = async (promise: Promise<unknown>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> =>
  Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms).unref()),
  ])
