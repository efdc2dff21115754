import { createServer as createHttpsServer } from 'node:https'
import type { TlsOptions } from 'node:tls'
import Fastify, { type FastifyInstance } from 'fastify'
import { OPEN_REST, type RestSecurity } from './auth/rest-security.ts'
import { addRequestGuards, type ListenerScope } from './request-guards.ts'
import type { Herder } from '../herder/herder.ts'
import { answerClientError } from './client-errors.ts'
import { forwardRequest, shouldForward } from './forwarding.ts'
import { HttpError, jerseyMessage, toErrorResponse } from './errors.ts'
import { DeclaredRoutes, openApiRoutes } from './openapi.ts'
import { withHerderTimeout } from './herder-timeout.ts'
import { parseJsonBody } from './json-body.ts'
import { DEFAULT_HERDER_TIMEOUT_MS, DEFAULT_RECEIVE_TIMEOUT_MS, REST_LIMITS } from './limits.ts'
import { RouteTable } from './route-table.ts'
import { connectorRoutes } from './routes/connectors.ts'
import { pluginRoutes } from './routes/plugins.ts'
import { rootRoutes, type WorkerInfo } from './routes/root.ts'
import { uiRoutes } from './routes/ui.ts'
import { adminRoutes, type LoggerAdmin } from './routes/admin.ts'
import { metricsRoutes } from './routes/metrics.ts'
import { ConnectMetrics } from '../metrics/connect-metrics.ts'
import { LoggerLevels } from '../logging/logger-levels.ts'

export type { WorkerInfo }

export interface RestOptions {
  /** How long a request waits on the herder before Kafka Connect's 500 "Request timed out"; 90 s by default. */
  readonly herderTimeoutMs?: number
  /** How long a client has to send its whole request, headers and body, before a 408; 30 s by default. */
  readonly receiveTimeoutMs?: number
  /** This worker's advertised URL: a request is never forwarded to itself. */
  readonly ownUrl?: string
  /** TLS of an https listener; plain HTTP without it. */
  readonly tls?: TlsOptions | null
  /** Authentication and CORS, applied to every request before any route; none by default. */
  readonly security?: RestSecurity
  /** Which endpoints this app serves (`admin.listeners`); everything by default. */
  readonly scope?: ListenerScope
  /** What `GET /metrics` exposes; an empty registry of its own by default. */
  readonly metrics?: ConnectMetrics
  /** The named loggers `/admin/loggers` reads and sets; a set of its own at INFO by default. */
  readonly loggers?: LoggerAdmin
}

/**
 * Builds the REST API without listening: tests call `inject()`, `listen()` is the worker's to do. Every error it
 * answers, fastify's and node's own included, is Kafka Connect's {"error_code", "message"}.
 */
export const createRestApp = (herder: Herder, info: WorkerInfo, isReady: () => boolean, options: RestOptions = {}): FastifyInstance => {
  const herderTimeoutMs = options.herderTimeoutMs ?? DEFAULT_HERDER_TIMEOUT_MS
  const receiveTimeoutMs = options.receiveTimeoutMs ?? DEFAULT_RECEIVE_TIMEOUT_MS
  const httpOptions = {
    maxHeaderSize: REST_LIMITS.headerBytes,
    headersTimeout: receiveTimeoutMs,
    // Node looks for timed-out requests every 30 s by default, which would let a 30 s timeout run to 60 s.
    connectionsCheckingInterval: Math.min(1_000, receiveTimeoutMs),
  }
  const tls = options.tls ?? null
  const app = Fastify({
    logger: false,
    // An https listener: the same server options, over TLS.
    ...(tls === null ? {} : { serverFactory: (handler: Parameters<typeof createHttpsServer>[1]) => createHttpsServer({ ...httpOptions, ...tls }, handler) }),
    bodyLimit: REST_LIMITS.bodyBytes,
    requestTimeout: receiveTimeoutMs,
    http: httpOptions,
    clientErrorHandler: answerClientError(receiveTimeoutMs),
    // A URL the router cannot even decode: answered before any route, as fastify's own default does.
    frameworkErrors: (error, _request, reply) => {
      const answer = toErrorResponse(error)
      const body = JSON.stringify(answer)
      reply.raw.writeHead(answer.error_code, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
      reply.raw.end(body)
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: REST_LIMITS.urlLength },
  })
  app.setErrorHandler(async (error, request, reply) => {
    if (shouldForward(error, request, options.ownUrl)) return forwardRequest(request, reply, error.url, herderTimeoutMs)
    const body = toErrorResponse(error)
    return reply.code(body.error_code).send(body)
  })

  const routes = new RouteTable()
  app.addHook('onRoute', (route) => routes.add(route.url, route.method))
  const declaredRoutes = new DeclaredRoutes()
  app.addHook('onRoute', (route) => declaredRoutes.add(route.url, route.method))
  app.addHook('onRequest', async (request) => {
    if (request.url.length > REST_LIMITS.urlLength) {
      throw new HttpError(414, `${jerseyMessage(414)}: the URL is longer than ${REST_LIMITS.urlLength} characters`)
    }
  })
  addRequestGuards(app, options.security ?? OPEN_REST, options.scope ?? { api: true, admin: true })
  // Jersey answers a known path asked with a method it does not serve with 405, and names the methods it does serve.
  app.setNotFoundHandler(async (request, reply) => {
    const methods = routes.methodsFor(request.url)
    if (methods.length === 0 || methods.includes(request.method)) return reply.code(404).send({ error_code: 404, message: jerseyMessage(404) })
    return reply.code(405).header('allow', methods.join(', ')).send({ error_code: 405, message: jerseyMessage(405) })
  })

  // JSON only, as Kafka Connect's @Consumes(APPLICATION_JSON): any other media type is a 415.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')))
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)))
    }
  })

  const boundedHerder = withHerderTimeout(herder, herderTimeoutMs)
  void app.register(rootRoutes(info, isReady, herder))
  void app.register(connectorRoutes(boundedHerder))
  void app.register(pluginRoutes(boundedHerder))
  void app.register(openApiRoutes(declaredRoutes, info))
  void app.register(uiRoutes())
  void app.register(metricsRoutes(options.metrics ?? new ConnectMetrics({ processMetrics: false })))
  void app.register(adminRoutes(options.loggers ?? { levels: new LoggerLevels('INFO') }))
  return app
}

/**
 * Stops listening and lets requests in progress finish for at most `graceMs`, then closes every connection: a
 * worker told to stop must not wait out a client, nor the herder's 90 s bound.
 */
export const closeRestApp = async (app: FastifyInstance, graceMs: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined
  const closing = app.close()
  await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))])
  clearTimeout(timer)
  app.server.closeAllConnections()
  await closing
}
