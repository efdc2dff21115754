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

/** Kafka Connect's answer to a write while the group rebalances, or when no leader is known. */
export const REBALANCE_MESSAGE = 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)'

export class RebalanceInProgressError extends ConnectError {
  override readonly code: ErrorCode = 'REBALANCING'

  constructor() {
    super(REBALANCE_MESSAGE)
  }
}

/**
 * This worker may not carry out the request, and `url` is the worker that may: the leader for a config write
 * (`toLeader`), or the worker running the task for a task restart. The REST layer forwards the request there.
 */
export class NotLeaderError extends ConnectError {
  override readonly code: ErrorCode = 'NOT_LEADER'

  constructor(
    readonly url: string,
    readonly toLeader: boolean,
  ) {
    super(REBALANCE_MESSAGE)
  }
}

/** The worker's config does not allow the request (topic tracking off, say); Kafka Connect answers 403. */
export class ForbiddenError extends ConnectError {
  override readonly code: ErrorCode = 'FORBIDDEN'
}
