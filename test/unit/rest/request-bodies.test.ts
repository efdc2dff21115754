import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { BadRequestError } from '../../../src/herder/errors.ts'
import { REST_LIMITS } from '../../../src/rest/limits.ts'
import { booleanQuery, configMap, configPatch, createConnectorRequest, taskIdParam } from '../../../src/rest/request-bodies.ts'
import { restAppWithFakeHerder } from './fake-herder.ts'

const rejects = (parse: () => unknown, message: string | RegExp) =>
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof BadRequestError)
    if (typeof message === 'string') assert.equal(error.message, message)
    else assert.match(error.message, message)
    return true
  })

const config = { 'connector.class': 'FakeSourceConnector' }

describe('POST /connectors bodies', () => {
  it('takes a name, a config and an initial state in any case', () => {
    assert.deepEqual(createConnectorRequest({ name: ' sensors ', config, initial_state: 'paused' }), { name: 'sensors', config, initialState: 'PAUSED' })
    assert.deepEqual(createConnectorRequest({ name: 'sensors', config, initial_state: 'RUNNING' }).initialState, 'STARTED')
    assert.deepEqual(createConnectorRequest({ name: 'sensors', config, initial_state: null }).initialState, undefined)
    assert.deepEqual(createConnectorRequest({ name: 'sensors', config }).initialState, undefined)
  })

  it('reads numbers and booleans as their text, as Jackson does', () => {
    assert.deepEqual(createConnectorRequest({ name: 42, config: { 'tasks.max': 2, 'errors.log.enable': true } }), {
      name: '42',
      config: { 'tasks.max': '2', 'errors.log.enable': 'true' },
      initialState: undefined,
    })
  })

  it('names what is missing or malformed', () => {
    rejects(() => createConnectorRequest([]), 'Request body must be a JSON object with "name" and "config"')
    rejects(() => createConnectorRequest(undefined), 'Request body must be a JSON object with "name" and "config"')
    rejects(() => createConnectorRequest({ config }), 'Connector name must not be empty: set "name" in the request body')
    rejects(() => createConnectorRequest({ name: '   ', config }), 'Connector name must not be empty: set "name" in the request body')
    rejects(() => createConnectorRequest({ name: ['a'], config }), 'Connector name must be a string, not array')
    rejects(() => createConnectorRequest({ name: 'sensors' }), 'Request body has no "config" object')
    rejects(() => createConnectorRequest({ name: 'sensors', config: null }), 'Request body has no "config" object')
    rejects(() => createConnectorRequest({ name: 'sensors', config: 'a=b' }), 'Connector config must be a JSON object of string values')
    rejects(() => createConnectorRequest({ name: 'sensors', config: { a: { b: 'c' } } }), 'Connector config: value of a must be a string, not object')
    rejects(() => createConnectorRequest({ name: 'sensors', config, initial_state: 'GONE' }), 'Invalid initial_state "GONE": must be one of RUNNING, PAUSED, STOPPED')
  })

  it('rejects ISO control characters in a name in the words of Kafka\'s name validator', () => {
    rejects(
      () => createConnectorRequest({ name: 'a\nb\u0085', config }),
      /^Connector configuration is invalid and contains the following 1 error\(s\):\nInvalid value a\nb\u0085 for configuration name: String may not contain control sequences but had the following ASCII chars: 10, 133\n/,
    )
    rejects(() => createConnectorRequest({ name: 'tab\there', config }), /had the following ASCII chars: 9/)
  })

  it('limits a name to 249 characters, and says so', () => {
    const longest = 'n'.repeat(REST_LIMITS.connectorNameLength)
    assert.equal(createConnectorRequest({ name: longest, config }).name, longest)
    rejects(() => createConnectorRequest({ name: `${longest}n`, config }), 'Connector name is 250 characters long; connector names are limited to 249 characters')
  })

  it('accepts a slash, as Kafka Connect does since it dropped its check', () => {
    assert.equal(createConnectorRequest({ name: 'site/sensors', config }).name, 'site/sensors')
  })
})

