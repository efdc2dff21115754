import { STATUS_CODES } from 'node:http'
import { ConnectError, type ErrorCode } from '../plugin/errors.ts'
import { REST_LIMITS } from './limits.ts'

/** Kafka Connect's error body: every error the REST API returns has this shape. */
export interface ErrorBody {
  readonly error_code: number
  readonly message: string
}

/** An answer the REST layer gives on its own (a 405, a malformed body's 400), with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** The herder did not answer in time. The operation itself goes on and may still complete, as in Kafka Connect. */
export class HerderTimeoutError extends ConnectError {
  override readonly code: ErrorCode = 'REQUEST_TIMEOUT'

  constructor(readonly timeoutMs: number) {
    super('Request timed out')
  }
}

/**
 * The statuses of the error family's codes. A request timeout is Kafka Connect's HerderRequestHandler answer, a 500
 * with exactly that message; codes not listed (a task's own errors reaching REST) are 500s that say what happened.
 */
const STATUS_OF_CODE: ReadonlyMap<ErrorCode, number> = new Map<ErrorCode, number>([
  ['NOT_FOUND', 404],
  ['ALREADY_EXISTS', 409],
  ['BAD_REQUEST', 400],
  ['CONFIG_INVALID', 400],
  ['CONNECTOR_CLASS_UNKNOWN', 400],
  ['REQUEST_TIMEOUT', 500],
  ['REBALANCING', 409],
  ['FORBIDDEN', 403],
  // Reaches a client only when forwarding was refused (the request was forwarded already): Kafka Connect's 409.
  ['NOT_LEADER', 409],
])

/** The one table from error to HTTP status. Anything unknown is a 500 whose message still says what happened. */
export const toErrorResponse = (error: unknown): ErrorBody => {
  if (error instanceof ConnectError) return { error_code: STATUS_OF_CODE.get(error.code) ?? 500, message: error.message }
  if (error instanceof HttpError) return { error_code: error.status, message: error.message }
  const framework = FRAMEWORK_ERRORS.get(codeOf(error))
  if (framework !== undefined) return framework(error)
  const status = statusOf(error)
  if (status !== undefined && status >= 400 && status < 500) return { error_code: status, message: messageOf(error) }
  return { error_code: 500, message: messageOf(error) }
}

/** Jersey's wording for a status it answers by itself: "HTTP 405 Method Not Allowed". */
export const jerseyMessage = (status: number): string => `HTTP ${status} ${STATUS_CODES[status] ?? 'Error'}`

/** Errors fastify raises itself, by their stable codes. Jersey's words where Kafka Connect has them, ours otherwise. */
const FRAMEWORK_ERRORS = new Map<string, (error: unknown) => ErrorBody>([
  ['FST_ERR_CTP_INVALID_JSON_BODY', (error) => ({ error_code: 400, message: `Request body is not valid JSON: ${messageOf(error)}` })],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', () => ({ error_code: 400, message: 'Request body is empty; expected a JSON object' })],
  [
    'FST_ERR_CTP_BODY_TOO_LARGE',
    () => ({ error_code: 413, message: `${jerseyMessage(413)}: the request body is larger than ${REST_LIMITS.bodyBytes} bytes (16 MiB)` }),
  ],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', () => ({ error_code: 415, message: `${jerseyMessage(415)}: send the request body as application/json` })],
  ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', () => ({ error_code: 400, message: 'Request body size does not match its Content-Length header' })],
  ['FST_ERR_BAD_URL', () => ({ error_code: 400, message: `${jerseyMessage(400)}: the URL is not validly percent-encoded` })],
  ['FST_ERR_MAX_PARAM_LENGTH', () => ({ error_code: 414, message: `${jerseyMessage(414)}: a path segment is longer than ${REST_LIMITS.urlLength} characters` })],
])

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  return typeof status === 'number' ? status : undefined
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
