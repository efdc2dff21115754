import type { ConnectorPlugin, ParsedConfig, TaskConfig } from '../plugin/connector.ts'
import { configErrorOf, parseConfig } from '../plugin/config.ts'

/**
 * A stored task config as its connector's schema parses it: what the runtime hands to the task's `start()`, so that
 * no task parses strings. Every problem is in the error's message; its `key` names the first.
 */
export const parseTaskConfig = (plugin: ConnectorPlugin, raw: TaskConfig): ParsedConfig => {
  const parsed = parseConfig(plugin.taskConfig ?? plugin.config, raw)
  if (parsed.ok) return parsed.value
  throw configErrorOf(parsed.problems, raw)
}
