import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { restCall } from '../harness/rest-client.ts'
import { useBridge } from '../harness/bridge.ts'
import { waitFor } from '../../scripts/infra/wait.ts'

interface ErrorBody {
  error_code: number
  message: string
}
interface Status {
  name: string
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string }[]
  type: string
}

describe('REST API, a drop-in for Kafka Connect', () => {
  const bridge = useBridge()
  const call = <T = unknown>(method: string, path: string, body?: unknown) => restCall<T>(bridge.worker.url, method, path, body)
  const sourceConfig = (overrides: Record<string, string> = {}) => ({
    'connector.class': 'io.confluent.connect.mqtt.MqttSourceConnector',
    'mqtt.server.uri': `tcp://127.0.0.1:${bridge.mosquitto.port}`,
    'mqtt.topics': 'rest/#',
    'kafka.topic': 'rest-api-test',
    ...overrides,
  })
  const stateOf = async (name: string) => (await call<Status>('GET', `/connectors/${name}/status`)).body
  const untilState = (name: string, connectorState: string, taskState?: string) =>
    waitFor(
      async () => {
        const status = await stateOf(name)
        return status.connector.state === connectorState && (taskState === undefined || status.tasks[0]?.state === taskState)
      },
      { timeoutMs: 20_000 },
    )

  it('GET / reports the version and the Kafka cluster id', async () => {
    const { status, body } = await call<{ version: string; commit: string; kafka_cluster_id: string }>('GET', '/')
    assert.equal(status, 200)
    assert.match(body.version, /^\d+\.\d+\.\d+/)
    assert.ok(body.kafka_cluster_id.length > 0)
    assert.equal(typeof body.commit, 'string')
  })

  it('GET /health says the worker is healthy', async () => {
    const { status, body } = await call<{ status: string }>('GET', '/health')
    assert.equal(status, 200)
    assert.equal(body.status, 'healthy')
  })

  it('GET /connector-plugins lists the MQTT source, and every plugin kind without connectorsOnly', async () => {
    const connectorsOnly = await call<{ class: string; type: string; version: string }[]>('GET', '/connector-plugins')
    assert.equal(connectorsOnly.status, 200)
    assert.ok(connectorsOnly.body.some((plugin) => plugin.type === 'source' && plugin.class.endsWith('MqttSourceConnector')))
    assert.ok(connectorsOnly.body.every((plugin) => plugin.type === 'source' || plugin.type === 'sink'))
    const all = await call<{ class: string; type: string }[]>('GET', '/connector-plugins?connectorsOnly=false')
    const types = new Set(all.body.map(({ type }) => type))
    for (const type of ['source', 'converter', 'header_converter', 'transformation', 'predicate']) assert.ok(types.has(type), `lists ${type} plugins`)
  })

  it('GET /connector-plugins/{plugin}/config describes every key in ConfigKeyInfo shape', async () => {
    const { status, body } = await call<{ name: string; type: string; required: boolean; importance: string; documentation: string }[]>(
      'GET',
      '/connector-plugins/MqttSourceConnector/config',
    )
    assert.equal(status, 200)
    const qos = body.find(({ name }) => name === 'mqtt.qos')
    assert.ok(qos)
    assert.equal(qos.type, 'INT')
    assert.equal(qos.required, false)
    assert.equal(qos.importance, 'HIGH')
    assert.ok(body.every(({ documentation }) => documentation.length > 0), 'every key is documented')
    assert.equal((await call<ErrorBody>('GET', '/connector-plugins/NoSuchConnector/config')).status, 404)
  })

  it('PUT /connector-plugins/{plugin}/config/validate answers ConfigInfos naming each bad key', async () => {
    const { status, body } = await call<{ name: string; error_count: number; groups: string[]; configs: { value: { name: string; errors: string[] } }[] }>(
      'PUT',
      '/connector-plugins/MqttSourceConnector/config/validate',
      sourceConfig({ 'mqtt.qos': '3', name: 'validate-me', 'kafka.topic': '' }),
    )
    assert.equal(status, 200)
    assert.equal(body.error_count, 2)
    assert.ok(body.groups.includes('Common'))
    const errorsOf = (key: string) => body.configs.find(({ value }) => value.name === key)?.value.errors ?? []
    assert.match(errorsOf('mqtt.qos')[0] ?? '', /Invalid value 3 for configuration mqtt\.qos: must be 0, 1 or 2/)
    assert.match(errorsOf('kafka.topic')[0] ?? '', /kafka\.topic/)
    assert.deepEqual(errorsOf('mqtt.topics'), [])
  })

  it('creates, reads, reconfigures, pauses, resumes, stops, restarts and deletes a connector', async () => {
    const created = await call<{ name: string; config: Record<string, string>; tasks: unknown[]; type: string }>('POST', '/connectors', {
      name: 'lifecycle',
      config: sourceConfig(),
    })
    assert.equal(created.status, 201)
    assert.equal(created.headers.get('location'), '/connectors/lifecycle')
    assert.equal(created.body.name, 'lifecycle')
    assert.equal(created.body.config.name, 'lifecycle')
    assert.equal(created.body.type, 'source')
    assert.deepEqual(created.body.tasks, [{ connector: 'lifecycle', task: 0 }])
    assert.ok(await untilState('lifecycle', 'RUNNING', 'RUNNING'))

    assert.deepEqual((await call('GET', '/connectors')).body, ['lifecycle'])
    const expanded = await call<Record<string, { status?: Status; info?: { name: string } }>>('GET', '/connectors?expand=status&expand=info')
    assert.equal(expanded.body.lifecycle?.status?.connector.state, 'RUNNING')
    assert.equal(expanded.body.lifecycle?.info?.name, 'lifecycle')
    assert.equal((await call<{ name: string }>('GET', '/connectors/lifecycle')).body.name, 'lifecycle')
    assert.equal((await call<Record<string, string>>('GET', '/connectors/lifecycle/config')).body['mqtt.topics'], 'rest/#')
    const tasks = await call<{ id: { connector: string; task: number }; config: Record<string, string> }[]>('GET', '/connectors/lifecycle/tasks')
    assert.deepEqual(tasks.body[0]?.id, { connector: 'lifecycle', task: 0 })
    const taskStatus = await call<{ id: number; state: string; worker_id: string }>('GET', '/connectors/lifecycle/tasks/0/status')
    assert.equal(taskStatus.body.id, 0)
    assert.equal(taskStatus.body.state, 'RUNNING')
    assert.equal((await call('GET', '/connectors/lifecycle/tasks/7/status')).status, 404)

    const updated = await call<{ config: Record<string, string> }>('PUT', '/connectors/lifecycle/config', sourceConfig({ 'mqtt.topics': 'rest/a/#' }))
    assert.equal(updated.status, 200)
    assert.equal(updated.body.config['mqtt.topics'], 'rest/a/#')
    const patched = await call<{ config: Record<string, string> }>('PATCH', '/connectors/lifecycle/config', { 'mqtt.topics': 'rest/b/#', 'mqtt.username': null })
    assert.equal(patched.status, 200)
    assert.equal(patched.body.config['mqtt.topics'], 'rest/b/#')
    assert.equal(patched.body.config['connector.class'], 'io.confluent.connect.mqtt.MqttSourceConnector')

    assert.equal((await call('PUT', '/connectors/lifecycle/pause')).status, 202)
    assert.ok(await untilState('lifecycle', 'PAUSED', 'PAUSED'))
    assert.equal((await call('PUT', '/connectors/lifecycle/resume')).status, 202)
    assert.ok(await untilState('lifecycle', 'RUNNING', 'RUNNING'))

    assert.equal((await call('POST', '/connectors/lifecycle/restart')).status, 204)
    const restarted = await call<Status>('POST', '/connectors/lifecycle/restart?includeTasks=true&onlyFailed=false')
    assert.equal(restarted.status, 202)
    assert.equal(restarted.body.tasks[0]?.state, 'RESTARTING')
    assert.ok(await untilState('lifecycle', 'RUNNING', 'RUNNING'))
    assert.equal((await call('POST', '/connectors/lifecycle/tasks/0/restart')).status, 204)
    assert.ok(await untilState('lifecycle', 'RUNNING', 'RUNNING'))

    assert.equal((await call('PUT', '/connectors/lifecycle/stop')).status, 204)
    assert.ok(await untilState('lifecycle', 'STOPPED'))
    assert.deepEqual((await stateOf('lifecycle')).tasks, [])
    assert.equal((await call('PUT', '/connectors/lifecycle/resume')).status, 202)
    assert.ok(await untilState('lifecycle', 'RUNNING', 'RUNNING'))

    const offsets = await call<{ offsets: unknown[] }>('GET', '/connectors/lifecycle/offsets')
    assert.equal(offsets.status, 200)
    assert.ok(Array.isArray(offsets.body.offsets))

    assert.equal((await call('DELETE', '/connectors/lifecycle')).status, 204)
    assert.deepEqual((await call('GET', '/connectors')).body, [])
    assert.equal((await call<ErrorBody>('GET', '/connectors/lifecycle/status')).status, 404)
  })

  it('PUT /connectors/{name}/config creates with 201 and updates with 200', async () => {
    const first = await call('PUT', '/connectors/put-created/config', sourceConfig())
    assert.equal(first.status, 201)
    const second = await call('PUT', '/connectors/put-created/config', sourceConfig({ 'mqtt.qos': '0' }))
    assert.equal(second.status, 200)
    assert.equal((await call('DELETE', '/connectors/put-created')).status, 204)
  })

  it('POST /connectors with initial_state PAUSED creates a connector that never runs until resumed', async () => {
    const created = await call('POST', '/connectors', { name: 'born-paused', config: sourceConfig(), initial_state: 'PAUSED' })
    assert.equal(created.status, 201)
    assert.ok(await untilState('born-paused', 'PAUSED', 'PAUSED'))
    assert.equal((await call('DELETE', '/connectors/born-paused')).status, 204)
  })

  describe('errors, each a {"error_code","message"} that names the problem and changes nothing', () => {
    const expectError = async (method: string, path: string, body: unknown, status: number, message: RegExp) => {
      const before = (await call('GET', '/connectors')).body
      const response = await call<ErrorBody>(method, path, body)
      assert.equal(response.status, status, JSON.stringify(response.body))
      assert.equal(response.body.error_code, status)
      assert.match(response.body.message, message)
      assert.deepEqual((await call('GET', '/connectors')).body, before, 'nothing changed')
    }

    it('a body that is not JSON is a 400', () => expectError('POST', '/connectors', '{"name": "broken", config: }', 400, /not valid JSON/))

    it('an unknown connector is a 404', async () => {
      await expectError('GET', '/connectors/ghost', undefined, 404, /Connector ghost not found/)
      await expectError('DELETE', '/connectors/ghost', undefined, 404, /Connector ghost not found/)
      // Kafka Connect's words, which differ by endpoint.
      await expectError('PUT', '/connectors/ghost/pause', undefined, 404, /^Unknown connector ghost$/)
      await expectError('PUT', '/connectors/ghost/stop', undefined, 404, /^Unknown connector ghost$/)
      await expectError('POST', '/connectors/ghost/restart', undefined, 404, /^Unknown connector: ghost$/)
      await expectError('POST', '/connectors/ghost/tasks/0/restart', undefined, 404, /^Unknown connector: ghost$/)
      await expectError('GET', '/connectors/ghost/status', undefined, 404, /^No status found for connector ghost$/)
      await expectError('GET', '/connectors/ghost/tasks/0/status', undefined, 404, /^No status found for task ghost-0$/)
      await expectError('GET', '/connectors/ghost/offsets', undefined, 404, /Connector ghost not found/)
    })

    it('creating a connector twice is a 409', async () => {
      assert.equal((await call('POST', '/connectors', { name: 'twice', config: sourceConfig() })).status, 201)
      await expectError('POST', '/connectors', { name: 'twice', config: sourceConfig() }, 409, /Connector twice already exists/)
      assert.equal((await call('DELETE', '/connectors/twice')).status, 204)
    })

    it('a config without connector.class is a 400', () => {
      const { 'connector.class': _omitted, ...config } = sourceConfig()
      return expectError('POST', '/connectors', { name: 'classless', config }, 400, /contains no connector type/)
    })

    it('mqtt.qos = "3" is a 400 naming mqtt.qos', () =>
      expectError('POST', '/connectors', { name: 'bad-qos', config: sourceConfig({ 'mqtt.qos': '3' }) }, 400, /Invalid value 3 for configuration mqtt\.qos: must be 0, 1 or 2/))

    it('an unknown converter class is a 400 naming value.converter', () =>
      expectError(
        'POST',
        '/connectors',
        { name: 'bad-converter', config: sourceConfig({ 'value.converter': 'com.example.NoSuchConverter' }) },
        400,
        /value\.converter: Class com\.example\.NoSuchConverter could not be found/,
      ))

    it('a missing required key is a 400 naming it', () => {
      const { 'kafka.topic': _omitted, ...config } = sourceConfig()
      return expectError('POST', '/connectors', { name: 'no-topic', config }, 400, /Missing required configuration "kafka\.topic"/)
    })

    it('an unknown connector class is a 400', () =>
      expectError('POST', '/connectors', { name: 'unknown-class', config: sourceConfig({ 'connector.class': 'com.example.Nope' }) }, 400, /Failed to find any class that implements Connector and which name matches com\.example\.Nope/))

    it('a name in the config that differs from the URL is a 400', () =>
      expectError('PUT', '/connectors/one/config', sourceConfig({ name: 'two' }), 400, /doesn't match connector name in the URL/))

    it('a request without a name is a 400', () => expectError('POST', '/connectors', { config: sourceConfig() }, 400, /name must not be empty/))

    it('an unknown path is a 404 in the same shape', () => expectError('GET', '/no/such/path', undefined, 404, /Not Found/))
  })
})
