import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { waitFor } from '../../scripts/infra/wait.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { publishSequence } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { jaasConfig, saslWorkerSettings, startSecureKafka, workerClientSettings, type KafkaUser, type SecureKafka } from '../harness/secure-kafka.ts'
import { createWorkerProcess, type WorkerProcess } from '../harness/worker.ts'

interface Status {
  tasks: { id: number; state: string; trace?: string }[]
}

describe('secured Kafka connections: a worker whose only way to Kafka is a SASL_SSL or mutual-TLS listener', () => {
  let kafka: SecureKafka
  let mosquitto: TestMosquitto
  const workers: WorkerProcess[] = []
  /** Everything a worker that could not start printed. */
  const failedStarts: string[] = []

  before(async () => {
    kafka = await startSecureKafka()
    // The test's own readers and writers (readTopic) use the broker's PLAINTEXT listener; the workers never do.
    process.env.KAFKA_BOOTSTRAP_SERVERS = kafka.plaintextBootstrap
    mosquitto = await startTestMosquitto()
  })

  after(async () => {
    await Promise.all(workers.map((worker) => worker.stop()))
    await mosquitto?.close()
    await kafka?.close()
  })

  const saslSettings = (mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', user: KafkaUser, extra: Record<string, string> = {}) =>
    saslWorkerSettings(kafka, mechanism, user, extra)

  const startWorker = async (settings: Record<string, string>): Promise<WorkerProcess> => {
    const worker = await createWorkerProcess(settings)
    workers.push(worker)
    return worker
  }

  /** The output of a worker that must exit at start; fails the test if it started. */
  const failedStart = async (settings: Record<string, string>): Promise<string> => {
    try {
      workers.push(await createWorkerProcess(settings))
    } catch (error) {
      const output = (error as Error).message
      failedStarts.push(output)
      return output
    }
    assert.fail('the worker started')
  }

  const taskState = async (worker: WorkerProcess, name: string) => (await restCall<Status>(worker.url, 'GET', `/connectors/${name}/status`)).body.tasks?.[0]
  const untilRunning = async (worker: WorkerProcess, name: string): Promise<void> => {
    const running = await waitFor(async () => (await taskState(worker, name))?.state === 'RUNNING', { timeoutMs: 30_000 })
    assert.ok(running, JSON.stringify(await taskState(worker, name)))
  }
  const create = async (worker: WorkerProcess, name: string, config: Record<string, string>) =>
    restCall<{ message?: string }>(worker.url, 'POST', '/connectors', { name, config })
  const mqttSource = (id: string, topic: string) => ({
    'connector.class': 'MqttSource',
    'mqtt.server.uri': mosquitto.url,
    'mqtt.topics': `in-${id}/#`,
    'mqtt.qos': '1',
    'kafka.topic': topic,
  })

  describe('SCRAM-SHA-512 over SASL_SSL (the 10,000-message run and dead letters: test/slow/kafka-security-pipeline.test.ts)', () => {
    let worker: WorkerProcess
    before(async () => {
      worker = await startWorker(saslSettings('SCRAM-SHA-512', kafka.users.scram512))
    })

    it('accepts producer.override.acks=1 under the default policy, All, and the task runs with it', async () => {
      const id = randomUUID().slice(0, 8)
      const created = await create(worker, `acks-${id}`, { ...mqttSource(id, `acks-${id}`), 'producer.override.acks': '1', 'producer.override.compression.type': 'gzip' })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      await untilRunning(worker, `acks-${id}`)
      await publishSequence(mosquitto.url, (n) => `in-${id}/x${n}`, { count: 3, qos: 1 })
      assert.equal((await readTopic(`acks-${id}`, (records) => records.length >= 3)).length, 3)
    })

    it('runs a connector as another principal through producer.override.sasl.*', async () => {
      const id = randomUUID().slice(0, 8)
      const created = await create(worker, `principal-${id}`, {
        ...mqttSource(id, `principal-${id}`),
        'producer.override.sasl.mechanism': 'PLAIN',
        'producer.override.sasl.jaas.config': jaasConfig('PLAIN', kafka.users.plain),
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      await untilRunning(worker, `principal-${id}`)
      await publishSequence(mosquitto.url, (n) => `in-${id}/x${n}`, { count: 3, qos: 1 })
      assert.equal((await readTopic(`principal-${id}`, (records) => records.length >= 3)).length, 3)
    })

    it('fails only the task whose overridden credentials Kafka refuses, its trace naming the key and not the password', async () => {
      const id = randomUUID().slice(0, 8)
      const wrong = `wrong-${randomUUID()}`
      const created = await create(worker, `refused-${id}`, {
        ...mqttSource(id, `refused-${id}`),
        'producer.override.sasl.jaas.config': jaasConfig('SCRAM-SHA-512', { username: kafka.users.scram512.username, password: wrong }),
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      assert.ok(await waitFor(async () => (await taskState(worker, `refused-${id}`))?.state === 'FAILED', { timeoutMs: 30_000 }))
      const trace = (await taskState(worker, `refused-${id}`))?.trace ?? ''
      assert.match(trace, /producer\.override\.sasl\.jaas\.config: Kafka refused the credentials/)
      assert.ok(!trace.includes(wrong) && !worker.log().includes(wrong), 'the wrong password is neither in the trace nor in the log')
    })
  })

  /** Creates a source connector and sees five messages through it: the worker's producers reach Kafka too. */
  const runsASource = async (worker: WorkerProcess): Promise<void> => {
    const id = randomUUID().slice(0, 8)
    assert.equal((await create(worker, `source-${id}`, mqttSource(id, `runs-${id}`))).status, 201)
    await untilRunning(worker, `source-${id}`)
    await publishSequence(mosquitto.url, (n) => `in-${id}/x${n}`, { count: 5, qos: 1 })
    assert.equal((await readTopic(`runs-${id}`, (records) => records.length >= 5)).length, 5)
  }

  it('starts with SCRAM-SHA-256 and runs a connector', async () => {
    await runsASource(await startWorker(saslSettings('SCRAM-SHA-256', kafka.users.scram256)))
  })

  it('starts over mutual TLS with a PEM key store and runs a connector', async () => {
    const worker = await startWorker(
      workerClientSettings(kafka.mutualTlsBootstrap, {
        'security.protocol': 'SSL',
        'ssl.truststore.type': 'PEM',
        'ssl.truststore.location': kafka.caFile,
        'ssl.keystore.type': 'PEM',
        'ssl.keystore.location': kafka.clientKeystoreFile,
      }),
    )
    const id = randomUUID().slice(0, 8)
    assert.equal((await create(worker, `source-${id}`, mqttSource(id, `mtls-${id}`))).status, 201)
    await untilRunning(worker, `source-${id}`)
  })

  it('starts with PLAIN and runs a connector; under the None policy it refuses producer.override.acks with a 400 naming the key, on create and on validate', async () => {
    const worker = await startWorker({ ...saslSettings('PLAIN', kafka.users.plain), 'connector.client.config.override.policy': 'None' })
    await runsASource(worker)
    const id = randomUUID().slice(0, 8)
    const config = { ...mqttSource(id, `none-${id}`), 'producer.override.acks': '1' }
    const created = await create(worker, `none-${id}`, config)
    assert.equal(created.status, 400)
    assert.match(created.body.message ?? '', /The 'None' policy does not allow 'acks' to be overridden in the connector configuration/)
    const validated = await restCall<{ error_count: number; configs: { value: { name: string; errors: string[] } }[] }>(
      worker.url,
      'PUT',
      '/connector-plugins/MqttSource/config/validate',
      { ...config, name: `none-${id}` },
    )
    assert.equal(validated.status, 200)
    assert.equal(validated.body.error_count, 1)
    const entry = validated.body.configs.find(({ value }) => value.name === 'producer.override.acks')
    assert.match(entry?.value.errors[0] ?? '', /'None' policy/)
    assert.equal((await restCall(worker.url, 'GET', `/connectors/none-${id}`)).status, 404, 'nothing was created')
  })

  it('exits at start with a message naming sasl.jaas.config when Kafka refuses the password, and the password is not in it', async () => {
    const wrong = `wrong-${randomUUID()}`
    const output = await failedStart(saslSettings('SCRAM-SHA-512', { username: kafka.users.scram512.username, password: wrong }))
    assert.match(output, /sasl\.jaas\.config: Kafka refused the credentials/)
    assert.ok(!output.includes(wrong), 'the wrong password is not printed')
    assert.ok(!output.includes(kafka.users.scram512.username + '" password'), 'the JAAS text is not printed')
  })

  it('exits at start with a readable TLS error naming the truststore when it holds the wrong CA', async () => {
    const settings = saslSettings('SCRAM-SHA-512', kafka.users.scram512, { 'ssl.truststore.location': kafka.otherCaFile })
    const output = await failedStart(settings)
    assert.match(output, /ssl\.truststore\.location: TLS handshake with Kafka failed, the broker's certificate is not trusted/)
  })

  it('refuses a JKS truststore at start, saying how to convert it to PEM', async () => {
    const output = await failedStart(saslSettings('SCRAM-SHA-512', kafka.users.scram512, { 'ssl.truststore.type': 'JKS' }))
    assert.match(output, /ssl\.truststore\.type: Invalid value JKS .*keytool -importkeystore/)
  })

  it("leaves no password of the broker's users in any worker's log", () => {
    assert.ok(workers.length >= 4)
    const logs = [...workers.map((worker) => worker.log()), ...failedStarts]
    for (const password of kafka.secrets) {
      for (const log of logs) assert.ok(!log.includes(password), 'a password was logged')
    }
  })
})
