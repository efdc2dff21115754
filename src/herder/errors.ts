import { ConnectError, type ErrorCode } from '../plugin/errors.ts'

/** What can go wrong with a request to the cluster; src/rest/errors.ts maps each code to its HTTP status. */
export class NotFoundError extends ConnectError {
  override readonly code: ErrorCode = 'NOT_FOUND'
}

export class AlreadyExistsError extends ConnectError {
  override readonly code: ErrorCode = 'ALREADY_EXISTS'
}

/** The request is malformed or the config invalid; the message names the offending keys. */
export class BadRequestError extends ConnectError {
  override readonly code: ErrorCode = 'BAD_REQUEST'
}
