import { csvList, type ConfigProblem } from '../plugin/config.ts'
import { compileJavaRegex, JavaRegexError, type JavaPattern } from '../plugin/java-regex.ts'

/** How a source connector's topics are created, one group of `topic.creation.<group>.*` keys (KIP-158). */
export interface TopicCreationGroup {
  readonly name: string
  /** The default group takes every topic no other group took: it has no patterns. */
  readonly include: readonly JavaPattern[]
  readonly exclude: readonly JavaPattern[]
  /** -1: the broker's default. */
  readonly partitions: number
  /** -1: the broker's default. */
  readonly replicationFactor: number
  /** Topic-level configs (`cleanup.policy`, `retention.ms`, ...) as the broker takes them. */
  readonly topicConfigs: Readonly<Record<string, string>>
}

export const TOPIC_CREATION_PREFIX = 'topic.creation.'
const DEFAULT_GROUP = 'default'
const GROUP_KEYS = new Set(['include', 'exclude', 'partitions', 'replication.factor'])

export type TopicCreationParse = { readonly ok: true; readonly groups: readonly TopicCreationGroup[] | null } | { readonly ok: false; readonly problems: readonly ConfigProblem[] }

/**
 * A source connector's topic creation groups, in the order a topic is matched against them (`topic.creation.groups`
 * order, the default group last), as Kafka Connect's SourceConnectorConfig reads them; `null` when the connector
 * uses no topic creation (it sets no `topic.creation.` key), so its topics are left to the broker. As in Kafka
 * Connect, a connector that sets any such key must set the default group's `replication.factor` and `partitions`.
 */
export const parseTopicCreation = (raw: Readonly<Record<string, string>>): TopicCreationParse => {
  if (!Object.keys(raw).some((key) => key.startsWith(TOPIC_CREATION_PREFIX))) return { ok: true, groups: null }
  const problems: ConfigProblem[] = []
  const names = [...new Set(csvList().parse(raw[`${TOPIC_CREATION_PREFIX}groups`] ?? '').filter((name) => name !== DEFAULT_GROUP))]
  const defaults = {
    partitions: count(raw, DEFAULT_GROUP, 'partitions', undefined, problems),
    replicationFactor: count(raw, DEFAULT_GROUP, 'replication.factor', undefined, problems),
  }
  const groups: TopicCreationGroup[] = []
  for (const name of [...names, DEFAULT_GROUP]) {
    const isDefault = name === DEFAULT_GROUP
    groups.push({
      name,
      include: isDefault ? [] : patterns(raw, name, 'include', problems, true),
      exclude: isDefault ? [] : patterns(raw, name, 'exclude', problems, false),
      partitions: isDefault ? defaults.partitions : count(raw, name, 'partitions', defaults.partitions, problems),
      replicationFactor: isDefault ? defaults.replicationFactor : count(raw, name, 'replication.factor', defaults.replicationFactor, problems),
      topicConfigs: topicConfigsOf(raw, name),
    })
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, groups }
}

/** The group that creates `topic`: the first listed whose include matches and exclude does not, else the default. */
export const groupFor = (groups: readonly TopicCreationGroup[], topic: string): TopicCreationGroup =>
  groups.find(
    ({ name, include, exclude }) => name === DEFAULT_GROUP || (include.some((p) => p.matches(topic)) && !exclude.some((p) => p.matches(topic))),
  )!

const keyOf = (group: string, name: string): string => `${TOPIC_CREATION_PREFIX}${group}.${name}`

/** Kafka Connect's rule for both counts: at least 1, or -1 for the broker's default; 0 and below -1 are refused. */
const count = (raw: Readonly<Record<string, string>>, group: string, name: string, fallback: number | undefined, problems: ConfigProblem[]): number => {
  const key = keyOf(group, name)
  const value = raw[key]?.trim()
  if (value === undefined || value === '') {
    if (fallback !== undefined) return fallback
    problems.push({ key, message: `Missing required configuration "${key}" which has no default value.` })
    return -1
  }
  const number = Number(value)
  if (!Number.isInteger(number) || number === 0 || number < -1 || (name === 'replication.factor' && number > 32_767) || number > 2_147_483_647) {
    const what = name === 'partitions' ? 'Number of partitions' : 'Replication factor'
    problems.push({ key, message: `Invalid value ${value} for configuration ${key}: ${what} must be positive, or -1 to use the broker's default` })
    return -1
  }
  return number
}

const patterns = (raw: Readonly<Record<string, string>>, group: string, name: string, problems: ConfigProblem[], required: boolean): JavaPattern[] => {
  const key = keyOf(group, name)
  const sources = csvList().parse(raw[key] ?? '')
  if (required && sources.length === 0) {
    problems.push({ key, message: `Missing required configuration "${key}" which has no default value.` })
    return []
  }
  const compiled: JavaPattern[] = []
  for (const source of sources) {
    try {
      compiled.push(compileJavaRegex(source))
    } catch (error) {
      if (!(error instanceof JavaRegexError)) throw error
      problems.push({ key, message: `Invalid value ${source} for configuration ${key}: Syntax error in regular expression: ${error.message}` })
    }
  }
  return compiled
}

const topicConfigsOf = (raw: Readonly<Record<string, string>>, group: string): Record<string, string> => {
  const prefix = `${TOPIC_CREATION_PREFIX}${group}.`
  const configs: Record<string, string> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith(prefix)) continue
    const name = key.slice(prefix.length)
    if (!GROUP_KEYS.has(name)) configs[name] = value
  }
  return configs
}
