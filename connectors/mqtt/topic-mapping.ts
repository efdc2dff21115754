/**
 * Topic filters with named captures, and the templates that use them. A filter level written `{site}` subscribes as
 * `+` and captures that level: `sensors/{site}/+/temperature` matched by `sensors/lyon/t1/temperature` gives
 * `{ site: 'lyon' }`, so a Kafka topic template `iot.{site}.temperature` gives `iot.lyon.temperature`.
 */
export interface CapturingFilter {
  /** The filter as the broker sees it: captures become `+`. */
  readonly subscription: string
  /** Capture name → topic level index. */
  readonly captures: ReadonlyMap<string, number>
  readonly levels: readonly string[]
}

const CAPTURE = /^\{([A-Za-z_][A-Za-z0-9_.-]*)\}$/
const TEMPLATE_VARIABLE = /\{([^{}]+)\}/g

export const parseFilter = (filter: string): CapturingFilter => {
  const levels = filter.split('/')
  const captures = new Map<string, number>()
  const subscribed = levels.map((level, index) => {
    const capture = CAPTURE.exec(level)
    if (capture === null) {
      if (level.includes('{') || level.includes('}')) throw new Error(`level "${level}" of ${filter} must be a whole {name} capture`)
      if ((level.includes('+') && level !== '+') || (level.includes('#') && (level !== '#' || index !== levels.length - 1))) {
        throw new Error(`${filter} uses a wildcard inside a level or # before the last level`)
      }
      return level
    }
    if (captures.has(capture[1]!)) throw new Error(`${filter} captures {${capture[1]}} twice`)
    captures.set(capture[1]!, index)
    return '+'
  })
  return { subscription: subscribed.join('/'), captures, levels: subscribed }
}

/** The captures of the first filter `topic` matches, or `null` when none matches. */
export const captureTopic = (filters: readonly CapturingFilter[], topic: string): Readonly<Record<string, string>> | null => {
  const levels = topic.split('/')
  for (const filter of filters) {
    if (!topicMatchesFilter(filter.levels, levels)) continue
    const values: Record<string, string> = {}
    for (const [name, index] of filter.captures) values[name] = levels[index]!
    return values
  }
  return null
}

/** MQTT's matching: `+` one level, `#` the rest (the parent too); a topic starting with `$` matches no wildcard first level. */
export const topicMatchesFilter = (filterLevels: readonly string[], topicLevels: readonly string[]): boolean => {
  if (topicLevels[0]?.startsWith('$') && (filterLevels[0] === '+' || filterLevels[0] === '#')) return false
  for (let i = 0; i < filterLevels.length; i++) {
    const level = filterLevels[i]
    if (level === '#') return true
    if (i >= topicLevels.length) return false
    if (level !== '+' && level !== topicLevels[i]) return false
  }
  return filterLevels.length === topicLevels.length
}

/** The `{name}` variables a template uses. */
export const templateVariables = (template: string): string[] => [...template.matchAll(TEMPLATE_VARIABLE)].map((match) => match[1]!)

export const isTemplate = (text: string): boolean => templateVariables(text).length > 0

/** Fills a template; a variable without a value renders as an empty string. */
export const renderTemplate = (template: string, lookup: (name: string) => string | undefined): string =>
  template.replace(TEMPLATE_VARIABLE, (_, name: string) => lookup(name) ?? '')

const KAFKA_TOPIC_FORBIDDEN = /[^A-Za-z0-9._-]/g
const KAFKA_TOPIC_MAX_LENGTH = 249

/**
 * Kafka accepts only [A-Za-z0-9._-] in topic names, at most 249 of them: everything else becomes `_`, predictably,
 * so that one MQTT topic always maps to the same Kafka topic.
 */
export const toKafkaTopicName = (name: string): string => {
  const cleaned = name.replace(KAFKA_TOPIC_FORBIDDEN, '_').slice(0, KAFKA_TOPIC_MAX_LENGTH)
  return cleaned === '.' || cleaned === '..' || cleaned === '' ? '_' : cleaned
}
