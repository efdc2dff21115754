/** What can go wrong with a request to the cluster; src/rest/errors.ts maps each to its HTTP status. */
export class NotFoundError extends Error {}
export class AlreadyExistsError extends Error {}
/** The request is malformed or the config invalid; the message names the offending keys. */
export class BadRequestError extends Error {}
