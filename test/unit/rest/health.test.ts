import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { createRestApp } from '../../../src/rest/app.ts'
import { FakeHerder, WORKER_INFO } from './fake-herder.ts'

describe('GET /health', () => {
  const herder = new FakeHerder()
  let ready = false
  const app = createRestApp(herder, WORKER_INFO, () => ready)
  after(() => app.close())

  it('answers 503 "starting" until the stored connectors have resumed, as Kafka Connect does', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' })
    assert.equal(response.statusCode, 503)
    assert.deepEqual(response.json(), { status: 'starting', message: 'Worker is still starting up.' })
  })

  it('answers 200 "healthy" in Kafka Connect\'s words once started', async () => {
    ready = true
    const response = await app.inject({ method: 'GET', url: '/health' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' })
  })

  it('stays 200 but says "degraded", listing each task and what it cannot reach, during an outage', async () => {
    const outage = { connector: 'sensors', task: 0, area: 'external', reason: 'Disconnected from MQTT broker tcp://b:1883', since: '2026-12-01T00:00:00.000Z' } as const
    herder.degraded.push(outage)
    const response = await app.inject({ method: 'GET', url: '/health' })
    assert.equal(response.statusCode, 200, 'a broker outage is no reason for a liveness probe to restart the worker')
    const body = response.json<{ status: string; message: string; degraded: unknown[] }>()
    assert.equal(body.status, 'degraded')
    assert.deepEqual(body.degraded, [outage])
  })
})
