import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { DEFAULT_HERDER_TIMEOUT_MS } from '../../../src/rest/limits.ts'
import { restAppWithFakeHerder } from './fake-herder.ts'

describe('a request that waits on the herder too long', () => {
  const { app, herder } = restAppWithFakeHerder({ herderTimeoutMs: 50 })
  after(() => {
    herder.release()
    return app.close()
  })

  it("is Kafka Connect's 500 Request timed out, while every other request is still answered", async () => {
    herder.connectors.set('sensors', { config: { 'connector.class': 'FakeSourceConnector' }, state: 'STARTED' })
    herder.stall()
    const stalled = app.inject({ method: 'PUT', url: '/connectors/sensors/pause' })
    await herder.whenCalled('pauseConnector sensors')

    const [root, status, list] = await Promise.all([
      app.inject({ method: 'GET', url: '/' }),
      app.inject({ method: 'GET', url: '/connectors/sensors/status' }),
      app.inject({ method: 'GET', url: '/connectors?expand=status' }),
    ])
    assert.equal(root.statusCode, 200)
    assert.equal(status.statusCode, 200)
    assert.equal(list.statusCode, 200)

    const response = await stalled
    assert.equal(response.statusCode, 500)
    assert.deepEqual(response.json(), { error_code: 500, message: 'Request timed out' })
  })

  it('bounds every write the routes await', async () => {
    herder.stall()
    const writes = [
      { method: 'POST', url: '/connectors', payload: { name: 'new', config: { 'connector.class': 'FakeSourceConnector' } } },
      { method: 'PUT', url: '/connectors/sensors/config', payload: { 'connector.class': 'FakeSourceConnector' } },
      { method: 'PATCH', url: '/connectors/sensors/config', payload: { a: 'b' } },
      { method: 'DELETE', url: '/connectors/sensors' },
      { method: 'PUT', url: '/connectors/sensors/resume' },
      { method: 'PUT', url: '/connectors/sensors/stop' },
      { method: 'POST', url: '/connectors/sensors/restart' },
      { method: 'POST', url: '/connectors/sensors/tasks/0/restart' },
      { method: 'PUT', url: '/connector-plugins/FakeSourceConnector/config/validate', payload: { 'connector.class': 'FakeSourceConnector' } },
    ] as const
    const responses = await Promise.all(writes.map((write) => app.inject(write)))
    for (const [index, response] of responses.entries()) {
      assert.equal(response.statusCode, 500, `${writes[index]?.method} ${writes[index]?.url}`)
      assert.deepEqual(response.json(), { error_code: 500, message: 'Request timed out' })
    }
  })

  it('lets a herder that answers in time answer', async () => {
    herder.release()
    const response = await app.inject({ method: 'PUT', url: '/connectors/sensors/resume' })
    assert.equal(response.statusCode, 202)
  })

  it("defaults to Kafka Connect's 90 s", () => {
    assert.equal(DEFAULT_HERDER_TIMEOUT_MS, 90_000)
  })
})
