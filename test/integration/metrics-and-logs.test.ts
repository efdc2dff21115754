import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import { useBridge } from '../harness/bridge.ts'
import { kafkaBootstrapServers } from '../harness/kafka.ts'
import { createSequenceTopic, readTopic } from '../harness/kafka-records.ts'
import { publishPayloads, publishSequence } from '../harness/mqtt-publisher.ts'
import { restCall } from '../harness/rest-client.ts'
import { waitFor } from '../../scripts/infra/wait.ts'
import { createKafkaClient } from '../../src/kafka/client.ts'
import { RecordConsumer } from '../../src/kafka/record-consumer.ts'
import { silentLogger } from '../../src/logger.ts'
import { sampleOf } from '../harness/prometheus-text.ts'

const MESSAGES = 10_000

interface Status {
  connector: { state: string; worker_id: string }
  tasks: { id: number; state: string; worker_id: string }[]
}

describe('/metrics and /admin/loggers of a real worker, with a real Kafka and Mosquitto', () => {
  const bridge = useBridge()
  let admin: Admin
  const id = randomUUID().slice(0, 8)

  before(async () => {
    admin = new Kafka({ brokers: kafkaBootstrapServers().split(','), clientId: `test-metrics-${id}`, logLevel: logLevel.NOTHING }).admin()
    await admin.connect()
  })
  after(() => admin?.disconnect())

  const metrics = async (): Promise<string> => {
    const response = await fetch(`${bridge.worker.url}/metrics`)
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    return response.text()
  }
  const status = async (name: string): Promise<Status> => (await restCall<Status>(bridge.worker.url, 'GET', `/connectors/${name}/status`)).body
  const create = async (name: string, config: Record<string, string>): Promise<void> => {
    const created = await restCall(bridge.worker.url, 'POST', '/connectors', { name, config })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.ok(await waitFor(async () => (await status(name)).tasks[0]?.state === 'RUNNING', { timeoutMs: 30_000 }), JSON.stringify(await status(name)))
  }
  /** Polls /metrics until every `expected` sample has its value; returns the last scrape, so a failure shows it. */
  const metricsReach = async (expected: readonly [string, Record<string, string>, number][], timeoutMs = 120_000): Promise<string> => {
    let text = ''
    await waitFor(
      async () => {
        text = await metrics()
        return expected.every(([name, labels, value]) => sampleOf(text, name, labels) === value)
      },
      { timeoutMs, intervalMs: 250 },
    )
    return text
  }

  it('counts 10,000 QoS 1 messages exactly through an MQTT source and an MQTT sink, shows the states /status shows, and the lag back at 0', async () => {
    const topic = `metrics-${id}`
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
    const source = `metrics-source-${id}`
    const sink = `metrics-sink-${id}`
    await create(source, {
      'connector.class': 'MqttSource',
      'mqtt.server.uri': bridge.mosquitto.url,
      'mqtt.topics': `${id}/#`,
      'mqtt.qos': '1',
      'mqtt.client.id': `metrics-source-${id}`,
      'kafka.topic': topic,
    })
    await create(sink, {
      'connector.class': 'MqttSink',
      'mqtt.server.uri': bridge.mosquitto.url,
      'mqtt.client.id': `metrics-sink-${id}`,
      'mqtt.qos': '1',
      topics: topic,
      'mqtt.topic': `${id}-out/readings`,
    })

    await publishSequence(bridge.mosquitto.url, (n) => `${id}/sensor-${n % 10}`, { count: MESSAGES, qos: 1 })

    const sourceTask = { connector: source, task: '0' }
    const sinkTask = { connector: sink, task: '0' }
    const partition = { ...sinkTask, topic, partition: '0' }
    const text = await metricsReach([
      ['kafka_connect_source_task_metrics_source_record_poll_total', sourceTask, MESSAGES],
      ['kafka_connect_source_task_metrics_source_record_write_total', sourceTask, MESSAGES],
      ['mqtt_kafka_connect_task_records_committed_total', sourceTask, MESSAGES],
      ['kafka_connect_source_task_metrics_source_record_active_count', sourceTask, 0],
      ['kafka_connect_sink_task_metrics_sink_record_read_total', sinkTask, MESSAGES],
      ['kafka_connect_sink_task_metrics_sink_record_send_total', sinkTask, MESSAGES],
      ['mqtt_kafka_connect_task_records_committed_total', sinkTask, MESSAGES],
      ['kafka_connect_sink_task_metrics_sink_record_active_count', sinkTask, 0],
      ['mqtt_kafka_connect_sink_publishes_acknowledged_total', sinkTask, MESSAGES],
      ['kafka_consumer_consumer_fetch_manager_metrics_records_lag', partition, 0],
      ['kafka_consumer_consumer_fetch_manager_metrics_records_lag_max', sinkTask, 0],
    ])
    // Exactly, not at least: nothing was counted twice on the way.
    assert.equal(sampleOf(text, 'kafka_connect_source_task_metrics_source_record_poll_total', sourceTask), MESSAGES, text)
    assert.equal(sampleOf(text, 'kafka_connect_sink_task_metrics_sink_record_send_total', sinkTask), MESSAGES, text)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_source_messages_received_total', { ...sourceTask, qos: '1' }), MESSAGES)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_source_end_to_end_latency_seconds_count', sourceTask), MESSAGES)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_source_acks_held', sourceTask), 0)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_sink_publishes_in_flight', sinkTask), 0)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_connected', sourceTask), 1)
    assert.equal(sampleOf(text, 'mqtt_kafka_connect_connected', sinkTask), 1)
    assert.ok((sampleOf(text, 'kafka_connect_source_task_metrics_source_record_poll_rate', sourceTask) ?? 0) > 0)
    assert.ok((sampleOf(text, 'kafka_connect_sink_task_metrics_put_batch_max_time_ms', sinkTask) ?? -1) >= 0)
    assert.equal(sampleOf(text, 'kafka_connect_task_error_metrics_total_record_errors', sourceTask), 0)
    // Offsets reach Kafka on the flush cadence: at least one commit each, none failed.
    const commits = await metricsReach([['kafka_connect_connector_task_metrics_offset_commit_failure_total', sourceTask, 0]])
    assert.ok((sampleOf(commits, 'kafka_connect_connector_task_metrics_offset_commit_success_total', sinkTask) ?? 0) >= 1)

    for (const name of [source, sink]) {
      const { connector, tasks } = await status(name)
      assert.equal(sampleOf(text, 'kafka_connect_connector_metrics_status', { connector: name, status: connector.state.toLowerCase() }), 1)
      for (const state of ['paused', 'failed', 'unassigned']) assert.equal(sampleOf(text, 'kafka_connect_connector_metrics_status', { connector: name, status: state }), 0)
      for (const task of tasks) {
        assert.equal(sampleOf(text, 'kafka_connect_connector_task_metrics_status', { connector: name, task: String(task.id), status: task.state.toLowerCase() }), 1)
      }
      assert.equal(sampleOf(text, 'kafka_connect_connect_worker_metrics_connector_running_task_count', { connector: name }), tasks.filter(({ state }) => state === 'RUNNING').length)
    }

    // Paused in /status is paused in /metrics at the next scrape.
    assert.equal((await restCall(bridge.worker.url, 'PUT', `/connectors/${sink}/pause`)).status, 202)
    assert.ok(await waitFor(async () => (await status(sink)).tasks[0]?.state === 'PAUSED', { timeoutMs: 20_000 }))
    const paused = await metrics()
    assert.equal(sampleOf(paused, 'kafka_connect_connector_task_metrics_status', { connector: sink, task: '0', status: 'paused' }), 1)
    assert.equal(sampleOf(paused, 'kafka_connect_connect_worker_metrics_connector_paused_task_count', { connector: sink }), 1)

    // A deleted connector's series go with it.
    assert.equal((await restCall(bridge.worker.url, 'DELETE', `/connectors/${sink}`)).status, 204)
    assert.ok(await waitFor(async () => !(await metrics()).includes(`connector="${sink}"`), { timeoutMs: 20_000 }), 'no stale series')
  })

  it('counts a record the sink cannot convert under errors.tolerance=all as an error, a skip and a dead letter', async () => {
    const topic = await createSequenceTopic(`metrics-bad-${id}`, 3)
    const deadLetters = `${topic}-dlq`
    const sink = `metrics-tolerant-${id}`
    await create(sink, {
      'connector.class': 'MqttSink',
      'mqtt.server.uri': bridge.mosquitto.url,
      'mqtt.client.id': `metrics-tolerant-${id}`,
      topics: topic,
      'mqtt.topic': `${id}-tolerant/out`,
      // The records hold `seq=0`, `seq=1`, `seq=2`: not JSON.
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': deadLetters,
    })
    const sinkTask = { connector: sink, task: '0' }
    const text = await metricsReach([
      ['kafka_connect_task_error_metrics_total_record_errors', sinkTask, 3],
      ['kafka_connect_task_error_metrics_total_records_skipped', sinkTask, 3],
      ['kafka_connect_task_error_metrics_deadletterqueue_produce_requests', sinkTask, 3],
      ['kafka_connect_sink_task_metrics_sink_record_read_total', sinkTask, 3],
      ['kafka_consumer_consumer_fetch_manager_metrics_records_lag', { ...sinkTask, topic, partition: '0' }, 0],
    ])
    assert.equal(sampleOf(text, 'kafka_connect_task_error_metrics_deadletterqueue_produce_failures', sinkTask), 0)
    assert.equal(sampleOf(text, 'kafka_connect_sink_task_metrics_sink_record_send_total', sinkTask), 0, 'nothing reached the task')
    assert.ok((sampleOf(text, 'kafka_connect_task_error_metrics_last_error_timestamp', sinkTask) ?? 0) > Date.now() - 120_000)
    const dead = await readTopic(deadLetters, (records) => records.length >= 3)
    assert.deepEqual(dead.map(({ value }) => value?.toString()), ['seq=0', 'seq=1', 'seq=2'])
  })

  it("hands the sink runner each fetch's high watermark, which the lag is computed from", async () => {
    const topic = await createSequenceTopic(`metrics-hw-${id}`, 1_000)
    const kafka = createKafkaClient({ bootstrapServers: kafkaBootstrapServers().split(','), clientId: `test-hw-${id}`, logger: silentLogger })
    const consumer = new RecordConsumer(kafka, { groupId: `test-hw-${id}`, subscription: { topics: [topic] }, logger: silentLogger })
    const watermarks: (string | undefined)[] = []
    let consumed = 0
    await consumer.run({
      onBatch: async (batch) => {
        watermarks.push(batch.highWatermark)
        consumed += batch.messages.length
        return true
      },
      onAssigned: () => {},
      onRevoking: async () => {},
      onFatal: () => {},
    })
    try {
      assert.ok(await waitFor(() => consumed >= 1_000, { timeoutMs: 30_000 }), `consumed ${consumed}`)
      assert.ok(watermarks.length > 0 && watermarks.every((watermark) => watermark === '1000'), JSON.stringify(watermarks))
    } finally {
      await consumer.disconnect()
    }
  })

  it('turns on debug lines of the MQTT connector at once with PUT /admin/loggers/io.mqttkafka.connect.mqtt, and lists the change', async () => {
    const source = `metrics-debug-${id}`
    const debugLines = (): Record<string, unknown>[] =>
      bridge.worker
        .log()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter(({ level, logger, connector }) => level === 'debug' && logger === 'io.mqttkafka.connect.mqtt.MqttSourceConnector' && connector === source)
    await create(source, {
      'connector.class': 'MqttSource',
      'mqtt.server.uri': bridge.mosquitto.url,
      'mqtt.topics': `${id}-debug/#`,
      'mqtt.client.id': `metrics-debug-${id}`,
      'kafka.topic': `metrics-debug-${id}`,
    })
    await publishPayloads(bridge.mosquitto.url, [[`${id}-debug/a`, 'before']])
    assert.ok(await waitFor(async () => (await metrics()).includes(`kafka_connect_source_task_metrics_source_record_write_total{connector="${source}",task="0"} 1`), { timeoutMs: 20_000 }))
    assert.deepEqual(debugLines(), [], 'no debug line at the default level')

    const changed = await restCall<string[]>(bridge.worker.url, 'PUT', '/admin/loggers/io.mqttkafka.connect.mqtt', { level: 'DEBUG' })
    assert.equal(changed.status, 200)
    assert.ok(changed.body.includes('io.mqttkafka.connect.mqtt'))
    assert.ok(changed.body.includes('io.mqttkafka.connect.mqtt.MqttSourceConnector'), JSON.stringify(changed.body))

    await publishPayloads(bridge.mosquitto.url, [[`${id}-debug/b`, 'after']])
    assert.ok(await waitFor(() => debugLines().some(({ message }) => message === 'polled MQTT messages'), { timeoutMs: 10_000 }), bridge.worker.log().slice(-3000))
    const [line] = debugLines()
    assert.equal(line?.task, 0)

    const listed = await restCall<Record<string, { level: string; last_modified: number | null }>>(bridge.worker.url, 'GET', '/admin/loggers')
    assert.equal(listed.status, 200)
    assert.equal(listed.body['io.mqttkafka.connect.mqtt']?.level, 'DEBUG')
    assert.equal(typeof listed.body['io.mqttkafka.connect.mqtt']?.last_modified, 'number')
    assert.equal(listed.body['io.mqttkafka.connect.mqtt.MqttSourceConnector']?.level, 'DEBUG')
    assert.deepEqual(listed.body.root, { level: 'INFO', last_modified: null })
    assert.equal(listed.body['org.apache.kafka.connect.runtime.WorkerSourceTask']?.level, 'INFO')
  })
})
