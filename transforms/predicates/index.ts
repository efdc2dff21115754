import type { PredicatePlugin } from '../../src/plugin/transformation.ts'
import { hasHeaderKey } from './has-header-key.ts'
import { recordIsTombstone } from './record-is-tombstone.ts'
import { topicNameMatches } from './topic-name-matches.ts'

export { hasHeaderKey, recordIsTombstone, topicNameMatches }

/** Kafka's built-in predicates. */
export const predicatePlugins: readonly PredicatePlugin[] = Object.freeze([topicNameMatches, hasHeaderKey, recordIsTombstone])
