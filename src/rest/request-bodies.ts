import { z } from 'zod'
import { invalidConfigMessage } from '../config/validate.ts'
import { BadRequestError } from '../herder/errors.ts'
import type { InitialState } from '../herder/types.ts'
import { REST_LIMITS } from './limits.ts'

/**
 * Request bodies, path segments and query parameters arrive as parsed JSON or text of any shape; these schemas turn
 * them into what the herder takes, or a 400 whose message says what was wrong. Each schema words its own problems.
 */
const parse = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> => {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new BadRequestError(result.error.issues[0]?.message ?? 'Request is invalid')
}

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value)

/** Kafka Connect (Jackson) reads a JSON number or boolean where it expects a string as its text, so we do too. */
const scalar = [z.string(), z.number(), z.boolean()] as const

/**
 * JSON.parse keeps a `__proto__` key as an own property, but zod's record drops it and any later `map[key] = value`
 * would drop a string value or make an object the map's prototype. No Kafka Connect config has such a key: it is a
 * 400 that names it, never a silent loss.
 */
const withoutProtoKey = (what: string) =>
  z.unknown().refine((value) => !(typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')), {
    error: `${what} must not contain the key __proto__`,
    abort: true,
  })

const configMapSchema = (what: string) =>
  withoutProtoKey(what).pipe(
    z.record(
      z.string(),
      z.union(scalar, { error: (issue) => `${what}: value of ${String(issue.path?.at(-1))} must be a string, not ${kindOf(issue.input)}` }).transform(String),
      { error: `${what} must be a JSON object of string values` },
    ),
  )

const connectorConfigSchema = configMapSchema('Connector config')

const configPatchSchema = withoutProtoKey('Connector config patch').pipe(
  z.record(
    z.string(),
    z
      .union([...scalar, z.null()], { error: (issue) => `Connector config patch: value of ${String(issue.path?.at(-1))} must be a string or null` })
      .transform((value) => (value === null ? null : String(value))),
    { error: 'Connector config patch must be a JSON object' },
  ),
)

/** Java's `Character.isISOControl`, which Kafka's connector name validator applies to every code point. */
const isIsoControl = (codePoint: number): boolean => codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f)

/** What is wrong with a connector name, in Kafka Connect's words where it has them; `undefined` when nothing is. */
const connectorNameProblem = (name: string): string | undefined => {
  const controls = [...name].map((char) => char.codePointAt(0) ?? 0).filter(isIsoControl)
  if (controls.length > 0) {
    // Kafka Connect's ConnectorConfig validates `name` with ConfigDef.NonEmptyStringWithoutControlChars.
    const message = `Invalid value ${name} for configuration name: String may not contain control sequences but had the following ASCII chars: ${controls.join(', ')}`
    return invalidConfigMessage([{ key: 'name', message }])
  }
  const limit = REST_LIMITS.connectorNameLength
  if (name.length > limit) return `Connector name is ${name.length} characters long; connector names are limited to ${limit} characters`
  return undefined
}

const connectorNameSchema = z.string().superRefine((name, context) => {
  const problem = connectorNameProblem(name)
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem })
})

const EMPTY_NAME = 'Connector name must not be empty: set "name" in the request body'

/** Kafka Connect trims the name in a POST body; a missing name is an empty one. */
const nameInBodySchema = z
  .union(scalar, { error: (issue) => (issue.input == null ? EMPTY_NAME : `Connector name must be a string, not ${kindOf(issue.input)}`) })
  .transform((name) => String(name).trim())
  .pipe(z.string().min(1, EMPTY_NAME).pipe(connectorNameSchema))

/** `initial_state` as the request spells it (case-insensitively) → the target state the herder stores. */
const INITIAL_STATES = new Map<string, InitialState>([
  ['RUNNING', 'STARTED'],
  ['PAUSED', 'PAUSED'],
  ['STOPPED', 'STOPPED'],
])

