import type { FastifyReply, FastifyRequest } from 'fastify'

/** Kafka Connect's `access.control.allow.origin` / `access.control.allow.methods`, as its Jetty CrossOriginHandler applies them. */
export interface CorsPolicy {
  /** `*`, or the origins allowed; empty means no CORS headers at all (Kafka's default). */
  readonly origins: readonly string[]
  readonly methods: readonly string[]
}

/** Jetty's defaults for what access.control.allow.methods leaves unset, and the headers it allows. */
const DEFAULT_METHODS = ['GET', 'POST', 'HEAD']
const ALLOWED_HEADERS = 'X-Requested-With, Content-Type, Accept, Origin, Authorization'
const PREFLIGHT_MAX_AGE_SECONDS = '1800'

export const corsPolicyOf = (allowOrigin: string, allowMethods: string): CorsPolicy | null => {
  const origins = allowOrigin.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '')
  if (origins.length === 0) return null
  const methods = allowMethods.split(',').map((method) => method.trim().toUpperCase()).filter((method) => method !== '')
  return { origins, methods: methods.length === 0 ? DEFAULT_METHODS : methods }
}

/**
 * An onRequest hook: a request from an allowed origin gets the Access-Control headers; a preflight (OPTIONS with
 * Access-Control-Request-Method) is answered here, before authentication, since browsers send no credentials with it.
 */
export const corsHook =
  (policy: CorsPolicy) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = request.headers.origin
    if (origin === undefined || !(policy.origins.includes('*') || policy.origins.includes(origin))) return
    void reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true').header('vary', 'Origin')
    if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined) return
    await reply
      .code(204)
      .header('access-control-allow-methods', policy.methods.join(','))
      .header('access-control-allow-headers', ALLOWED_HEADERS)
      .header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS)
      .send()
  }
