import type { FastifyInstance } from 'fastify'
import { BadRequestError, NotFoundError } from '../../herder/errors.ts'
import type { Logger } from '../../logger.ts'
import { parseLoggerLevel, type LoggerLevelName } from '../../logging/levels.ts'
import type { LoggerLevels } from '../../logging/logger-levels.ts'

/** What `/admin/loggers` reads and changes. */
export interface LoggerAdmin {
  readonly levels: LoggerLevels
  /** Where the route writes that a level changed, as Kafka Connect's Loggers does. */
  readonly logger?: Logger
  /**
   * `PUT ...?scope=cluster`: sets the level on every worker of the cluster (KIP-976), resolving once the change is
   * written for all of them to apply. Absent in a worker that is alone, which applies it to itself.
   */
  readonly setClusterLevel?: (namespace: string, level: LoggerLevelName) => Promise<void>
}

interface LoggerParams {
  readonly logger: string
}

/** Kafka Connect's LoggingResource (KIP-495, KIP-976): named loggers' levels, read and changed at runtime. */
export const adminRoutes = (admin: LoggerAdmin) => async (app: FastifyInstance) => {
  const { levels, logger } = admin

  app.get('/admin/loggers', async () => levels.allLevels())

  app.get<{ Params: LoggerParams }>('/admin/loggers/:logger', async (request) => {
    const found = levels.level(request.params.logger)
    if (found === null) throw new NotFoundError(`Logger ${request.params.logger} not found.`)
    return found
  })

  app.put<{ Params: LoggerParams; Querystring: { scope?: string } }>('/admin/loggers/:logger', async (request, reply) => {
    const namespace = request.params.logger
    const body: unknown = request.body
    const requested = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).level : undefined
    if (typeof requested !== 'string') throw new BadRequestError("Desired 'level' parameter was not specified in request.")
    // log4j's own names in any case: Kafka Connect before 3.7 upper-cased the level as well.
    const level = parseLoggerLevel(requested)
    if (level === null) throw new NotFoundError(`invalid log level '${requested}'.`)
    const scope = (request.query.scope ?? 'worker').toLowerCase()
    if (scope === 'cluster') {
      logger?.info(`Setting level of namespace ${namespace} and children to ${level} across the cluster`)
      if (admin.setClusterLevel === undefined) levels.setLevel(namespace, level)
      else await admin.setClusterLevel(namespace, level)
      return reply.code(204).send()
    }
    if (scope !== 'worker') logger?.warn(`Received invalid scope '${request.query.scope}' in request to adjust logging level; will default to worker`)
    logger?.info(`Setting level of namespace ${namespace} and children to ${level}`)
    return levels.setLevel(namespace, level)
  })
}
