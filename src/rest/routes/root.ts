import type { FastifyInstance } from 'fastify'
import type { Herder } from '../../herder/herder.ts'

/**
 * The Apache Kafka Connect release whose REST API this worker matches, call for call: what `GET /` reports as
 * `version`. It moves only when the API does, after comparing with that release.
 */
export const KAFKA_CONNECT_REST_VERSION = '4.3.1'

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
  // Clients such as kcctl read `version` as the Kafka Connect release whose REST API they talk to, and enable
  // features by it: it names the Kafka Connect REST level this worker implements; our own version comes beside it.
  app.get('/', async () => ({
    version: KAFKA_CONNECT_REST_VERSION,
    commit: info.commit,
    kafka_cluster_id: info.kafkaClusterId,
    worker_version: info.version,
  }))

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
