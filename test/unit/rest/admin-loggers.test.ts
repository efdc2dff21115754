import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { LoggerLevels } from '../../../src/logging/logger-levels.ts'
import { ConnectMetrics } from '../../../src/metrics/connect-metrics.ts'
import { createRestApp } from '../../../src/rest/app.ts'
import { FakeHerder, WORKER_INFO } from './fake-herder.ts'

describe('/admin/loggers, in Kafka Connect’s shapes (KIP-495, KIP-976)', () => {
  const levels = new LoggerLevels('INFO')
  levels.register('io.mqttkafka.connect.mqtt.MqttSourceConnector')
  levels.register('org.apache.kafka.connect.runtime.WorkerSourceTask')
  const clusterWide: [string, string][] = []
  const app = createRestApp(new FakeHerder(), WORKER_INFO, () => true, { loggers: { levels } })
  const clustered = createRestApp(new FakeHerder(), WORKER_INFO, () => true, {
    loggers: { levels: new LoggerLevels('INFO'), setClusterLevel: async (namespace, level) => void clusterWide.push([namespace, level]) },
  })
  after(() => Promise.all([app.close(), clustered.close()]))

  it('lists every known logger and root with its level and last_modified', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/loggers' })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), {
      'io.mqttkafka.connect.mqtt.MqttSourceConnector': { level: 'INFO', last_modified: null },
      'org.apache.kafka.connect.runtime.WorkerSourceTask': { level: 'INFO', last_modified: null },
      root: { level: 'INFO', last_modified: null },
    })
  })

  it('sets a namespace for this worker, answering with the loggers it changed, and shows the change', async () => {
    const before = Date.now()
    const response = await app.inject({ method: 'PUT', url: '/admin/loggers/io.mqttkafka.connect.mqtt', payload: { level: 'DEBUG' } })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), ['io.mqttkafka.connect.mqtt', 'io.mqttkafka.connect.mqtt.MqttSourceConnector'])
    const one = await app.inject({ method: 'GET', url: '/admin/loggers/io.mqttkafka.connect.mqtt.MqttSourceConnector' })
    assert.equal(one.statusCode, 200)
    const body = one.json<{ level: string; last_modified: number }>()
    assert.equal(body.level, 'DEBUG')
    assert.ok(body.last_modified >= before)
    assert.equal(levels.effectiveLevel('io.mqttkafka.connect.mqtt.MqttSourceConnector'), 'DEBUG')
  })

  it('answers 404 for a logger nobody created', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/loggers/com.example.Nothing' })
    assert.equal(response.statusCode, 404)
    assert.deepEqual(response.json(), { error_code: 404, message: 'Logger com.example.Nothing not found.' })
  })

  it('refuses a body without a level with 400, and an unknown level with 404, changing nothing', async () => {
    const missing = await app.inject({ method: 'PUT', url: '/admin/loggers/org.apache.kafka.connect.runtime.WorkerSourceTask', payload: { levl: 'DEBUG' } })
    assert.equal(missing.statusCode, 400)
    assert.deepEqual(missing.json(), { error_code: 400, message: "Desired 'level' parameter was not specified in request." })
    const invalid = await app.inject({ method: 'PUT', url: '/admin/loggers/org.apache.kafka.connect.runtime.WorkerSourceTask', payload: { level: 'LOUD' } })
    assert.equal(invalid.statusCode, 404)
    assert.deepEqual(invalid.json(), { error_code: 404, message: "invalid log level 'LOUD'." })
    assert.equal(levels.effectiveLevel('org.apache.kafka.connect.runtime.WorkerSourceTask'), 'INFO')
  })

  it('answers 204 to scope=cluster, handing the change to the cluster, and applies it alone when there is none', async () => {
    const response = await clustered.inject({ method: 'PUT', url: '/admin/loggers/org.apache.kafka.clients?scope=cluster', payload: { level: 'warn' } })
    assert.equal(response.statusCode, 204)
    assert.equal(response.body, '')
    assert.deepEqual(clusterWide, [['org.apache.kafka.clients', 'WARN']])
    const alone = await app.inject({ method: 'PUT', url: '/admin/loggers/org.apache.kafka.clients?scope=cluster', payload: { level: 'ERROR' } })
    assert.equal(alone.statusCode, 204)
    assert.equal(levels.effectiveLevel('org.apache.kafka.clients'), 'ERROR')
  })

  it('takes an unknown scope as worker, as Kafka Connect does', async () => {
    const response = await app.inject({ method: 'PUT', url: '/admin/loggers/root?scope=galaxy', payload: { level: 'INFO' } })
    assert.equal(response.statusCode, 200)
    assert.ok(Array.isArray(response.json()))
  })
})

describe('GET /metrics', () => {
  const metrics = new ConnectMetrics({ processMetrics: false })
  const app = createRestApp(new FakeHerder(), WORKER_INFO, () => true, { metrics })
  after(() => app.close())

  it('answers in Prometheus’s text format', async () => {
    metrics.addTask({ connector: 'sensors', task: 0 }, 'source', false).recorder.polled(7)
    const response = await app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(response.statusCode, 200)
    assert.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
    assert.match(response.body, /^kafka_connect_source_task_metrics_source_record_poll_total\{connector="sensors",task="0"\} 7$/m)
  })
})
