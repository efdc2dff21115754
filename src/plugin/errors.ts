/**
 * The error family plugins and the runtime throw. Domain code never mentions HTTP: src/rest/errors.ts maps these
 * to statuses in one table.
 */
export class ConnectError extends Error {
  /** Whether trying the same operation again may succeed (a broker briefly away, a full buffer). */
  readonly retriable: boolean = false

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A transient failure: the only kind the worker retries. */
export class RetriableError extends ConnectError {
  override readonly retriable = true
}

/** A configuration value was rejected. `key` names the offending config key. */
export class ConfigError extends ConnectError {
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
export class DataError extends ConnectError {}
