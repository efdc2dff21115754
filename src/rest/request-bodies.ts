import { BadRequestError } from '../herder/errors.ts'
import type { InitialState } from '../herder/types.ts'

/**
 * Request bodies arrive as parsed JSON of any shape; these turn them into what the herder takes, or a 400 that says
 * what was wrong. Kafka Connect (Jackson) accepts numbers and booleans where it expects strings, so we do too.
 */
export const configMap = (body: unknown, what: string): Record<string, string> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestError(`${what} must be a JSON object of string values`)
  const config: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') config[key] = value
    else if (typeof value === 'number' || typeof value === 'boolean') config[key] = String(value)
    else throw new BadRequestError(`${what}: value of ${key} must be a string, not ${value === null ? 'null' : typeof value}`)
  }
  return config
}

/** PATCH bodies may also hold `null`, which removes a key. */
export const configPatch = (body: unknown): Record<string, string | null> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestError('Connector config patch must be a JSON object')
  const patch: Record<string, string | null> = {}
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (value === null || typeof value === 'string') patch[key] = value
    else if (typeof value === 'number' || typeof value === 'boolean') patch[key] = String(value)
    else throw new BadRequestError(`Connector config patch: value of ${key} must be a string or null`)
  }
  return patch
}

export interface CreateConnectorRequest {
  readonly name: string
  readonly config: Record<string, string>
  readonly initialState: InitialState | undefined
}

const INITIAL_STATES: readonly string[] = ['RUNNING', 'PAUSED', 'STOPPED']

export const createConnectorRequest = (body: unknown): CreateConnectorRequest => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('Request body must be a JSON object with "name" and "config"')
  }
  const { name, config, initial_state: initialState } = body as Record<string, unknown>
  const trimmed = typeof name === 'string' ? name.trim() : ''
  if (trimmed === '') throw new BadRequestError('Connector name must not be empty: set "name" in the request body')
  if ([...trimmed].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) throw new BadRequestError('Connector name must not contain ISO control characters')
  if (config === undefined || config === null) throw new BadRequestError('Request body has no "config" object')
  if (initialState !== undefined && initialState !== null && (typeof initialState !== 'string' || !INITIAL_STATES.includes(initialState.toUpperCase()))) {
    throw new BadRequestError(`Invalid initial_state ${JSON.stringify(initialState)}: must be one of RUNNING, PAUSED, STOPPED`)
  }
  const state = typeof initialState === 'string' ? initialState.toUpperCase() : undefined
  return {
    name: trimmed,
    config: configMap(config, 'Connector config'),
    initialState: state === undefined ? undefined : state === 'RUNNING' ? 'STARTED' : (state as InitialState),
  }
}

export const booleanQuery = (value: unknown, name: string): boolean => {
  if (value === undefined) return false
  if (value === 'true' || value === true) return true
  if (value === 'false' || value === false) return false
  throw new BadRequestError(`Query parameter ${name} must be true or false`)
}

export const taskIdParam = (raw: string): number => {
  const id = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id)) throw new BadRequestError(`Task id ${raw} is not a whole number`)
  return id
}
