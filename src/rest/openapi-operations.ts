import type { z } from 'zod'
import { requestBodySchemas } from './request-bodies.ts'

/** A JSON Schema object, as OpenAPI 3.1 takes it. */
export type JsonSchema = Readonly<Record<string, unknown>>

export interface ResponseDoc {
  readonly description: string
  /** The body's media type when it is not JSON (the web console's files, Prometheus text). */
  readonly mediaType?: string
  readonly schema?: JsonSchema
}

export interface QueryParameterDoc {
  readonly name: string
  readonly description: string
  readonly schema: JsonSchema
}

/** What `GET /openapi.json` says about one route; the path parameters come from the route's URL. */
export interface OperationDoc {
  readonly summary: string
  readonly tag: string
  readonly query?: readonly QueryParameterDoc[]
  /** The zod schema the route parses its body with: the document shows what that schema accepts. */
  readonly body?: z.ZodType
  /** A body described by hand where the route parses none with zod. */
  readonly bodySchema?: JsonSchema
  readonly responses: Readonly<Record<string, ResponseDoc>>
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

/** Kafka Connect's JSON shapes (src/herder/types.ts, src/config/validate.ts), referenced from the operations. */
export const componentSchemas: Readonly<Record<string, JsonSchema>> = {
  Error: {
    type: 'object',
    properties: { error_code: { type: 'integer' }, message: { type: 'string' } },
    required: ['error_code', 'message'],
  },
  ConnectorConfig: { type: 'object', additionalProperties: { type: 'string' } },
  ConnectorTaskId: {
    type: 'object',
    properties: { connector: { type: 'string' }, task: { type: 'integer' } },
    required: ['connector', 'task'],
  },
  ConnectorInfo: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      config: ref('ConnectorConfig'),
      tasks: { type: 'array', items: ref('ConnectorTaskId') },
      type: { type: 'string', enum: ['source', 'sink'] },
    },
    required: ['name', 'config', 'tasks', 'type'],
  },
  StateInfo: {
    type: 'object',
    properties: {
      state: { type: 'string', enum: ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'RESTARTING', 'STOPPED'] },
      worker_id: { type: 'string' },
      trace: { type: 'string', description: 'The stack trace of the failure, when state is FAILED.' },
    },
    required: ['state', 'worker_id'],
  },
  TaskStateInfo: { allOf: [ref('StateInfo'), { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] }] },
  ConnectorStateInfo: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      connector: ref('StateInfo'),
      tasks: { type: 'array', items: ref('TaskStateInfo') },
      type: { type: 'string', enum: ['source', 'sink'] },
    },
    required: ['name', 'connector', 'tasks', 'type'],
  },
  TaskInfo: {
    type: 'object',
    properties: { id: ref('ConnectorTaskId'), config: ref('ConnectorConfig') },
    required: ['id', 'config'],
  },
  PluginInfo: {
    type: 'object',
    properties: {
      class: { type: 'string' },
      type: { type: 'string', enum: ['source', 'sink', 'transformation', 'predicate', 'converter', 'header_converter'] },
      version: { type: 'string' },
    },
    required: ['class', 'type', 'version'],
  },
  ConfigKeyInfo: { type: 'object', description: 'A config key as Kafka Connect describes it: name, type, default_value, importance, documentation, group, ...' },
  ConfigInfos: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      error_count: { type: 'integer' },
      groups: { type: 'array', items: { type: 'string' } },
      configs: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            definition: ref('ConfigKeyInfo'),
            value: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                value: { type: ['string', 'null'] },
                recommended_values: { type: 'array', items: { type: 'string' } },
                errors: { type: 'array', items: { type: 'string' } },
                visible: { type: 'boolean' },
              },
              required: ['name', 'value', 'recommended_values', 'errors', 'visible'],
            },
          },
          required: ['definition', 'value'],
        },
      },
    },
    required: ['name', 'error_count', 'groups', 'configs'],
  },
  ConnectorOffsets: {
    type: 'object',
    properties: {
      offsets: {
        type: 'array',
        items: { type: 'object', properties: { partition: { type: 'object' }, offset: { type: 'object' } }, required: ['partition', 'offset'] },
      },
    },
    required: ['offsets'],
  },
  LoggerLevel: {
    type: 'object',
    properties: { level: { type: 'string' }, last_modified: { type: ['integer', 'null'] } },
    required: ['level'],
  },
}

const json = (description: string, schema?: JsonSchema): ResponseDoc => (schema === undefined ? { description } : { description, schema })
const notFound = json('No connector (or task) of that name', ref('Error'))
const badRequest = json('The request is invalid; the message says why', ref('Error'))
const conflict = json('A rebalance is in progress, or the connector exists already', ref('Error'))
const booleanFlag = (name: string, description: string): QueryParameterDoc => ({ name, description, schema: { type: 'boolean', default: false } })

/**
 * Every route the worker serves, keyed by method and URL as fastify declares them. The OpenAPI test fails for a route
 * the app registers without an entry here, so a new route cannot go undocumented.
 */