describe('config maps, patches and parameters', () => {
  it('a config map is a JSON object of strings', () => {
    assert.deepEqual(configMap({ a: 'b', n: 1.5 }), { a: 'b', n: '1.5' })
    rejects(() => configMap(['a']), 'Connector config must be a JSON object of string values')
    rejects(() => configMap({ a: null }), 'Connector config: value of a must be a string, not null')
  })

  it('a patch may remove a key with null', () => {
    assert.deepEqual(configPatch({ a: null, b: 'c', d: false }), { a: null, b: 'c', d: 'false' })
    rejects(() => configPatch('x'), 'Connector config patch must be a JSON object')
    rejects(() => configPatch({ a: [] }), 'Connector config patch: value of a must be a string or null')
  })

  it('boolean query parameters are true or false', () => {
    assert.equal(booleanQuery(undefined, 'onlyFailed'), false)
    assert.equal(booleanQuery('true', 'onlyFailed'), true)
    assert.equal(booleanQuery('False', 'onlyFailed'), false)
    rejects(() => booleanQuery('yes', 'onlyFailed'), 'Query parameter onlyFailed must be true or false')
    rejects(() => booleanQuery(['true', 'false'], 'onlyFailed'), 'Query parameter onlyFailed must be true or false')
  })

  it('task ids are whole numbers', () => {
    assert.equal(taskIdParam('3'), 3)
    rejects(() => taskIdParam('-1'), 'Task id -1 is not a whole number')
    rejects(() => taskIdParam('1e3'), 'Task id 1e3 is not a whole number')
    rejects(() => taskIdParam('9'.repeat(20)), `Task id ${'9'.repeat(20)} is not a whole number`)
  })
})

describe('connector names in URLs', () => {
  const { app, herder } = restAppWithFakeHerder()
  after(() => app.close())
  const put = (name: string) =>
    app.inject({ method: 'PUT', url: `/connectors/${name}/config`, payload: JSON.stringify(config), headers: { 'content-type': 'application/json' } })

  it('PUT /connectors/{name}/config checks the name it may create', async () => {
    const control = await put('a%0Ab')
    assert.equal(control.statusCode, 400)
    assert.match(control.json<{ message: string }>().message, /String may not contain control sequences but had the following ASCII chars: 10/)
    const long = await put('n'.repeat(REST_LIMITS.connectorNameLength + 1))
    assert.equal(long.statusCode, 400)
    assert.match(long.json<{ message: string }>().message, /limited to 249 characters/)
    assert.deepEqual(herder.calls, [])
  })

  it('a name with an encoded slash is one path segment', async () => {
    assert.equal((await put('site%2Fsensors')).statusCode, 201)
    assert.deepEqual(herder.connectorNames(), ['site/sensors'])
    const created = await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'a/b', config } })
    assert.equal(created.headers.location, '/connectors/a%2Fb')
    assert.equal((await app.inject({ method: 'GET', url: '/connectors/a%2Fb/status' })).statusCode, 200)
    assert.equal((await app.inject({ method: 'DELETE', url: '/connectors/site%2Fsensors' })).statusCode, 204)
  })
})

describe('PUT /connector-plugins/{plugin}/config/validate', () => {
  const { app } = restAppWithFakeHerder()
  after(() => app.close())
  const validate = (plugin: string, connectorClass: string) =>
    app.inject({ method: 'PUT', url: `/connector-plugins/${plugin}/config/validate`, payload: { 'connector.class': connectorClass } })

  it("matches the body's class to the path's plugin as Kafka Connect does, less a trailing Connector", async () => {
    assert.equal((await validate('FakeSourceConnector', 'com.example.FakeSourceConnector')).statusCode, 200)
    assert.equal((await validate('FakeSourceConnector', 'FakeSource')).statusCode, 200)
    assert.equal((await validate('FakeSource', 'com.example.FakeSourceConnector')).statusCode, 200)
    const mismatch = await validate('com.example.FakeSourceConnector', 'FakeSource')
    assert.equal(mismatch.statusCode, 400)
    assert.deepEqual(mismatch.json(), {
      error_code: 400,
      message: 'Included connector type FakeSource does not match request type com.example.FakeSourceConnector',
    })
  })
})
