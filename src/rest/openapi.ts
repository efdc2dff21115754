import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { componentSchemas, operations, pathParameterDescriptions, type JsonSchema, type OperationDoc } from './openapi-operations.ts'

/** A route as fastify declared it: `GET /connectors/:name`. */
export interface DeclaredRoute {
  readonly method: string
  readonly url: string
}

/** HEAD is fastify's automatic twin of each GET, not a route of its own. */
const UNDOCUMENTED_METHODS = new Set(['HEAD', 'OPTIONS'])

/** Collects the routes the app registers, from fastify's `onRoute` hook, for the document to describe. */
export class DeclaredRoutes {
  private readonly seen = new Map<string, DeclaredRoute>()

  add(url: string, methods: string | readonly string[]): void {
    for (const method of typeof methods === 'string' ? [methods] : methods) {
      const upper = method.toUpperCase()
      if (!UNDOCUMENTED_METHODS.has(upper)) this.seen.set(`${upper} ${url}`, { method: upper, url })
    }
  }

  list(): DeclaredRoute[] {
    return [...this.seen.values()]
  }
}

export const operationKey = (route: DeclaredRoute): string => `${route.method} ${route.url}`

/** `/connectors/:name/tasks/:task` → `/connectors/{name}/tasks/{task}`, and the parameter names in order. */
const openApiPath = (url: string): { path: string; parameters: string[] } => {
  const parameters: string[] = []
  const path = url
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment
      parameters.push(segment.slice(1))
      return `{${segment.slice(1)}}`
    })
    .join('/')
  return { path, parameters }
}

const isUnknown = (schema: z.ZodType | undefined): boolean => schema?._zod.def.type === 'unknown'

/**
 * The JSON Schema of what a zod schema accepts. The request schemas check `z.unknown()` first (to word their own
 * errors) and pipe it into the real shape, whose input side is what a client must send; toJSONSchema would show the
 * `unknown` and say nothing, so such a pipe is described by its second half.
 */
export const acceptedJsonSchema = (schema: z.ZodType): JsonSchema => {
  const converted = z.toJSONSchema(schema, {
    io: 'input',
    // A transform's input (the initial_state mapping) has no JSON Schema: it is shown as accepting anything.
    unrepresentable: 'any',
    override: (context) => {
      const def = context.zodSchema._zod.def as { type: string; in?: z.ZodType; out?: z.ZodType }
      if (def.type !== 'pipe' || !isUnknown(def.in) || def.out === undefined) return
      const target = context.jsonSchema as Record<string, unknown>
      for (const key of Object.keys(target)) delete target[key]
      Object.assign(target, acceptedJsonSchema(def.out))
    },
  }) as Record<string, unknown>
  // The document's dialect is OpenAPI 3.1's; a nested `$schema` would restate it on every body.
  delete converted.$schema
  return converted
}

const operationObject = (route: DeclaredRoute, doc: OperationDoc, pathParameters: readonly string[]): Record<string, unknown> => {
  const parameters = [
    ...pathParameters.map((name) => ({
      name,
      in: 'path',
      required: true,
      description: pathParameterDescriptions[name] ?? name,
      schema: { type: 'string' },
    })),
    ...(doc.query ?? []).map((query) => ({ name: query.name, in: 'query', required: false, description: query.description, schema: query.schema })),
  ]
  const bodySchema = doc.body === undefined ? doc.bodySchema : acceptedJsonSchema(doc.body)
  const responses = Object.fromEntries(
    Object.entries(doc.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.mediaType !== undefined
          ? { content: { [response.mediaType]: {} } }
          : response.schema !== undefined
            ? { content: { 'application/json': { schema: response.schema } } }
            : {}),
      },
    ]),
  )
  return {
    operationId: operationKey(route),
    summary: doc.summary,
    tags: [doc.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(bodySchema !== undefined ? { requestBody: { required: true, content: { 'application/json': { schema: bodySchema } } } } : {}),
    responses,
  }
}

export interface OpenApiInfo {
  readonly version: string
}

/**
 * The OpenAPI 3.1 document of the routes the app serves: each one that has an entry in `operations`. A route without
 * one is left out rather than guessed at; the OpenAPI test lists such routes and fails.
 */
export const openApiDocument = (routes: readonly DeclaredRoute[], info: OpenApiInfo): Record<string, unknown> => {
  const paths: Record<string, Record<string, unknown>> = {}
  const sorted = [...routes].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))
  for (const route of sorted) {
    const doc = operations[operationKey(route)]
    if (doc === undefined) continue
    const { path, parameters } = openApiPath(route.url)
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operationObject(route, doc, parameters) }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'mqtt-kafka-connect REST API',
      version: info.version,
      description: "Kafka Connect's REST API (same paths, status codes and JSON shapes), plus the worker's metrics and web console.",
    },
    paths,
    components: { schemas: componentSchemas },
  }
}

/** `GET /openapi.json`, built on first request, once every route is registered. */
export const openApiRoutes = (routes: DeclaredRoutes, info: OpenApiInfo) => async (app: FastifyInstance) => {
  let document: Record<string, unknown> | undefined
  app.get('/openapi.json', async () => (document ??= openApiDocument(routes.list(), info)))
}
