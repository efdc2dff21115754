// The component ceilings: what each part of the pipeline does alone, on the same brokers, in the same run.
import { Producer } from '@platformatic/kafka'
import { connectAsync } from 'mqtt'
import { javaCompatiblePartitioner, PlatformaticRecordProducer } from '../../src/kafka/platformatic-producer.ts'
import type { SerializedRecord } from '../../src/kafka/record-producer.ts'
import { SourceSendQueue } from '../../src/worker/source-send-queue.ts'
import { sleep } from '../../scripts/infra/wait.ts'
import type { BenchKafka } from './kafka-io.ts'
import { preProduce } from './pre-produce.ts'
import { prepareLoad, runLoad } from './load.ts'
import { measure, type RunMeasurement } from './measurement.ts'
import { payloadFor, publishedAt } from './payload.ts'
import type { Qos } from './scenarios.ts'

export type CeilingId = 'mqtt-subscriber' | 'kafka-producer' | 'load-generator' | 'mqtt-publisher-subscriber' | 'kafka-consumer'

export const ceilingLabels: Record<CeilingId, string> = {
  'mqtt-subscriber': 'Mosquitto → MQTT.js subscriber alone',
  'kafka-producer': '@platformatic/kafka producer alone, the one our source uses (batches ≤ 4,096 records and ≤ 900 KB, acks=all)',
  'load-generator': 'MQTT load generator alone (no subscriber)',
  'mqtt-publisher-subscriber': 'MQTT.js publisher (1 connection, 1,000 in flight, warmed up, payloads built) → Mosquitto → subscriber',
  'kafka-consumer': 'kafkajs consumer draining the backlog alone (the sink consumer’s fetch settings)',
}

/** Which scenarios a ceiling bounds: the source's path (MQTT in, Kafka out) or the sink's (Kafka in, MQTT out). */
export const ceilingKinds: Record<CeilingId, 'source' | 'sink'> = {
  'mqtt-subscriber': 'source',
  'kafka-producer': 'source',
  'load-generator': 'source',
  'mqtt-publisher-subscriber': 'sink',
  'kafka-consumer': 'sink',
}

export interface LoadShape {
  readonly connections: number
  readonly window: number
  /** Paced: messages per second in all; absent, as fast as the window allows. */
  readonly ratePerSecond?: number
}

let ceilingSeq = 0
const uniqueName = (prefix: string): string => `${prefix}-${process.pid}-${ceilingSeq++}-${Date.now()}`

/** An MQTT.js subscriber in this process, fed by the load generator process through Mosquitto. */
export const mqttSubscriberCeiling = async (
  mqttUrl: string,
  qos: Qos,
  payloadBytes: number,
  messages: number,
  load: LoadShape,
  warmUp: boolean,
): Promise<RunMeasurement> => {
  const topic = `bench/${uniqueName('ceiling')}`
  const subscriber = await connectAsync(mqttUrl, { clientId: uniqueName('bench-subscriber'), clean: true })
  const seen = new Uint8Array(messages)
  const latenciesMs: number[] = []
  let received = 0
  let duplicates = 0
  let firstPublishMs = Infinity
  let lastArrivalMs = -Infinity
  subscriber.on('message', (_topic, payload) => {
    const now = Date.now()
    const sent = publishedAt(payload)
    latenciesMs.push(now - sent)
    if (sent < firstPublishMs) firstPublishMs = sent
    lastArrivalMs = now
    const seq = Number(payload.toString('latin1', 0, payload.indexOf(0x3a)))
    if (seen[seq] === 1) duplicates++
    else {
      seen[seq] = 1
      received++
    }
  })
  try {
    await subscriber.subscribeAsync(topic, { qos })
    const generator = await prepareLoad({ url: mqttUrl, topic, messages, payloadBytes, qos, ...load })
    const loadResult = await generator.start()
    // Stop when everything arrived or nothing has for a while (QoS 0 may lose messages).
    let count = -1
    while (received < messages && received !== count) {
      count = received
      await sleep(2_000)
    }
    return measure({
      messages,
      received,
      duplicates,
      latenciesMs,
      firstPublishMs,
      lastArrivalMs,
      cpuSeconds: null,
      loadGeneratorMessagesPerSecond: loadResult.messagesPerSecond,
      warmUp,
    })
  } finally {
    await subscriber.endAsync()
  }
}

