import type { FastifyInstance } from 'fastify'

export interface WorkerInfo {
  readonly version: string
  readonly commit: string
  readonly kafkaClusterId: string
}

/** `GET /` and `GET /health`. Health answers 503 until the worker has read its internal topics. */
export const rootRoutes = (info: WorkerInfo, isReady: () => boolean) => async (app: FastifyInstance) => {
  app.get('/', async () => ({ version: info.version, commit: info.commit, kafka_cluster_id: info.kafkaClusterId }))

  app.get('/health', async (_request, reply) =>
    isReady()
      ? { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' }
      : reply.code(503).send({ status: 'starting', message: 'Worker is still starting up.' }),
  )
}
