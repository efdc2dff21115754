/** The worker's log: one JSON object a line on stderr, so that stdout stays free for command output. */
export interface Logger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void
  error(message: string, fields?: Readonly<Record<string, unknown>>): void
  child(fields: Readonly<Record<string, unknown>>): Logger
}

type Level = 'info' | 'warn' | 'error'
const LEVEL_RANK: Record<Level, number> = { info: 0, warn: 1, error: 2 }

export const createLogger = (
  minimumLevel: Level = 'info',
  bound: Readonly<Record<string, unknown>> = {},
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger => {
  const emit = (level: Level, message: string, fields?: Readonly<Record<string, unknown>>): void => {
    if (LEVEL_RANK[level] < LEVEL_RANK[minimumLevel]) return
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...bound, ...fields }, jsonSafe)}\n`)
  }
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(minimumLevel, { ...bound, ...fields }, write),
  }
}

const jsonSafe = (_key: string, value: unknown): unknown => {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  return value
}

export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
}
