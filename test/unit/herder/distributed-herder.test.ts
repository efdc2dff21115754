import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AlreadyExistsError, BadRequestError, NotFoundError } from '../../../src/herder/errors.ts'
import { DistributedHerder, type TaskWorker } from '../../../src/herder/distributed-herder.ts'
import type { LogEntry } from '../../../src/kafka/internal-topics-log.ts'
import { createLogger } from '../../../src/logger.ts'
import { builtinPlugins } from '../../../app/builtin-plugins.ts'
import { ConfigStore } from '../../../src/storage/config-store.ts'
import type { LogWriter } from '../../../src/storage/log-writer.ts'
import { OffsetStore } from '../../../src/storage/offset-store.ts'
import { StatusStore } from '../../../src/storage/status-store.ts'

/** Records what the herder asks of it that changes something; a task "runs" from startTask until stopTask. */
class RecordingWorker implements TaskWorker {
  readonly workerId = 'test-worker:8083'
  generation = 0
  readonly calls: string[] = []
  private readonly running = new Map<string, Set<number>>()
  private readonly paused = new Set<string>()

  degradedTasks(): [] {
    return []
  }
  runningTaskIds(connector: string): number[] {
    return [...(this.running.get(connector) ?? [])]
  }
  startTask(_plugin: unknown, _config: unknown, connector: string, taskId: number, _taskConfig: unknown, paused: boolean): void {
    this.calls.push(`start ${connector}-${taskId}${paused ? ' paused' : ''}`)
    if (paused) this.paused.add(connector)
    this.running.set(connector, (this.running.get(connector) ?? new Set()).add(taskId))
  }
  async stopTask(connector: string, taskId: number): Promise<void> {
    if (this.running.get(connector)?.delete(taskId)) this.calls.push(`stop ${connector}-${taskId}`)
  }
  async stopTasks(connector: string): Promise<void> {
    for (const taskId of this.runningTaskIds(connector)) await this.stopTask(connector, taskId)
  }
  pauseTasks(connector: string): void {
    if (this.runningTaskIds(connector).length > 0 && !this.paused.has(connector)) this.calls.push(`pause ${connector}`)
    this.paused.add(connector)
  }
  resumeTasks(connector: string): void {
    if (this.paused.delete(connector) && this.runningTaskIds(connector).length > 0) this.calls.push(`resume ${connector}`)
  }
  async stopAll(): Promise<void> {
    for (const connector of this.running.keys()) await this.stopTasks(connector)
  }
  async settleStatusWrites(): Promise<void> {}
}

/** The internal topics in memory: every write is applied back at once, as the real log does once it read it back. */
const herderOnMemoryTopics = async () => {
  const stores: Record<string, { apply(entry: LogEntry): void }> = {}
  const log: LogWriter = {
    write: async (topic, entries) => {
      for (const { key, value } of entries) stores[topic]!.apply({ topic, key, value: value === null ? null : Buffer.from(value) })
    },
  }
  const configs = new ConfigStore('configs', log)
  const statuses = new StatusStore('status', log)
  const offsets = new OffsetStore('offsets', log)
  Object.assign(stores, { configs, status: statuses, offsets })
  const worker = new RecordingWorker()
  const herder = new DistributedHerder({ configs, statuses, offsets, worker, registry: builtinPlugins, logger: createLogger('error') })
  await herder.start()
  return { herder, worker, configs, statuses, log }
}

const mqttSource = (extra: Record<string, string> = {}): Record<string, string> => ({
  'connector.class': 'MqttSource',
  'mqtt.server.uri': 'tcp://127.0.0.1:1883',
  'mqtt.topics': 'sensors/#',
  'kafka.topic': 'sensors',
  ...extra,
})

