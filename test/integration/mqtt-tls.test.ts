import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel } from 'kafkajs'
import { connectAsync } from 'mqtt'
import { findFreePorts } from '../../scripts/infra/ports.ts'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { readTopic } from '../harness/kafka-records.ts'
import { startTestMosquitto, type TestMosquitto } from '../harness/mosquitto.ts'
import { publishPayloads } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { makeTestTempDir } from '../harness/temp.ts'
import { createWorkerProcess, type WorkerProcess } from '../harness/worker.ts'

interface Status {
  tasks: { state: string; trace?: string }[]
}

/** A CA, a server certificate for localhost/127.0.0.1 and a client certificate, made with openssl for this run. */
const makeCertificates = (dir: string) => {
  const file = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca')
  writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n')
  for (const [name, subject, extension] of [
    ['server', '/CN=localhost', ['-extfile', 'server.ext']],
    ['client', '/CN=bridge', []],
  ] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject)
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', ...extension)
  }
  return { ca: file('ca.crt'), serverCert: file('server.crt'), serverKey: file('server.key'), clientCert: file('client.crt'), clientKey: file('client.key') }
}

describe('MQTT source and sink over TLS and mutual TLS, against a Mosquitto TLS listener', () => {
  let mosquitto: TestMosquitto
  let worker: WorkerProcess
  let certs: ReturnType<typeof makeCertificates>
  let tlsPort: number
  let mutualTlsPort: number

  const taskOf = async (name: string) => (await restCall<Status>(worker.url, 'GET', `/connectors/${name}/status`)).body.tasks[0]
  const create = async (name: string, config: Record<string, string>) => {
    const response = await restCall(worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'MqttSource', ...config } })
    assert.equal(response.status, 201, JSON.stringify(response.body))
  }
  const createSink = async (name: string, config: Record<string, string>) => {
    const response = await restCall(worker.url, 'POST', '/connectors', { name, config: { 'connector.class': 'MqttSink', ...config } })
    assert.equal(response.status, 201, JSON.stringify(response.body))
  }

  before(async () => {
    certs = makeCertificates(await makeTestTempDir('certs-'))
    ;[tlsPort, mutualTlsPort] = (await findFreePorts(2)) as [number, number]
    const tlsListener = (port: number, requireClientCertificate: boolean) => [
      `listener ${port} 127.0.0.1`,
      `cafile ${certs.ca}`,
      `certfile ${certs.serverCert}`,
      `keyfile ${certs.serverKey}`,
      `require_certificate ${requireClientCertificate}`,
    ]
    mosquitto = await startTestMosquitto([...tlsListener(tlsPort, false), ...tlsListener(mutualTlsPort, true)])
    worker = await createWorkerProcess()
  })

  after(async () => {
    await worker?.stop()
    await mosquitto?.close()
  })

  it('connects with ssl:// trusting only the given CA, with host name verification', async (context) => {
    if (mosquitto.external) return context.skip('MQTT_URL points at a broker this test cannot configure')
    const topic = `tls-${Date.now()}`
    await create('tls', { 'mqtt.server.uri': `ssl://localhost:${tlsPort}`, 'mqtt.ssl.ca.file': certs.ca, 'mqtt.topics': 'secure/#', 'kafka.topic': topic })
    assert.ok(await waitFor(async () => (await taskOf('tls'))?.state === 'RUNNING', { timeoutMs: 20_000 }))
    await publishPayloads(mosquitto.url, [['secure/a', 'over tls']])
    const records = await readTopic(topic, (all) => all.length >= 1)
    assert.equal(records[0]?.value?.toString(), 'over tls')
  })

  it('authenticates with a client certificate (mutual TLS)', async (context) => {
    if (mosquitto.external) return context.skip('MQTT_URL points at a broker this test cannot configure')
    const topic = `mtls-${Date.now()}`
    await create('mtls', {
      'mqtt.server.uri': `mqtts://127.0.0.1:${mutualTlsPort}`,
      'mqtt.ssl.ca.file': certs.ca,
      'mqtt.ssl.cert.file': certs.clientCert,
      'mqtt.ssl.key.file': certs.clientKey,
      'mqtt.topics': 'mutual/#',
      'kafka.topic': topic,
    })
    assert.ok(await waitFor(async () => (await taskOf('mtls'))?.state === 'RUNNING', { timeoutMs: 20_000 }))
    await publishPayloads(mosquitto.url, [['mutual/a', 'over mutual tls']])
    const records = await readTopic(topic, (all) => all.length >= 1)
    assert.equal(records[0]?.value?.toString(), 'over mutual tls')
  })

  it('fails the task with a readable trace when the broker wants a client certificate and gets none', async (context) => {
    if (mosquitto.external) return context.skip('MQTT_URL points at a broker this test cannot configure')
    await create('no-client-cert', {
      'mqtt.server.uri': `mqtts://127.0.0.1:${mutualTlsPort}`,
      'mqtt.ssl.ca.file': certs.ca,
      'mqtt.topics': 'mutual/#',
      'kafka.topic': 'never-written',
    })
    assert.ok(await waitFor(async () => (await taskOf('no-client-cert'))?.state === 'FAILED', { timeoutMs: 30_000 }))
    assert.match((await taskOf('no-client-cert'))?.trace ?? '', /Could not connect to MQTT broker mqtts:\/\/127\.0\.0\.1/)
  })

  it('the sink publishes over mutual TLS too', async (context) => {
    if (mosquitto.external) return context.skip('MQTT_URL points at a broker this test cannot configure')
    const topic = `to-mqtt-${Date.now()}`
    const received: string[] = []
    const subscriber = await connectAsync(mosquitto.url, { clientId: 'tls-sink-observer' })
    subscriber.on('message', (_topic, payload) => received.push(payload.toString()))
    await subscriber.subscribeAsync('secure-out/#', { qos: 1 })
    try {
      await createSink('mtls-sink', {
        topics: topic,
        'mqtt.server.uri': `ssl://localhost:${mutualTlsPort}`,
        'mqtt.ssl.ca.file': certs.ca,
        'mqtt.ssl.cert.file': certs.clientCert,
        'mqtt.ssl.key.file': certs.clientKey,
        'mqtt.topic': 'secure-out/${topic}',
      })
      assert.ok(await waitFor(async () => (await taskOf('mtls-sink'))?.state === 'RUNNING', { timeoutMs: 20_000 }))
      const producer = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: 'tls-sink-test', logLevel: logLevel.NOTHING }).producer()
      await producer.connect()
      await producer.send({ topic, messages: [{ value: 'from kafka over mutual tls' }] })
      await producer.disconnect()
      assert.ok(await waitFor(() => received.length >= 1, { timeoutMs: 30_000 }))
      assert.deepEqual(received, ['from kafka over mutual tls'])
    } finally {
      await subscriber.endAsync()
    }
  })
})
