import type { EventLevel, LoggerLevelName } from './logging/levels.ts'
import { parseLoggerLevel, writes } from './logging/levels.ts'
import { LOGGER_NAMES } from './logging/logger-names.ts'
import { LoggerLevels } from './logging/logger-levels.ts'

export type Fields = Readonly<Record<string, unknown>>

/**
 * The worker's log, on stderr so that stdout stays free for command output: one JSON object a line, or a line for
 * people on a terminal. Every logger has a name whose level can change at runtime (`/admin/loggers`).
 */
export interface Logger {
  trace(message: string, fields?: Fields): void
  debug(message: string, fields?: Fields): void
  info(message: string, fields?: Fields): void
  warn(message: string, fields?: Fields): void
  error(message: string, fields?: Fields): void
  /** Whether an event at `level` would be written now: a guard for fields that cost something to build. */
  isEnabled(level: EventLevel): boolean
  /** The same logger with `fields` added to every event (connector, task, ...). */
  child(fields: Fields): Logger
  /** The same log under another logger name, whose level is that name's; the bound fields are kept. */
  named(name: string): Logger
  readonly name: string
  /** The levels of every logger of this log, shared by all its children. */
  readonly levels: LoggerLevels
}

/** `json`: one object a line, for collectors; `text`: for a person at a terminal. */
export type LogFormat = 'json' | 'text'

export interface LoggerOptions {
  /** Default: text when stderr is a terminal, json otherwise. */
  readonly format?: LogFormat
  readonly write?: (line: string) => void
}

interface LogSink {
  readonly levels: LoggerLevels
  readonly format: LogFormat
  readonly write: (line: string) => void
}

/** `minimumLevel` is root's level: `INFO` (or `info`) writes info, warn and error. */
export const createLogger = (minimumLevel: LoggerLevelName | Lowercase<LoggerLevelName> = 'INFO', options: LoggerOptions = {}): Logger => {
  const sink: LogSink = {
    levels: new LoggerLevels(parseLoggerLevel(minimumLevel) ?? 'INFO'),
    format: options.format ?? (process.stderr.isTTY ? 'text' : 'json'),
    write: options.write ?? ((line) => process.stderr.write(line)),
  }
  return new NamedLogger(sink, LOGGER_NAMES.runtime, {})
}

class NamedLogger implements Logger {
  private seenVersion = -1
  private threshold: LoggerLevelName = 'INFO'

  constructor(
    private readonly sink: LogSink,
    readonly name: string,
    private readonly bound: Fields,
  ) {
    sink.levels.register(name)
  }

  get levels(): LoggerLevels {
    return this.sink.levels
  }

  trace(message: string, fields?: Fields): void {
    this.emit('trace', message, fields)
  }

  debug(message: string, fields?: Fields): void {
    this.emit('debug', message, fields)
  }

  info(message: string, fields?: Fields): void {
    this.emit('info', message, fields)
  }

  warn(message: string, fields?: Fields): void {
    this.emit('warn', message, fields)
  }

  error(message: string, fields?: Fields): void {
    this.emit('error', message, fields)
  }

  isEnabled(level: EventLevel): boolean {
    const { levels } = this.sink
    // One comparison per event while nobody changes a level; the hierarchy is walked again only after a change.
    if (levels.version !== this.seenVersion) {
      this.threshold = levels.effectiveLevel(this.name)
      this.seenVersion = levels.version
    }
    return writes(this.threshold, level)
  }

  child(fields: Fields): Logger {
    return new NamedLogger(this.sink, this.name, { ...this.bound, ...fields })
  }

  named(name: string): Logger {
    return new NamedLogger(this.sink, name, this.bound)
  }

  private emit(level: EventLevel, message: string, fields?: Fields): void {
    if (!this.isEnabled(level)) return
    const time = new Date().toISOString()
    if (this.sink.format === 'json') {
      this.sink.write(`${JSON.stringify({ time, level, logger: this.name, message, ...this.bound, ...fields }, jsonSafe)}\n`)
      return
    }
    const context = { ...this.bound, ...fields }
    const rest = Object.keys(context).length === 0 ? '' : ` ${JSON.stringify(context, jsonSafe)}`
    this.sink.write(`${time} ${level.toUpperCase().padEnd(5)} [${this.name}] ${message}${rest}\n`)
  }
}

/** Keys whose values are never written, whoever passes them: a password in a config must not reach a log. */
const SECRET_KEY = /password|secret|jaas|token|credential/i

const jsonSafe = (key: string, value: unknown): unknown => {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  if (typeof value === 'string' && SECRET_KEY.test(key)) return '[hidden]'
  return value
}

/** Writes nothing; for tests and tools that have no log. */
export const silentLogger: Logger = createLogger('OFF', { format: 'json', write: () => {} })
