import type { StatusStore } from '../storage/status-store.ts'
import { ForbiddenError } from './errors.ts'
import type { ActiveTopicsInfo } from './types.ts'

/** The worker's `topic.tracking.enable` and `topic.tracking.allow.reset`. */
export interface TopicTrackingConfig {
  readonly enabled: boolean
  readonly allowReset: boolean
}

export const DEFAULT_TOPIC_TRACKING: TopicTrackingConfig = { enabled: true, allowReset: true }

/**
 * The topics a connector's tasks used (KIP-558), as recorded in the status topic. As in Kafka Connect, a connector
 * the worker does not know simply has none: `GET /connectors/{name}/topics` answers 200 with an empty list.
 */
export const connectorActiveTopics = (statuses: Pick<StatusStore, 'topicsOf'>, tracking: TopicTrackingConfig, name: string): ActiveTopicsInfo => {
  if (!tracking.enabled) throw new ForbiddenError('Topic tracking is disabled.')
  return { topics: statuses.topicsOf(name).map(({ topic }) => topic) }
}

/** Forgets the topics a connector used; its running tasks record a topic again when they next use it. */
export const resetConnectorActiveTopics = async (
  statuses: Pick<StatusStore, 'topicsOf' | 'removeTopics'>,
  tracking: TopicTrackingConfig,
  name: string,
): Promise<void> => {
  if (!tracking.enabled) throw new ForbiddenError('Topic tracking is disabled.')
  if (!tracking.allowReset) throw new ForbiddenError('Topic tracking reset is disabled.')
  await statuses.removeTopics(
    name,
    statuses.topicsOf(name).map(({ topic }) => topic),
  )
}
