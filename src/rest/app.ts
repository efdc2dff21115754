import Fastify, { type FastifyInstance } from 'fastify'
import type { Herder } from '../herder/herder.ts'
import { toErrorResponse } from './errors.ts'
import { connectorRoutes } from './routes/connectors.ts'
import { pluginRoutes } from './routes/plugins.ts'
import { rootRoutes, type WorkerInfo } from './routes/root.ts'

export type { WorkerInfo }

/** Builds the REST API without listening: tests call `inject()`, `listen()` is the worker's to do. */
export const createRestApp = (herder: Herder, info: WorkerInfo, isReady: () => boolean): FastifyInstance => {
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 } })
  app.setErrorHandler(async (error, _request, reply) => {
    const body = toErrorResponse(error)
    return reply.code(body.error_code).send(body)
  })
  app.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ error_code: 404, message: 'HTTP 404 Not Found' }))
  // Kafka Connect answers an empty body with an empty object; only malformed JSON is an error.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') return done(null, undefined)
    try {
      done(null, JSON.parse(text))
    } catch (error) {
      const syntax = error instanceof Error ? error.message : String(error)
      done(Object.assign(new Error(`Request body is not valid JSON: ${syntax}`), { statusCode: 400 }), undefined)
    }
  })
  void app.register(rootRoutes(info, isReady))
  void app.register(connectorRoutes(herder))
  void app.register(pluginRoutes(herder))
  return app
}
