/**
 * Stable codes, one per kind of error: what src/rest/errors.ts maps to HTTP statuses and what logs carry, so that
 * neither depends on class identity or message wording.
 */
export type ErrorCode =
  | 'CONNECT_ERROR'
  | 'RETRIABLE'
  | 'CONFIG_INVALID'
  | 'DATA_INVALID'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'BAD_REQUEST'
  | 'CONNECTOR_CLASS_UNKNOWN'
  | 'REQUEST_TIMEOUT'
  | 'WORKER_CONFIG_INVALID'
  | 'REBALANCING'
  | 'FORBIDDEN'
  | 'NOT_LEADER'

/**
 * The error family plugins and the runtime throw, each with a stable `code` and the `cause` it wraps. Domain code
 * never mentions HTTP: src/rest/errors.ts maps codes to statuses in one table.
 */
export class ConnectError extends Error {
  readonly code: ErrorCode = 'CONNECT_ERROR'
  /** Whether trying the same operation again may succeed (a broker briefly away, a full buffer). */
  readonly retriable: boolean = false

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A transient failure: the only kind the worker retries. */
export class RetriableError extends ConnectError {
  override readonly code: ErrorCode = 'RETRIABLE'
  override readonly retriable = true
}

/** A configuration value was rejected. `key` names the offending config key. */
export class ConfigError extends ConnectError {
  override readonly code: ErrorCode = 'CONFIG_INVALID'

  constructor(
    readonly key: string,
    readonly rawValue: unknown,
    readonly reason: string,
    /** The full message when it is already written, e.g. several problems in Kafka's words. */
    message = `Invalid value ${String(rawValue)} for configuration ${key}: ${reason}`,
  ) {
    super(message)
  }
}

/** Bytes or values that cannot be converted: a malformed payload, a value that does not fit its schema. */
export class DataError extends ConnectError {
  override readonly code: ErrorCode = 'DATA_INVALID'
}
