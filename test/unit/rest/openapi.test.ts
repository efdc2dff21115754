import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import type { FastifyInstance } from 'fastify'
import { restAppWithFakeHerder } from './fake-herder.ts'

interface AppRoute {
  readonly method: string
  readonly url: string
}

/**
 * Every route the app serves, read from fastify's own route tree (`printRoutes`), so that a route added anywhere, by
 * any module, is in the list without this test naming it. Each line is one node, indented four columns per level,
 * holding the path segment it adds to its parent's and, where a route ends there, its methods.
 */
const routesOf = (app: FastifyInstance): AppRoute[] => {
  const routes: AppRoute[] = []
  const prefixes: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│├└─\s]*)(\S.*?)(?: \(([^)]+)\))?$/u.exec(line)
    if (match === null) continue
    const [, tree = '', segment = '', methods] = match
    const depth = tree.length / 4
    const url = (prefixes[depth - 1] ?? '') + segment
    prefixes[depth] = url
    prefixes.length = depth + 1
    for (const method of methods?.split(', ') ?? []) if (method !== 'HEAD') routes.push({ method, url })
  }
  return routes
}

const openApiPathOf = (url: string): string => url.replace(/:([^/]+)/g, '{$1}')

/** Every `$ref` in the document, wherever it is nested. */
const refsIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn)
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)))
}

type Document = {
  openapi: string
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: unknown }> } }>>
  components: { schemas: Record<string, unknown> }
}

describe('GET /openapi.json', () => {
  const { app } = restAppWithFakeHerder()
  let document: Document
  let routes: AppRoute[]

  before(async () => {
    await app.ready()
    routes = routesOf(app)
    const response = await app.inject({ method: 'GET', url: '/openapi.json' })
    assert.equal(response.statusCode, 200, response.body)
    document = JSON.parse(response.body) as Document
  })
  after(() => app.close())

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document)
    assert.deepEqual(result.errors, undefined)
    assert.equal(result.valid, true)
    assert.equal(document.openapi, '3.1.0')
  })

  it('describes every route the app serves, and no route it does not', () => {
    // The route tree parser must itself see the routes, or the check below would pass on nothing.
    const read = new Set(routes.map(({ method, url }) => `${method} ${url}`))
    for (const known of ['GET /', 'DELETE /connectors/:name', 'GET /connectors/:name/tasks/:task/status', 'PUT /connector-plugins/:plugin/config/validate', 'GET /ui/:file']) {
      assert.ok(read.has(known), `${known} not read from the app's routes: ${[...read].join(', ')}`)
    }
    const missing = routes.filter(({ method, url }) => document.paths[openApiPathOf(url)]?.[method.toLowerCase()] === undefined)
    assert.deepEqual(missing, [], 'routes without an entry in src/rest/openapi-operations.ts')
    const served = new Set(routes.map(({ method, url }) => `${method.toLowerCase()} ${openApiPathOf(url)}`))
    const extra = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`)).filter((entry) => !served.has(entry))
    assert.deepEqual(extra, [])
  })

  it('declares each path parameter of each operation', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name)
      for (const [method, operation] of Object.entries(item)) {
        const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name)
        assert.deepEqual(declared, names, `${method} ${path}`)
      }
    }
  })

  it('resolves every $ref to a component schema', () => {
    const refs = refsIn(document)
    assert.ok(refs.length > 0)
    for (const ref of refs) {
      const name = ref.replace('#/components/schemas/', '')
      assert.ok(ref.startsWith('#/components/schemas/') && Object.hasOwn(document.components.schemas, name), ref)
    }
  })

  it('shows the request bodies the routes parse with zod, as a client must send them', () => {
    const bodyOf = (path: string, method: string): unknown => document.paths[path]?.[method]?.requestBody?.content['application/json']?.schema
    const stringMap = { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: ['string', 'number', 'boolean'] } }
    assert.deepEqual(bodyOf('/connectors/{name}/config', 'put'), stringMap)
    assert.deepEqual(bodyOf('/connector-plugins/{plugin}/config/validate', 'put'), stringMap)
    const create = bodyOf('/connectors', 'post') as { properties: Record<string, unknown>; required: string[] }
    assert.deepEqual(create.required, ['name', 'config'])
    assert.deepEqual(create.properties.config, stringMap)
    assert.deepEqual(Object.keys(create.properties).sort(), ['config', 'initial_state', 'name'])
    const patch = bodyOf('/connectors/{name}/config', 'patch') as { additionalProperties: unknown }
    assert.deepEqual(patch.additionalProperties, { type: ['string', 'number', 'boolean', 'null'] })
  })
})
