import type { FastifyInstance } from 'fastify'
import type { Herder } from '../../herder/herder.ts'

export interface WorkerInfo {
  readonly version: string
  readonly commit: string
  readonly kafkaClusterId: string
}

/**
 * `GET /` and `GET /health`. Health answers 503 until the worker has read its internal topics and resumed its
 * connectors, as Kafka Connect's does; once up it stays 200 (a broker outage is no reason to restart the worker)
 * and says `degraded`, listing what each affected task cannot reach.
 */
export const rootRoutes = (info: WorkerInfo, isReady: () => boolean, herder: Pick<Herder, 'degradedTasks'>) => async (app: FastifyInstance) => {
  app.get('/', async () => ({ version: info.version, commit: info.commit, kafka_cluster_id: info.kafkaClusterId }))

  app.get('/health', async (_request, reply) => {
    if (!isReady()) return reply.code(503).send({ status: 'starting', message: 'Worker is still starting up.' })
    const degraded = herder.degradedTasks()
    if (degraded.length === 0) return { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' }
    return {
      status: 'degraded',
      message: `Worker is running, but ${degraded.length} task connection(s) are down and being retried.`,
      degraded,
    }
  })
}
