import { randomUUID } from 'node:crypto'
import { connectAsync, type MqttClient } from 'mqtt'
import { mqttSinkConnector } from '../../connectors/mqtt/sink-connector.ts'
import { mqttSourceConnector } from '../../connectors/mqtt/source-connector.ts'
import type { SinkRecord } from '../../src/data/record.ts'
import type { TaskConfig } from '../../src/plugin/index.ts'
import { sinkTaskContract } from '../contract/sink-task-contract.ts'
import { sourceTaskContract } from '../contract/source-task-contract.ts'
import { publishSequence, sequenceOf } from '../harness/mqtt-publisher.ts'
import { startTestMosquitto } from '../harness/mosquitto.ts'
import { waitFor } from '../../scripts/infra/wait.ts'

sourceTaskContract('MqttSourceTask on a real Mosquitto', async () => {
  const mosquitto = await startTestMosquitto()
  const base = { 'mqtt.server.uri': mosquitto.url, 'kafka.topic': 'contract', 'mqtt.qos': '1', 'records.buffer.queue.empty.timeout': '200' }
  return {
    plugin: mqttSourceConnector,
    config: () => {
      const id = randomUUID().slice(0, 8)
      return { ...base, name: 'contract', 'mqtt.topics': `contract/${id}/#`, 'mqtt.client.id': `contract-${id}` }
    },
    badConfig: { config: { ...base, name: 'contract', 'mqtt.topics': 'contract/#', 'mqtt.qos': '3' }, key: 'mqtt.qos' },
    produce: async (config, count, from) => {
      const prefix = config['mqtt.topics']!.replace('/#', '')
      await publishSequence(mosquitto.url, (n) => `${prefix}/${n}`, { count, from, qos: 1 })
    },
    sequenceOf: (record) => sequenceOf(record.value as Buffer),
    outage: { begin: () => mosquitto.stop(), end: () => mosquitto.start() },
    close: () => mosquitto.close(),
  }
})

sinkTaskContract('MqttSinkTask on a real Mosquitto', async () => {
  const mosquitto = await startTestMosquitto()
  const watcher: MqttClient = await connectAsync(mosquitto.url, { clientId: `contract-watcher-${randomUUID().slice(0, 8)}`, clean: true })
  const received = new Map<string, number[]>()
  watcher.on('message', (topic, payload) => {
    const prefix = topic.slice(0, topic.lastIndexOf('/'))
    received.set(prefix, [...(received.get(prefix) ?? []), sequenceOf(payload)])
  })
  const base = { 'mqtt.server.uri': mosquitto.url, topics: 'contract-in', 'mqtt.qos': '1' }
  return {
    plugin: mqttSinkConnector,
    config: async (): Promise<TaskConfig> => {
      const id = randomUUID().slice(0, 8)
      await watcher.subscribeAsync(`contract-out/${id}/#`, { qos: 1 })
      return { ...base, name: 'contract', 'mqtt.topic': `contract-out/${id}/\${key}`, 'mqtt.client.id': `contract-sink-${id}` }
    },
    badConfig: { config: { ...base, name: 'contract', 'mqtt.qos': '7' }, key: 'mqtt.qos' },
    record: (n): SinkRecord => ({
      topic: 'contract-in',
      kafkaPartition: 0,
      kafkaOffset: BigInt(n),
      timestampType: 'CreateTime',
      timestamp: Date.now(),
      keySchema: { type: 'string', optional: true },
      key: String(n),
      valueSchema: { type: 'bytes', optional: true },
      value: Buffer.from(`seq=${n}`),
      headers: [],
    }),
    // The broker acknowledged every publish before flush() resolved; its copy to the watcher may trail a little.
    received: async (config, count) => {
      const prefix = config['mqtt.topic']!.replace('/${key}', '')
      await waitFor(() => (received.get(prefix)?.length ?? 0) >= count, { timeoutMs: 5_000, intervalMs: 20 })
      return received.get(prefix) ?? []
    },
    outage: { begin: () => mosquitto.stop(), end: () => mosquitto.start() },
    close: async () => {
      await watcher.endAsync(true)
      await mosquitto.close()
    },
  }
})
