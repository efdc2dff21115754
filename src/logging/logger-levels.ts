import type { LoggerLevelName } from './levels.ts'

/** One logger's level as Kafka Connect's `/admin/loggers` shows it (KIP-976): `last_modified` is null until set at runtime. */
export interface LoggerLevel {
  readonly level: LoggerLevelName
  readonly last_modified: number | null
}

/** log4j's name for the ancestor of every logger. */
export const ROOT_LOGGER = 'root'

/**
 * The levels of the worker's named loggers, hierarchical as log4j's: `io.mqttkafka.connect.mqtt.source` follows
 * `io.mqttkafka.connect.mqtt` unless it has a level of its own, and every logger follows `root`. Kafka Connect's
 * `Loggers`: `setLevel` changes a namespace and everything under it, and reports which loggers it changed.
 */
export class LoggerLevels {
  /** Levels set on a name (root always has one); the others inherit. */
  private readonly explicit = new Map<string, LoggerLevelName>()
  private readonly lastModified = new Map<string, number>()
  /** Every logger the worker has created or someone has set, as log4j's current loggers. */
  private readonly known = new Set<string>()
  /** Bumped on every change, so that loggers can cache their effective level and check it with one comparison. */
  private changes = 0
  private readonly listeners = new Set<() => void>()

  constructor(
    rootLevel: LoggerLevelName,
    private readonly now: () => number = Date.now,
  ) {
    this.explicit.set(ROOT_LOGGER, rootLevel)
  }

  get version(): number {
    return this.changes
  }

  /** Calls `listener` after every level change: how a client library with a level of its own follows ours. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Makes `name` a known logger (listed by `allLevels`), as log4j's getLogger does. */
  register(name: string): void {
    if (name !== ROOT_LOGGER) this.known.add(name)
  }

  /** The level `name` writes at: its own, or the nearest ancestor's. */
  effectiveLevel(name: string): LoggerLevelName {
    for (let current = name; ; current = parentOf(current)) {
      const level = this.explicit.get(current)
      if (level !== undefined) return level
      if (current === ROOT_LOGGER) return this.explicit.get(ROOT_LOGGER)!
    }
  }

  /** One known logger's level, or `null` for a name nobody created (Kafka Connect's 404). */
  level(name: string): LoggerLevel | null {
    const canonical = canonicalName(name)
    if (canonical !== ROOT_LOGGER && !this.known.has(canonical)) return null
    return this.describe(canonical)
  }

  /** Every known logger and root, by name, except those turned OFF (as Kafka Connect lists them). */
  allLevels(): Record<string, LoggerLevel> {
    const result: Record<string, LoggerLevel> = {}
    for (const name of [...this.known, ROOT_LOGGER].sort()) {
      const described = this.describe(name)
      if (described.level !== 'OFF') result[name] = described
    }
    return result
  }

  /**
   * Sets `namespace` and every logger under it to `level`, and returns the names, sorted, of those whose level this
   * changed. `root` (or the empty name) sets every logger.
   */
  setLevel(namespace: string, level: LoggerLevelName): string[] {
    const target = canonicalName(namespace)
    this.register(target)
    const affected = [...this.known, ROOT_LOGGER].filter((name) => isWithin(name, target))
    const before = new Map(affected.map((name) => [name, this.effectiveLevel(name)]))
    for (const name of [...this.explicit.keys()]) if (name !== target && isWithin(name, target)) this.explicit.delete(name)
    this.explicit.set(target, level)
    this.changes++
    const changed: string[] = []
    const at = this.now()
    for (const name of affected) {
      if (before.get(name) === level) continue
      this.lastModified.set(name, at)
      changed.push(name)
    }
    for (const listener of this.listeners) listener()
    return changed.sort()
  }

  private describe(name: string): LoggerLevel {
    return { level: this.effectiveLevel(name), last_modified: this.lastModified.get(name) ?? null }
  }
}

const canonicalName = (name: string): string => (name === '' || name.toLowerCase() === ROOT_LOGGER ? ROOT_LOGGER : name)

const parentOf = (name: string): string => {
  const dot = name.lastIndexOf('.')
  return dot < 0 ? ROOT_LOGGER : name.slice(0, dot)
}

/**
 * Whether `name` is `namespace` or below it. Kafka Connect matches by plain prefix, so that setting `...Worker` also
 * changed `...WorkerSourceTask`; log4j's own hierarchy, by dotted segments, is what is applied here.
 */
const isWithin = (name: string, namespace: string): boolean => namespace === ROOT_LOGGER || name === namespace || name.startsWith(`${namespace}.`)
