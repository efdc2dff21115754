import { AlreadyExistsError, BadRequestError, NotFoundError } from '../herder/errors.ts'

/** Kafka Connect's error body: every error the REST API returns has this shape. */
export interface ErrorBody {
  readonly error_code: number
  readonly message: string
}

/** The one table from error to HTTP status. Anything unknown is a 500 whose message still says what happened. */
export const toErrorResponse = (error: unknown): ErrorBody => {
  if (error instanceof NotFoundError) return { error_code: 404, message: error.message }
  if (error instanceof AlreadyExistsError) return { error_code: 409, message: error.message }
  if (error instanceof BadRequestError) return { error_code: 400, message: error.message }
  const status = httpStatusOf(error)
  if (status !== undefined && status >= 400 && status < 500) return { error_code: status, message: clientErrorMessage(error, status) }
  return { error_code: 500, message: error instanceof Error ? error.message : String(error) }
}

/** Errors fastify raises itself (a body that is not JSON, an unsupported media type) carry their status. */
const httpStatusOf = (error: unknown): number | undefined => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  return typeof status === 'number' ? status : undefined
}

const clientErrorMessage = (error: unknown, status: number): string => {
  const code = (error as { code?: unknown }).code
  const message = error instanceof Error ? error.message : `HTTP ${status}`
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) return `Request body is not valid JSON: ${message}`
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'Request body is empty; expected a JSON object'
  return message
}