export const operations: Readonly<Record<string, OperationDoc>> = {
  'GET /': {
    summary: "The worker's version, commit and Kafka cluster id",
    tag: 'worker',
    responses: {
      200: json('Worker info', {
        type: 'object',
        properties: { version: { type: 'string' }, commit: { type: 'string' }, kafka_cluster_id: { type: 'string' } },
        required: ['version', 'commit', 'kafka_cluster_id'],
      }),
    },
  },
  'GET /health': {
    summary: 'Whether the worker has started; lists the tasks whose systems are unreachable',
    tag: 'worker',
    responses: {
      200: json('Started: healthy or degraded', {
        type: 'object',
        properties: { status: { type: 'string', enum: ['healthy', 'degraded'] }, message: { type: 'string' }, degraded: { type: 'array' } },
        required: ['status', 'message'],
      }),
      503: json('Still starting', { type: 'object', properties: { status: { const: 'starting' }, message: { type: 'string' } } }),
    },
  },
  'GET /connectors': {
    summary: 'The names of the connectors, or each one expanded with its status and/or info',
    tag: 'connectors',
    query: [{ name: 'expand', description: '`status` and/or `info`; repeat the parameter for both', schema: { type: 'string', enum: ['status', 'info'] } }],
    responses: {
      200: json('Connector names, or an object keyed by name of {status, info}', {
        oneOf: [
          { type: 'array', items: { type: 'string' } },
          {
            type: 'object',
            additionalProperties: { type: 'object', properties: { status: ref('ConnectorStateInfo'), info: ref('ConnectorInfo') } },
          },
        ],
      }),
    },
  },
  'POST /connectors': {
    summary: 'Creates a connector',
    tag: 'connectors',
    body: requestBodySchemas.createConnector,
    responses: { 201: json('Created', ref('ConnectorInfo')), 400: badRequest, 409: conflict },
  },
  'GET /connectors/:name': {
    summary: "A connector's config and tasks",
    tag: 'connectors',
    responses: { 200: json('Connector info', ref('ConnectorInfo')), 404: notFound },
  },
  'DELETE /connectors/:name': {
    summary: 'Deletes a connector and stops its tasks',
    tag: 'connectors',
    responses: { 204: json('Deleted'), 404: notFound, 409: conflict },
  },
  'GET /connectors/:name/config': {
    summary: "A connector's config",
    tag: 'connectors',
    responses: { 200: json('Config', ref('ConnectorConfig')), 404: notFound },
  },
  'PUT /connectors/:name/config': {
    summary: "Creates a connector or replaces its config",
    tag: 'connectors',
    body: requestBodySchemas.connectorConfig,
    responses: { 200: json('Updated', ref('ConnectorInfo')), 201: json('Created', ref('ConnectorInfo')), 400: badRequest, 409: conflict },
  },
  'PATCH /connectors/:name/config': {
    summary: "Changes some of a connector's config keys; a null value removes the key",
    tag: 'connectors',
    body: requestBodySchemas.configPatch,
    responses: { 200: json('Updated', ref('ConnectorInfo')), 400: badRequest, 404: notFound },
  },
  'GET /connectors/:name/status': {
    summary: 'The state of a connector and of each of its tasks',
    tag: 'connectors',
    responses: { 200: json('Status', ref('ConnectorStateInfo')), 404: notFound },
  },
  'GET /connectors/:name/tasks': {
    summary: "A connector's task configs",
    tag: 'tasks',
    responses: { 200: json('Task configs', { type: 'array', items: ref('TaskInfo') }), 404: notFound },
  },
  'GET /connectors/:name/tasks/:task/status': {
    summary: 'The state of one task',
    tag: 'tasks',
    responses: { 200: json('Task status', ref('TaskStateInfo')), 400: badRequest, 404: notFound },
  },
  'POST /connectors/:name/restart': {
    summary: 'Restarts a connector, and with includeTasks its tasks (with onlyFailed only the failed ones)',
    tag: 'connectors',
    query: [booleanFlag('includeTasks', 'Restart the tasks too'), booleanFlag('onlyFailed', 'Restart only what has FAILED')],
    responses: {
      202: json('Restarting: the status as it stands', ref('ConnectorStateInfo')),
      204: json('Restarted (the connector alone)'),
      400: badRequest,
      404: notFound,
    },
  },
  'POST /connectors/:name/tasks/:task/restart': {
    summary: 'Restarts one task',
    tag: 'tasks',
    responses: { 204: json('Restarted'), 400: badRequest, 404: notFound },
  },
  'PUT /connectors/:name/pause': {
    summary: 'Pauses a connector and its tasks',
    tag: 'connectors',
    responses: { 202: json('Pausing'), 404: notFound },
  },
  'PUT /connectors/:name/resume': {
    summary: 'Resumes a paused or stopped connector',
    tag: 'connectors',
    responses: { 202: json('Resuming'), 404: notFound },
  },
  'PUT /connectors/:name/stop': {
    summary: 'Stops a connector and shuts its tasks down, keeping its config and offsets',
    tag: 'connectors',
    responses: { 204: json('Stopped'), 404: notFound },
  },
  'GET /connectors/:name/offsets': {
    summary: "A connector's committed offsets",
    tag: 'connectors',
    responses: { 200: json('Offsets', ref('ConnectorOffsets')), 404: notFound },
  },
  'PATCH /connectors/:name/offsets': {
    summary: "Alters a stopped connector's offsets (KIP-875); a null offset removes the partition's",
    tag: 'connectors',
    responses: { 200: json('Altered', { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] }), 400: badRequest, 404: notFound },
  },
  'DELETE /connectors/:name/offsets': {
    summary: "Resets a stopped connector's offsets (KIP-875)",
    tag: 'connectors',
    responses: { 200: json('Reset', { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] }), 400: badRequest, 404: notFound },
  },
  'GET /connectors/:name/topics': {
    summary: 'The topics the connector used (KIP-558), keyed by its name; none for an unknown connector',
    tag: 'connectors',
    responses: { 200: json('Active topics', { type: 'object', additionalProperties: { type: 'object', properties: { topics: { type: 'array', items: { type: 'string' } } } } }), 403: json('Topic tracking is disabled', ref('Error')) },
  },
  'PUT /connectors/:name/topics/reset': {
    summary: 'Forgets the topics the connector used',
    tag: 'connectors',
    responses: { 202: json('Reset'), 403: json('Topic tracking or its reset is disabled', ref('Error')) },
  },
  'GET /connector-plugins': {
    summary: 'The plugins this worker can run',
    tag: 'plugins',
    query: [{ name: 'connectorsOnly', description: 'Only connectors (the default), or every plugin type', schema: { type: 'boolean', default: true } }],
    responses: { 200: json('Plugins', { type: 'array', items: ref('PluginInfo') }), 400: badRequest },
  },
  'GET /connector-plugins/:plugin/config': {
    summary: "A plugin's config keys",
    tag: 'plugins',
    responses: { 200: json('Config keys', { type: 'array', items: ref('ConfigKeyInfo') }), 404: notFound },
  },
  'PUT /connector-plugins/:plugin/config/validate': {
    summary: 'Validates a connector config without creating anything; each error is listed under its key',
    tag: 'plugins',
    body: requestBodySchemas.connectorConfig,
    responses: { 200: json('Validation result', ref('ConfigInfos')), 400: badRequest },
  },
  'GET /metrics': {
    summary: "Prometheus metrics, with Kafka Connect's names as the Prometheus JMX exporter translates them",
    tag: 'observability',
    responses: { 200: { description: 'Prometheus text exposition format', mediaType: 'text/plain' } },
  },
  'GET /admin/loggers': {
    summary: 'The level of each logger that has one set (KIP-495)',
    tag: 'observability',
    responses: { 200: json('Levels by logger name', { type: 'object', additionalProperties: ref('LoggerLevel') }) },
  },
  'GET /admin/loggers/:logger': {
    summary: 'The level of one logger',
    tag: 'observability',
    responses: { 200: json('Level', ref('LoggerLevel')), 404: json('No such logger', ref('Error')) },
  },
  'PUT /admin/loggers/:logger': {
    summary: "Sets a logger's level (KIP-495; scope per KIP-976)",
    tag: 'observability',
    query: [{ name: 'scope', description: '`worker` (the default) or `cluster`', schema: { type: 'string', enum: ['worker', 'cluster'] } }],
    bodySchema: { type: 'object', properties: { level: { type: 'string', enum: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] } }, required: ['level'] },
    responses: {
      200: json('The loggers whose level changed', { type: 'array', items: { type: 'string' } }),
      204: json('Applied across the cluster'),
      400: json('No level in the body', ref('Error')),
      404: json('Not a log level (Kafka Connect answers an invalid level with 404)', ref('Error')),
    },
  },
  'GET /openapi.json': {
    summary: 'This document',
    tag: 'worker',
    responses: { 200: json('OpenAPI 3.1 document', { type: 'object' }) },
  },
  'GET /ui': {
    summary: 'The web console',
    tag: 'web console',
    responses: { 200: { description: 'The console page', mediaType: 'text/html' }, 302: json('Redirect to /ui/, so that the page resolves its files') },
  },
  'GET /ui/:file': {
    summary: "One of the web console's files",
    tag: 'web console',
    responses: { 200: { description: 'The file' }, 404: json('No such file', ref('Error')) },
  },
}

/** What the path parameters of `operations` stand for. */
export const pathParameterDescriptions: Readonly<Record<string, string>> = {
  name: 'Connector name',
  task: 'Task id, a whole number',
  plugin: "Plugin class name or alias (the class's simple name, with or without `Connector`)",
  logger: 'Logger name, e.g. io.mqttkafka.connect.mqtt',
  file: 'File name, e.g. app.js',
}
