import type { FastifyInstance, FastifyRequest } from 'fastify'
import { corsHook } from './cors.ts'
import type { RestRequestHook, RestSecurity } from './auth/rest-security.ts'

/** Which endpoints a listener serves: `/admin/*` only where `admin.listeners` says, the rest on the REST listeners. */
export interface ListenerScope {
  readonly api: boolean
  readonly admin: boolean
}

/**
 * The route a request matched, as declared (`/admin/loggers/:logger`), so that no spelling of the URL (`/%61dmin`,
 * `//admin`) gets past a rule about paths; the raw path when nothing matched.
 */
const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? request.url.split('?')[0]!

const isAdminRoute = (route: string): boolean => route === '/admin' || route.startsWith('/admin/')

/** Kubernetes-style probes carry no credentials; /health says whether the worker is up and nothing more. */
const isHealthCheck = (request: FastifyRequest): boolean => request.method === 'GET' && routeOf(request) === '/health'

/**
 * Added to the root instance before any route, so that every route, those other modules add later included, is
 * behind them: the listener's scope, then CORS (a preflight carries no credentials), then each authentication hook.
 */
export const addRequestGuards = (app: FastifyInstance, security: RestSecurity, scope: ListenerScope): void => {
  if (!scope.api || !scope.admin) {
    app.addHook('onRequest', async (request, reply) => {
      const admin = isAdminRoute(routeOf(request))
      if (admin ? scope.admin : scope.api) return
      await reply.code(404).send({ error_code: 404, message: 'HTTP 404 Not Found' })
    })
  }
  if (security.cors !== null) app.addHook('onRequest', corsHook(security.cors))
  for (const hook of security.hooks) app.addHook('onRequest', unlessHealthCheck(hook))
}

const unlessHealthCheck =
  (hook: RestRequestHook): RestRequestHook =>
  async (request, reply) => {
    if (!isHealthCheck(request)) await hook(request, reply)
  }
