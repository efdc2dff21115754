import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { REST_LIMITS } from '../../../src/rest/limits.ts'
import { restAppWithFakeHerder } from './fake-herder.ts'

const { app, herder } = restAppWithFakeHerder()
after(() => app.close())

/** Asserts Kafka Connect's error body, {"error_code": status, "message": "..."}, and returns its message. */
const expectError = (response: LightMyRequestResponse, status: number, message: RegExp): void => {
  assert.equal(response.statusCode, status, response.body)
  assert.match(String(response.headers['content-type']), /^application\/json/)
  const body = JSON.parse(response.body) as unknown
  assert.deepEqual(Object.keys(body as object).sort(), ['error_code', 'message'])
  const { error_code: code, message: text } = body as { error_code: unknown; message: unknown }
  assert.equal(code, status)
  assert.equal(typeof text, 'string')
  assert.match(text as string, message)
}

const json = (method: InjectOptions['method'], url: string, payload: string): InjectOptions => ({
  method,
  url,
  payload,
  headers: { 'content-type': 'application/json' },
})

describe('REST errors, each in Kafka Connect\'s {"error_code", "message"} shape', () => {
  it('an unknown path is a 404 in Jersey\'s words', async () => {
    expectError(await app.inject({ method: 'GET', url: '/no/such/path' }), 404, /^HTTP 404 Not Found$/)
  })

  it('a known path asked with a method it does not serve is a 405 naming the ones it does', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/connectors' })
    expectError(response, 405, /^HTTP 405 Method Not Allowed$/)
    assert.equal(response.headers.allow, 'GET, HEAD, POST')
    expectError(await app.inject({ method: 'POST', url: '/connectors/sensors/config' }), 405, /Method Not Allowed/)
    expectError(await app.inject({ method: 'GET', url: '/connectors/sensors/pause/' }), 405, /Method Not Allowed/)
    expectError(await app.inject({ method: 'PATCH', url: '/' }), 405, /Method Not Allowed/)
  })

  it('an unknown connector is a 404 naming it', async () => {
    expectError(await app.inject({ method: 'GET', url: '/connectors/ghost' }), 404, /^Connector ghost not found$/)
  })

  it('bad percent-encoding in the URL is a 400', async () => {
    expectError(await app.inject({ method: 'GET', url: '/connectors/a%ZZb' }), 400, /^HTTP 400 Bad Request: the URL is not validly percent-encoded$/)
    expectError(await app.inject({ method: 'GET', url: '/connectors/%E0%A4%A' }), 400, /percent-encoded/)
  })

  it('a URL longer than 8 KiB is a 414', async () => {
    const long = 'a'.repeat(REST_LIMITS.urlLength)
    expectError(await app.inject({ method: 'GET', url: `/connectors/${long}` }), 414, /^HTTP 414 URI Too Long: .*8192/)
    expectError(await app.inject({ method: 'GET', url: `/connectors?expand=${long}` }), 414, /URI Too Long/)
  })

  it('a body larger than 16 MiB is a 413, and one just below is parsed', async () => {
    const padding = 'x'.repeat(REST_LIMITS.bodyBytes)
    expectError(await app.inject(json('PUT', '/connectors/big/config', `{"a":"${padding}"}`)), 413, /^HTTP 413 Payload Too Large: .*16777216 bytes/)
    const fits = await app.inject(json('PUT', '/connectors/big/config', `{"a":"${padding.slice(0, REST_LIMITS.bodyBytes - 100)}"}`))
    assert.equal(fits.statusCode, 201)
    herder.connectors.delete('big')
  })

  it('a body that is not application/json is a 415', async () => {
    const callsBefore = herder.calls.length
    const asText = await app.inject({ method: 'POST', url: '/connectors', payload: '{"name":"x","config":{}}', headers: { 'content-type': 'text/plain' } })
    expectError(asText, 415, /^HTTP 415 Unsupported Media Type/)
    const asForm = await app.inject({ method: 'PUT', url: '/connectors/x/config', payload: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expectError(asForm, 415, /Unsupported Media Type/)
    assert.equal(herder.calls.length, callsBefore, 'the herder was never asked')
  })

  it('a JSON body with a charset parameter is still JSON', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/connector-plugins/FakeSourceConnector/config/validate',
      payload: '{"fake.topic":"t"}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
    assert.equal(response.statusCode, 200, response.body)
  })

  it('malformed JSON is a 400 that says so', async () => {
    expectError(await app.inject(json('POST', '/connectors', '{"name": "broken", config: }')), 400, /^Request body is not valid JSON: /)
    expectError(await app.inject(json('POST', '/connectors', '{"name": "x"')), 400, /not valid JSON/)
  })

  it('JSON nested deeper than 64 levels is a 400 before anything recursive sees it', async () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`
    expectError(await app.inject(json('POST', '/connectors', deep(65))), 400, /^Request body is nested deeper than 64 levels/)
    expectError(await app.inject(json('POST', '/connectors', deep(100_000))), 400, /nested deeper than 64 levels/)
    const objects = `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`
    expectError(await app.inject(json('PUT', '/connectors/x/config', objects)), 400, /nested deeper/)
    // Brackets inside strings are text, not nesting.
    const brackets = await app.inject(json('PUT', '/connector-plugins/FakeSourceConnector/config/validate', JSON.stringify({ a: '['.repeat(1000), b: '\\"[[[' })))
    assert.equal(brackets.statusCode, 200, brackets.body)
    expectError(await app.inject(json('POST', '/connectors', deep(64))), 400, /^Request body must be a JSON object/)
  })

  it('an empty JSON body is no body, as in Kafka Connect', async () => {
    expectError(await app.inject(json('POST', '/connectors', '')), 400, /^Request body must be a JSON object with "name" and "config"$/)
  })

  it('a bad query parameter or task id is a 400 naming it', async () => {
    await app.inject(json('POST', '/connectors', JSON.stringify({ name: 'sensors', config: { 'connector.class': 'FakeSourceConnector' } })))
    expectError(await app.inject({ method: 'POST', url: '/connectors/sensors/restart?includeTasks=maybe' }), 400, /^Query parameter includeTasks must be true or false$/)
    expectError(await app.inject({ method: 'GET', url: '/connectors/sensors/tasks/x/status' }), 400, /^Task id x is not a whole number$/)
    expectError(await app.inject({ method: 'GET', url: '/connectors/sensors/tasks/1/status' }), 404, /not found/)
    const upperCase = await app.inject({ method: 'POST', url: '/connectors/sensors/restart?includeTasks=TRUE' })
    assert.equal(upperCase.statusCode, 202)
    herder.connectors.delete('sensors')
  })
})