/**
 * The client our source producers use (@platformatic/kafka, as src/kafka/platformatic-producer.ts configures it)
 * sending batches with acks=all, one at a time: 4,096 records, or fewer so a batch stays under the broker's 1 MB
 * message.max.bytes (4,096 records of 1 KB would be refused). bench/kafka-clients.ts has it beside kafkajs.
 */
export const kafkaProducerCeiling = async (kafka: BenchKafka, payloadBytes: number, messages: number, warmUp: boolean): Promise<RunMeasurement> => {
  const topic = uniqueName('bench-producer-ceiling')
  const batchSize = Math.min(4_096, Math.floor(900_000 / (payloadBytes + 64)))
  await kafka.createLogAppendTimeTopic(topic)
  const producer = new Producer({
    clientId: uniqueName('bench-producer-ceiling'),
    bootstrapBrokers: [kafka.bootstrapServers],
    acks: -1,
    autocreateTopics: false,
    partitioner: javaCompatiblePartitioner(),
  })
  const key = Buffer.from('bench/ceiling')
  try {
    for (let start = 0; start < messages; start += batchSize) {
      const batch = []
      for (let seq = start; seq < Math.min(messages, start + batchSize); seq++) batch.push({ topic, key, value: payloadFor(seq, payloadBytes) })
      await producer.send({ messages: batch })
    }
  } finally {
    await producer.close()
  }
  const readback = await kafka.readBack(topic, messages, messages)
  await kafka.deleteTopics([topic])
  return measure({
    ...readback,
    messages,
    lastArrivalMs: readback.lastAppendMs,
    cpuSeconds: null,
    loadGeneratorMessagesPerSecond: null,
    warmUp,
  })
}

/** The load generator publishing to a topic nobody subscribes to: its own rate, which must exceed the workers'. */
export const loadGeneratorCeiling = async (
  mqttUrl: string,
  qos: Qos,
  payloadBytes: number,
  messages: number,
  load: LoadShape,
  warmUp: boolean,
): Promise<RunMeasurement> => {
  const result = await runLoad({ url: mqttUrl, topic: `bench/${uniqueName('nobody')}`, messages, payloadBytes, qos, ...load })
  return {
    messages,
    received: messages,
    duplicates: 0,
    messagesPerSecond: result.messagesPerSecond,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    p999Ms: null,
    cpuSeconds: null,
    loadGeneratorMessagesPerSecond: result.messagesPerSecond,
    warmUp,
    failure: null,
  }
}

/**
 * The sink's MQTT side alone: the load generator process with one connection keeping 1,000 publishes in flight,
 * sliding (a new one as each completes, as our sink does with its default mqtt.max.in.flight), → Mosquitto → an
 * MQTT.js subscriber in this process at the same QoS. Rate: first arrival → last arrival, as for the sink scenarios;
 * latency: publish → arrival.
 */
export const mqttPublisherSubscriberCeiling = async (
  mqttUrl: string,
  qos: Qos,
  payloadBytes: number,
  messages: number,
  warmUp: boolean,
): Promise<RunMeasurement> => {
  const topic = `bench/${uniqueName('sink-ceiling')}`
  const subscriber = await connectAsync(mqttUrl, { clientId: uniqueName('bench-sink-subscriber'), clean: true })
  const seen = new Uint8Array(messages)
  const latenciesMs: number[] = []
  let received = 0
  let duplicates = 0
  let firstArrivalMs = NaN
  let lastArrivalMs = NaN
  subscriber.on('message', (_topic, payload) => {
    const now = Date.now()
    if (Number.isNaN(firstArrivalMs)) firstArrivalMs = now
    lastArrivalMs = now
    latenciesMs.push(now - publishedAt(payload))
    const seq = Number(payload.toString('latin1', 0, payload.indexOf(0x3a)))
    if (seen[seq] === 1) duplicates++
    else {
      seen[seq] = 1
      received++
    }
  })
  try {
    await subscriber.subscribeAsync(topic, { qos })
    const generator = await prepareLoad({ url: mqttUrl, topic, messages, payloadBytes, qos, connections: 1, window: 1_000, sliding: true, warmUpMessages: 20_000 })
    const loadResult = await generator.start()
    let count = -1
    while (received < messages && received !== count) {
      count = received
      await sleep(2_000)
    }
    return measure({
      messages,
      received,
      duplicates,
      latenciesMs,
      firstPublishMs: firstArrivalMs,
      lastArrivalMs,
      cpuSeconds: null,
      loadGeneratorMessagesPerSecond: loadResult.messagesPerSecond,
      warmUp,
    })
  } finally {
    await subscriber.endAsync()
  }
}

