import type { FastifyInstance } from 'fastify'
import { BadRequestError } from '../../herder/errors.ts'
import type { Herder } from '../../herder/herder.ts'
import { booleanQuery, configMap } from '../request-bodies.ts'

interface PluginParams {
  readonly plugin: string
}

/** `/connector-plugins/...`: what this worker can run, each plugin's config keys, and config validation. */
export const pluginRoutes = (herder: Herder) => async (app: FastifyInstance) => {
  app.get<{ Querystring: { connectorsOnly?: string } }>('/connector-plugins', async (request) => {
    const { connectorsOnly } = request.query
    return herder.plugins(connectorsOnly === undefined ? true : booleanQuery(connectorsOnly, 'connectorsOnly'))
  })

  app.get<{ Params: PluginParams }>('/connector-plugins/:plugin/config', async (request) => herder.pluginConfig(request.params.plugin))

  app.put<{ Params: PluginParams }>('/connector-plugins/:plugin/config/validate', async (request) => {
    const { plugin } = request.params
    const config = configMap(request.body, 'Connector config')
    const included = config['connector.class']
    if (included !== undefined && !sameSimpleName(included, plugin)) {
      throw new BadRequestError(`Included connector type ${included} does not match request type ${plugin}`)
    }
    return herder.validate(plugin, config)
  })
}

/** Kafka Connect compares the class named in the body with the path by their simple names. */
const sameSimpleName = (a: string, b: string): boolean => a.slice(a.lastIndexOf('.') + 1) === b.slice(b.lastIndexOf('.') + 1)