const initialStateSchema = z.unknown().transform((value, context): InitialState | undefined => {
  if (value === undefined || value === null) return undefined
  const state = typeof value === 'string' ? INITIAL_STATES.get(value.toUpperCase()) : undefined
  if (state === undefined) {
    context.addIssue({ code: 'custom', message: `Invalid initial_state ${JSON.stringify(value)}: must be one of RUNNING, PAUSED, STOPPED` })
    return z.NEVER
  }
  return state
})

const createConnectorSchema = z.object(
  {
    name: nameInBodySchema,
    config: z
      .unknown()
      .refine((config): boolean => config !== undefined && config !== null, { error: 'Request body has no "config" object', abort: true })
      .pipe(connectorConfigSchema),
    initial_state: initialStateSchema.optional(),
  },
  { error: 'Request body must be a JSON object with "name" and "config"' },
)

export interface CreateConnectorRequest {
  readonly name: string
  readonly config: Record<string, string>
  readonly initialState: InitialState | undefined
}

/** `POST /connectors`: {"name", "config", "initial_state"?}. */
export const createConnectorRequest = (body: unknown): CreateConnectorRequest => {
  const { name, config, initial_state: initialState } = parse(createConnectorSchema, body)
  return { name, config, initialState }
}

/** A connector config map: the body of `PUT .../config` and of `PUT .../config/validate`. */
export const configMap = (body: unknown): Record<string, string> => parse(connectorConfigSchema, body)

/** PATCH bodies may also hold `null`, which removes a key. */
export const configPatch = (body: unknown): Record<string, string | null> => parse(configPatchSchema, body)

/** A connector name from the URL of a request that may create the connector (`PUT /connectors/{name}/config`). */
export const connectorNameParam = (name: string): string => parse(connectorNameSchema, name)

const TRUE_OR_FALSE = /^(true|false)$/i

export const booleanQuery = (value: unknown, name: string): boolean => {
  const mustBeBoolean = `Query parameter ${name} must be true or false`
  return parse(
    z
      .union([z.undefined(), z.boolean(), z.string().regex(TRUE_OR_FALSE, mustBeBoolean)], { error: mustBeBoolean })
      .transform((flag) => flag === true || (typeof flag === 'string' && flag.toLowerCase() === 'true')),
    value,
  )
}

export const taskIdParam = (raw: string): number => {
  const notWhole = `Task id ${raw} is not a whole number`
  return parse(z.string().regex(/^\d+$/, notWhole).transform(Number).refine(Number.isSafeInteger, notWhole), raw)
}

const NO_OFFSETS = 'Partitions / offsets need to be provided for an alter offsets request'
const jsonObject = (what: string) =>
  withoutProtoKey(what).pipe(z.record(z.string(), z.unknown(), { error: `${what} must be a JSON object` }))

/** `PATCH /connectors/{name}/offsets` (KIP-875): `{"offsets": [{"partition": {...}, "offset": {...} | null}]}`. */
const connectorOffsetsSchema = z.object(
  {
    offsets: z
      .array(
        z.object(
          {
            partition: jsonObject('The partition of an offset'),
            // Kafka Connect reads a missing offset as null: the partition's offset is removed.
            offset: jsonObject('The offset of a partition').nullable().optional().transform((offset) => offset ?? null),
          },
          { error: 'Each of offsets must be a JSON object with a partition and an offset' },
        ),
        { error: NO_OFFSETS },
      )
      .min(1, NO_OFFSETS),
  },
  { error: NO_OFFSETS },
)

export const connectorOffsetsRequest = (body: unknown): z.output<typeof connectorOffsetsSchema>['offsets'] => parse(connectorOffsetsSchema, body ?? {}).offsets

/** The schemas behind the parsers above, for `GET /openapi.json`: the document describes what the routes parse. */
export const requestBodySchemas = { createConnector: createConnectorSchema, connectorConfig: connectorConfigSchema, configPatch: configPatchSchema } as const
