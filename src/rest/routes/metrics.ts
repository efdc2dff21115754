import type { FastifyInstance } from 'fastify'
import type { ConnectMetrics } from '../../metrics/connect-metrics.ts'

/** `GET /metrics`: every metric in Prometheus's text format, computed at the moment of the scrape. */
export const metricsRoutes = (metrics: ConnectMetrics) => async (app: FastifyInstance) => {
  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()))
}
