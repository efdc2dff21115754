import { DataError, RetriableError } from '../plugin/errors.ts'

/**
 * The Confluent Schema Registry REST calls the Avro converter makes, over Node's fetch.
 *
 * Not through @kafkajs/confluent-schema-registry's client, because of what it cannot do: its `register()` compares the
 * subject's compatibility level with an option of its own (default BACKWARD) and refuses to register under any other
 * level, sets the level on a subject's first registration, and refuses schemas without a name (such as `"string"`, a
 * string key's schema); its reads give a parsed avsc type, never the schema text (whose `connect.*` attributes the
 * Connect schema is rebuilt from) nor the version (which becomes the Connect schema's version). Its two remaining
 * calls (id by schema, latest id) would bring a second HTTP stack with its own errors, retries and auth for one request
 * each. The tests use the library to check that its `decode()` reads what the converter writes.
 */

export interface BasicCredentials {
  readonly user: string
  readonly password: string
}

export interface SchemaRegistryClientOptions {
  /** Base URLs of the registry's Confluent API, tried in order while one cannot be reached. */
  readonly urls: readonly string[]
  readonly credentials?: BasicCredentials
  /** Per request; a registry that takes longer counts as unreachable. */
  readonly requestTimeoutMs?: number
}

/** A registered schema under a subject. */
export interface SubjectVersion {
  readonly id: number
  readonly version: number
  readonly schema: string
}

/** The registry refused a request (not found, incompatible, unauthorized, invalid): retrying will not help. */
export class SchemaRegistryError extends DataError {
  constructor(
    message: string,
    /** HTTP status of the answer. */
    readonly status: number,
    /** The registry's own code, e.g. 40401 (subject not found), 40403 (schema not found), 409 (incompatible). */
    readonly errorCode: number | undefined,
    /** The registry's message, without the request it answered. */
    readonly registryMessage: string,
  ) {
    super(message)
  }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5'

export class SchemaRegistryClient {
  readonly #urls: readonly string[]
  readonly #headers: Readonly<Record<string, string>>
  readonly #timeoutMs: number
  #current = 0

  constructor(options: SchemaRegistryClientOptions) {
    if (options.urls.length === 0) throw new Error('SchemaRegistryClient needs at least one URL')
    this.#urls = options.urls.map((url) => url.replace(/\/+$/, ''))
    const headers: Record<string, string> = { Accept: ACCEPT, 'Content-Type': CONTENT_TYPE }
    if (options.credentials !== undefined) {
      const { user, password } = options.credentials
      headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`
    }
    this.#headers = headers
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000
  }

  /** Registers `schema` (Avro JSON text) under `subject`, or finds it already there; resolves to its id. */
  async register(subject: string, schema: string): Promise<number> {
    const body = await this.#request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema })
    return integerMember(body, 'id')
  }

  /** The id and version of `schema` under `subject`; a SchemaRegistryError (404) when it is not registered there. */
  async lookup(subject: string, schema: string): Promise<SubjectVersion> {
    const body = await this.#request('POST', `/subjects/${encodeURIComponent(subject)}`, { schema })
    return { id: integerMember(body, 'id'), version: integerMember(body, 'version'), schema: stringMember(body, 'schema') }
  }

  /** The latest schema registered under `subject`. */
  async latest(subject: string): Promise<SubjectVersion> {
    const body = await this.#request('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`)
    assertAvro(body, `the latest schema of subject "${subject}"`)
    return { id: integerMember(body, 'id'), version: integerMember(body, 'version'), schema: stringMember(body, 'schema') }
  }

  /** The Avro schema text registered with `id`. */
  async schemaById(id: number): Promise<string> {
    const body = await this.#request('GET', `/schemas/ids/${id}`)
    assertAvro(body, `schema id ${id}`)
    return stringMember(body, 'schema')
  }

  async #request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let lastError: unknown
    for (let attempt = 0; attempt < this.#urls.length; attempt++) {
      const base = this.#urls[this.#current]!
      let response: Response
      try {
        response = await fetch(base + path, {
          method,
          headers: this.#headers,
          ...(body !== undefined && { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.#timeoutMs),
        })
      } catch (error) {
        // Unreachable: try the next URL, as Confluent's client does, and stay with the one that answers.
        lastError = error
        this.#current = (this.#current + 1) % this.#urls.length
        continue
      }
      const text = await response.text()
      const parsed = parseBody(text)
      if (response.ok) return parsed
      const registryMessage = messageOf(parsed, text, response.status)
      const errorCode = errorCodeOf(parsed)
      const described = `${method} ${base}${path} answered ${response.status}${errorCode === undefined ? '' : ` (error code ${errorCode})`}: ${registryMessage}`
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        throw new RetriableError(`Schema registry error, ${described}`)
      }
      throw new SchemaRegistryError(`Schema registry refused the request, ${described}`, response.status, errorCode, registryMessage)
    }
    const reason = lastError instanceof Error ? (lastError.cause instanceof Error ? lastError.cause.message : lastError.message) : String(lastError)
    throw new RetriableError(`Schema registry unreachable at ${this.#urls.join(', ')} (${method} ${path}): ${reason}`, { cause: lastError })
  }
}

const parseBody = (text: string): unknown => {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null

const messageOf = (body: unknown, text: string, status: number): string => {
  if (isObject(body) && typeof body.message === 'string') return body.message
  const trimmed = text.trim()
  return trimmed === '' ? `HTTP ${status}` : trimmed.slice(0, 500)
}

const errorCodeOf = (body: unknown): number | undefined =>
  isObject(body) && typeof body.error_code === 'number' ? body.error_code : undefined

const integerMember = (body: unknown, key: string): number => {
  const value = isObject(body) ? body[key] : undefined
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new DataError(`Schema registry answer has no integer "${key}": ${JSON.stringify(body)}`)
  return value
}

const stringMember = (body: unknown, key: string): string => {
  const value = isObject(body) ? body[key] : undefined
  if (typeof value !== 'string') throw new DataError(`Schema registry answer has no "${key}" text: ${JSON.stringify(body)}`)
  return value
}

const assertAvro = (body: unknown, what: string): void => {
  const type = isObject(body) ? body.schemaType : undefined
  if (type !== undefined && type !== null && type !== 'AVRO') throw new DataError(`${what} is a ${JSON.stringify(type)} schema, not Avro`)
}
