import type { FastifyInstance } from 'fastify'
import { NotFoundError } from '../../herder/errors.ts'
import type { Herder } from '../../herder/herder.ts'
import type { ConnectorInfo, ConnectorStateInfo } from '../../herder/types.ts'
import { booleanQuery, configMap, configPatch, connectorNameParam, connectorOffsetsRequest, createConnectorRequest, taskIdParam } from '../request-bodies.ts'

interface NameParams {
  readonly name: string
}
interface TaskParams extends NameParams {
  readonly task: string
}

/** `/connectors/...`, in Kafka Connect's paths, status codes and JSON shapes. */
export const connectorRoutes = (herder: Herder) => async (app: FastifyInstance) => {
  app.get<{ Querystring: { expand?: string | string[] } }>('/connectors', async (request) => {
    const { expand } = request.query
    if (expand === undefined) return herder.connectorNames()
    const expansions = Array.isArray(expand) ? expand : [expand]
    // Keyed by connector names, which may be `__proto__` or `constructor`: a Map, never a plain object.
    const expanded = new Map<string, { status?: ConnectorStateInfo; info?: ConnectorInfo }>()
    for (const name of herder.connectorNames()) {
      try {
        expanded.set(name, {
          ...(expansions.includes('status') ? { status: herder.connectorStatus(name) } : {}),
          ...(expansions.includes('info') ? { info: herder.connectorInfo(name) } : {}),
        })
      } catch (error) {
        // Deleted while we were listing: Kafka Connect leaves it out too.
        if (!(error instanceof NotFoundError)) throw error
      }
    }
    // fromEntries defines each key as an own property, `__proto__` included.
    return Object.fromEntries(expanded)
  })

  app.post('/connectors', async (request, reply) => {
    const { name, config, initialState } = createConnectorRequest(request.body)
    const info = await herder.createConnector(name, config, initialState)
    return reply.code(201).header('location', `/connectors/${encodeURIComponent(name)}`).send(info)
  })

  app.get<{ Params: NameParams }>('/connectors/:name', async (request) => herder.connectorInfo(request.params.name))

  app.get<{ Params: NameParams }>('/connectors/:name/config', async (request) => herder.connectorConfig(request.params.name))

  app.put<{ Params: NameParams }>('/connectors/:name/config', async (request, reply) => {
    const name = connectorNameParam(request.params.name)
    const { created, info } = await herder.putConnectorConfig(name, configMap(request.body))
    if (created) reply.code(201).header('location', `/connectors/${encodeURIComponent(name)}`)
    return reply.send(info)
  })

  app.patch<{ Params: NameParams }>('/connectors/:name/config', async (request) =>
    herder.patchConnectorConfig(request.params.name, configPatch(request.body)),
  )

  app.get<{ Params: NameParams }>('/connectors/:name/status', async (request) => herder.connectorStatus(request.params.name))

  app.get<{ Params: NameParams }>('/connectors/:name/tasks', async (request) => herder.taskConfigs(request.params.name))

  app.get<{ Params: TaskParams }>('/connectors/:name/tasks/:task/status', async (request) =>
    herder.taskStatus(request.params.name, taskIdParam(request.params.task)),
  )

  app.post<{ Params: NameParams; Querystring: { includeTasks?: string; onlyFailed?: string } }>(
    '/connectors/:name/restart',
    async (request, reply) => {
      const status = await herder.restartConnector(request.params.name, {
        includeTasks: booleanQuery(request.query.includeTasks, 'includeTasks'),
        onlyFailed: booleanQuery(request.query.onlyFailed, 'onlyFailed'),
      })
      return status === null ? reply.code(204).send() : reply.code(202).send(status)
    },
  )

  app.post<{ Params: TaskParams }>('/connectors/:name/tasks/:task/restart', async (request, reply) => {
    await herder.restartTask(request.params.name, taskIdParam(request.params.task))
    return reply.code(204).send()
  })

  app.put<{ Params: NameParams }>('/connectors/:name/pause', async (request, reply) => {
    await herder.pauseConnector(request.params.name)
    return reply.code(202).send()
  })

  app.put<{ Params: NameParams }>('/connectors/:name/resume', async (request, reply) => {
    await herder.resumeConnector(request.params.name)
    return reply.code(202).send()
  })

  app.put<{ Params: NameParams }>('/connectors/:name/stop', async (request, reply) => {
    await herder.stopConnector(request.params.name)
    return reply.code(204).send()
  })

  app.delete<{ Params: NameParams }>('/connectors/:name', async (request, reply) => {
    await herder.deleteConnector(request.params.name)
    return reply.code(204).send()
  })

  app.get<{ Params: NameParams }>('/connectors/:name/offsets', async (request) => herder.offsets(request.params.name))

  app.patch<{ Params: NameParams }>('/connectors/:name/offsets', async (request) =>
    herder.alterConnectorOffsets(request.params.name, connectorOffsetsRequest(request.body)),
  )

  app.delete<{ Params: NameParams }>('/connectors/:name/offsets', async (request) => herder.resetConnectorOffsets(request.params.name))

  // Keyed by the connector's name, which may be `__proto__`: fromEntries makes it an own property.
  app.get<{ Params: NameParams }>('/connectors/:name/topics', async (request) =>
    Object.fromEntries([[request.params.name, herder.connectorActiveTopics(request.params.name)]]),
  )

  app.put<{ Params: NameParams }>('/connectors/:name/topics/reset', async (request, reply) => {
    await herder.resetConnectorActiveTopics(request.params.name)
    return reply.code(202).send()
  })
}