describe('DistributedHerder', () => {
  it('creates a connector: config and task configs in the config topic, tasks started, status RUNNING', async () => {
    const { herder, worker } = await herderOnMemoryTopics()
    const info = await herder.createConnector('sensors', mqttSource({ 'tasks.max': '2' }))
    assert.deepEqual(info.tasks, [
      { connector: 'sensors', task: 0 },
      { connector: 'sensors', task: 1 },
    ])
    assert.deepEqual(worker.calls, ['start sensors-0', 'start sensors-1'])
    assert.equal(herder.connectorStatus('sensors').connector.state, 'RUNNING')
  })

  it('refuses an invalid config and a duplicate name, writing nothing', async () => {
    const { herder, worker } = await herderOnMemoryTopics()
    await assert.rejects(herder.createConnector('bad', mqttSource({ 'mqtt.qos': '3' })), BadRequestError)
    assert.deepEqual(herder.connectorNames(), [])
    await herder.createConnector('sensors', mqttSource())
    const twice = await Promise.allSettled([herder.createConnector('twin', mqttSource()), herder.createConnector('twin', mqttSource())])
    assert.deepEqual(
      twice.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).constructor : 'created')),
      ['created', AlreadyExistsError],
      'of two concurrent creates with one name, exactly one wins',
    )
    await assert.rejects(herder.createConnector('sensors', mqttSource()), AlreadyExistsError)
    assert.deepEqual(worker.calls.filter((call) => call.startsWith('start')), ['start sensors-0', 'start twin-0'])
  })

  it('follows the config topic: a change written by someone else restarts the tasks with the new config', async () => {
    const { herder, worker, log } = await herderOnMemoryTopics()
    await herder.createConnector('sensors', mqttSource())
    worker.calls.length = 0
    // Another worker (or an operator with kcat) wrote a new config: nothing went through this herder's REST methods.
    await log.write('configs', [{ key: 'connector-sensors', value: JSON.stringify({ properties: { ...mqttSource({ 'mqtt.qos': '2' }), name: 'sensors' } }) }])
    // A restart is queued behind the reconciliation that write caused, so once it is done, both are.
    await herder.restartTask('sensors', 0)
    assert.deepEqual(worker.calls, ['stop sensors-0', 'start sensors-0', 'stop sensors-0', 'start sensors-0'])
    assert.equal(herder.taskConfigs('sensors')[0]?.config['mqtt.qos'], '2')
  })

  it('pauses, resumes and stops through target states, and forgets a deleted connector', async () => {
    const { herder, worker } = await herderOnMemoryTopics()
    await herder.createConnector('sensors', mqttSource())
    await herder.pauseConnector('sensors')
    assert.equal(herder.connectorStatus('sensors').connector.state, 'PAUSED')
    await herder.resumeConnector('sensors')
    await herder.stopConnector('sensors')
    assert.equal(herder.connectorStatus('sensors').connector.state, 'STOPPED')
    assert.deepEqual(herder.taskConfigs('sensors'), [], 'a stopped connector has no task configs, as in Kafka Connect')
    await herder.deleteConnector('sensors')
    assert.throws(() => herder.connectorStatus('sensors'), NotFoundError)
    assert.deepEqual(worker.calls, ['start sensors-0', 'pause sensors', 'resume sensors', 'stop sensors-0'])
  })

  it('keeps the tasks running when the same config is written again', async () => {
    const { herder, worker } = await herderOnMemoryTopics()
    await herder.createConnector('sensors', mqttSource())
    const { created } = await herder.putConnectorConfig('sensors', mqttSource())
    assert.equal(created, false)
    assert.deepEqual(worker.calls, ['start sensors-0'])
    await herder.patchConnectorConfig('sensors', { 'mqtt.qos': '0' })
    assert.deepEqual(worker.calls, ['start sensors-0', 'stop sensors-0', 'start sensors-0'])
  })

  it('leaves what it ran UNASSIGNED on a graceful stop, tasks included, but a FAILED task keeps its trace', async () => {
    const { herder, statuses } = await herderOnMemoryTopics()
    await herder.createConnector('sensors', mqttSource({ 'tasks.max': '2' }))
    await statuses.putTask('sensors', 0, { state: 'RUNNING', trace: null, workerId: 'test-worker:8083', generation: 0 })
    await statuses.putTask('sensors', 1, { state: 'FAILED', trace: 'boom', workerId: 'test-worker:8083', generation: 0 })
    await herder.stop()
    const status = herder.connectorStatus('sensors')
    assert.equal(status.connector.state, 'UNASSIGNED')
    assert.deepEqual(status.tasks.map(({ state, trace }) => [state, trace]), [
      ['UNASSIGNED', undefined],
      ['FAILED', 'boom'],
    ])
  })

  it("answers an unknown connector or task in Kafka Connect's words, which differ by request", async () => {
    const { herder } = await herderOnMemoryTopics()
    await herder.createConnector('sensors', mqttSource())
    const message = async (request: () => unknown): Promise<string> => {
      try {
        await request()
      } catch (error) {
        assert.ok(error instanceof NotFoundError)
        return error.message
      }
      return 'no error'
    }
    assert.equal(await message(() => herder.connectorInfo('ghost')), 'Connector ghost not found')
    assert.equal(await message(() => herder.pauseConnector('ghost')), 'Unknown connector ghost')
    assert.equal(await message(() => herder.restartConnector('ghost', { includeTasks: false, onlyFailed: false })), 'Unknown connector: ghost')
    assert.equal(await message(() => herder.restartTask('sensors', 7)), 'Unknown task: sensors-7')
    assert.equal(await message(() => herder.connectorStatus('ghost')), 'No status found for connector ghost')
    assert.equal(await message(() => herder.taskStatus('sensors', 7)), 'No status found for task sensors-7')
  })
})
