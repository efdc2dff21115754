import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { resolveWorkerConfig, WorkerConfigError } from '../../../src/config/worker-config.ts'

describe('worker config', () => {
  it("defaults to Kafka Connect's topic names and partition counts, and REST on 8083", () => {
    const config = resolveWorkerConfig({})
    assert.equal(config['config.storage.topic'], 'connect-configs')
    assert.equal(config['offset.storage.topic'], 'connect-offsets')
    assert.equal(config['status.storage.topic'], 'connect-status')
    assert.equal(config['offset.storage.partitions'], 25)
    assert.equal(config['status.storage.partitions'], 5)
    assert.equal(config.restPort, 8083)
    assert.deepEqual(config['bootstrap.servers'], ['localhost:9092'])
  })

  it('takes the REST address from listeners over rest.port', () => {
    const config = resolveWorkerConfig({ listeners: 'http://127.0.0.1:18083', 'rest.port': '9999' })
    assert.equal(config.restHost, '127.0.0.1')
    assert.equal(config.restPort, 18083)
  })

  it('rejects a non-numeric rest.port, naming the key', () => {
    assert.throws(() => resolveWorkerConfig({ 'rest.port': 'eighty' }), (error: unknown) => {
      assert.ok(error instanceof WorkerConfigError)
      assert.match(error.message, /rest\.port: Invalid value eighty for configuration rest\.port/)
      return true
    })
  })

  it('produces through @platformatic/kafka unless kafka.producer.client says kafkajs, and names the key for anything else', () => {
    assert.equal(resolveWorkerConfig({})['kafka.producer.client'], 'platformatic')
    assert.equal(resolveWorkerConfig({ 'kafka.producer.client': 'kafkajs' })['kafka.producer.client'], 'kafkajs')
    assert.throws(() => resolveWorkerConfig({ 'kafka.producer.client': 'rdkafka' }), (error: unknown) => {
      assert.ok(error instanceof WorkerConfigError)
      assert.match(error.message, /kafka\.producer\.client: Invalid value rdkafka/)
      return true
    })
  })
})