/**
 * A kafkajs consumer group member, configured as the sink's consumer is (src/kafka/record-consumer.ts), draining a
 * pre-produced backlog and doing nothing with it: the sink's Kafka side alone. Timed from the first record fetched to
 * the last, as the sink scenarios are timed from the first arrival at the subscriber to the last.
 */
export const kafkaConsumerCeiling = async (kafka: BenchKafka, payloadBytes: number, sinkMessages: number, warmUp: boolean): Promise<RunMeasurement> => {
  // Five times the sink's backlog: the consumer fetches about 1 MB per partition a time, so the sink's own backlog
  // would be only a few fetches, too few to time.
  const messages = sinkMessages * 5
  const topic = uniqueName('bench-consumer-ceiling')
  await kafka.createLogAppendTimeTopic(topic)
  try {
    await preProduce(kafka, topic, messages, payloadBytes)
    const { received, timedRecords, firstMs, lastMs } = await kafka.drain(topic, messages, { maxWaitTimeInMs: 500 })
    const measured = measure({
      messages,
      received: timedRecords,
      duplicates: 0,
      latenciesMs: [],
      firstPublishMs: firstMs,
      lastArrivalMs: lastMs,
      cpuSeconds: null,
      loadGeneratorMessagesPerSecond: null,
      warmUp,
    })
    return { ...measured, received }
  } finally {
    await kafka.deleteTopics([topic])
  }
}

/**
 * The Kafka side alone at a pace: the producer source tasks use (src/kafka/platformatic-producer.ts) behind the
 * source runner's send queue (one request in flight, what arrives meanwhile in the next), fed `ratePerSecond`
 * records a second in 1 ms ticks, each stamped with the time it was due. Latency: LogAppendTime minus that stamp,
 * as for the workers; it is what Kafka and the client add on this machine before any MQTT does.
 */
export const kafkaPathPaced = async (kafka: BenchKafka, payloadBytes: number, ratePerSecond: number, messages: number): Promise<RunMeasurement> => {
  const topic = uniqueName('bench-kafka-path')
  await kafka.createLogAppendTimeTopic(topic)
  const producer = new PlatformaticRecordProducer(async () => ({ brokers: [kafka.bootstrapServers] }), uniqueName('bench-kafka-path'))
  await producer.connect()
  const queue = new SourceSendQueue((outgoing, onAcknowledged) => producer.send(outgoing, onAcknowledged), 1)
  const key = Buffer.from('bench/kafka-path')
  const started = performance.now()
  const startedAtMs = Date.now()
  let made = 0
  try {
    while (made < messages) {
      const due = Math.min(messages, Math.floor(((performance.now() - started) / 1000) * ratePerSecond))
      const outgoing: SerializedRecord[] = []
      // Stamped with when the pace said it was due, so time spent waiting for the queue counts, as it would upstream.
      for (; made < due; made++) {
        const value = payloadFor(made, payloadBytes, Math.round(startedAtMs + (made / ratePerSecond) * 1000))
        outgoing.push({ topic, partition: null, key, value, timestamp: null, headers: [] })
      }
      if (outgoing.length > 0) await queue.add({ outgoing, onAcknowledged: () => {}, onSent: () => {} })
      await sleep(1)
    }
    await queue.flushed()
  } finally {
    await producer.disconnect()
  }
  const readback = await kafka.readBack(topic, messages, messages)
  await kafka.deleteTopics([topic])
  return measure({ ...readback, messages, lastArrivalMs: readback.lastAppendMs, cpuSeconds: null, loadGeneratorMessagesPerSecond: null, warmUp: false })
}
