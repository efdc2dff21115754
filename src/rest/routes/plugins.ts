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
    const config = configMap(request.body)
    const included = config['connector.class']
    if (included !== undefined && !normalizedPluginName(included).endsWith(normalizedPluginName(plugin))) {
      throw new BadRequestError(`Included connector type ${included} does not match request type ${plugin}`)
    }
    return herder.validate(plugin, config)
  })
}

/**
 * Kafka Connect's ConnectorPluginsResource: the class named in the body must end with the plugin named in the path,
 * each less a trailing "Connector", so `MqttSource` in the body matches `MqttSourceConnector` in the path and back.
 */
const ALIAS_SUFFIX = 'Connector'
const normalizedPluginName = (name: string): string =>
  name.endsWith(ALIAS_SUFFIX) && name.length > ALIAS_SUFFIX.length ? name.slice(0, -ALIAS_SUFFIX.length) : name
