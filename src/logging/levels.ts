/** The levels an event is written at, least severe first. */
export const EVENT_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const
export type EventLevel = (typeof EVENT_LEVELS)[number]

/**
 * log4j's level names, as Kafka Connect's `/admin/loggers` and `log4j.properties` spell them: a logger set to one
 * writes the events at that level and above. OFF writes nothing, ALL everything; FATAL, which the worker never
 * emits, is accepted for compatibility and silences the logger as OFF does.
 */
export const LOGGER_LEVELS = ['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL'] as const
export type LoggerLevelName = (typeof LOGGER_LEVELS)[number]

const THRESHOLD: Readonly<Record<LoggerLevelName, number>> = { ALL: 0, TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6, OFF: 7 }
const SEVERITY: Readonly<Record<EventLevel, number>> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5 }

/** `debug`, `DEBUG` or `Debug` → `DEBUG`; `null` for a name log4j does not know. */
export const parseLoggerLevel = (text: string): LoggerLevelName | null => {
  const upper = text.trim().toUpperCase()
  return (LOGGER_LEVELS as readonly string[]).includes(upper) ? (upper as LoggerLevelName) : null
}

/** Whether a logger set to `threshold` writes an event at `level`. */
export const writes = (threshold: LoggerLevelName, level: EventLevel): boolean => SEVERITY[level] >= THRESHOLD[threshold]
