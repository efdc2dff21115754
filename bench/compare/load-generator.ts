// The MQTT load generator, run as its own process so publishing never shares an event loop with the measuring side:
//   node --import tsx bench/compare/load-generator.ts '<LoadPlan as JSON>'
// It connects every publisher, prints {"ready":true}, waits for one line on stdin, publishes, prints a LoadResult
// as one JSON line and exits. bench/compare/load.ts drives it.
import { createInterface } from 'node:readline'
import { connectAsync, type MqttClient } from 'mqtt'
import type { LoadPlan, LoadResult } from './load.ts'
import { payloadFor } from './payload.ts'

const plan = JSON.parse(process.argv[2] ?? '') as LoadPlan

/** The topic of message `seq`: `plan.topic`, or with `plan.topicSpace` the template filled with seq's digits. */
const topicOf = (seq: number): string => {
  const space = plan.topicSpace
  if (space === undefined) return plan.topic
  let rest = seq
  let topic = plan.topic
  for (const [level, radix] of space.entries()) {
    topic = topic.replace(`{${level}}`, String(rest % radix))
    rest = Math.floor(rest / radix)
  }
  return topic
}

/**
 * Publisher `index` of `plan.connections` sends every connections-th sequence number, `plan.window` at a time; with
 * `plan.sliding`, `plan.window` always in flight instead (a new publish as each completes).
 */
const publishShare = async (client: MqttClient, index: number, prebuilt: readonly Buffer[] | null, topic = plan.topic, messages = plan.messages): Promise<void> => {
  if (plan.ratePerSecond !== undefined) return publishPaced(client, index, plan.ratePerSecond / plan.connections)
  if (plan.sliding === true) {
    let next = index
    const lane = async (): Promise<void> => {
      while (next < messages) {
        const seq = next
        next += plan.connections
        await client.publishAsync(topic === plan.topic ? topicOf(seq) : topic, prebuilt?.[seq] ?? payloadFor(seq, plan.payloadBytes), { qos: plan.qos })
      }
    }
    await Promise.all(Array.from({ length: plan.window }, lane))
    return
  }
  const inFlight: Promise<unknown>[] = []
  for (let seq = index; seq < plan.messages; seq += plan.connections) {
    inFlight.push(client.publishAsync(topicOf(seq), payloadFor(seq, plan.payloadBytes), { qos: plan.qos }))
    if (inFlight.length >= plan.window) {
      await Promise.all(inFlight)
      inFlight.length = 0
    }
  }
  await Promise.all(inFlight)
}

/** How often a paced publisher catches up with its schedule: small against the latencies measured. */
const PACE_TICK_MS = 5

/**
 * Publishes this connection's share at `ratePerSecond`, each message stamped as it is sent, never more than
 * `plan.window` unacknowledged: the rate a fleet of devices keeps, whatever the worker does with it.
 */
const publishPaced = async (client: MqttClient, index: number, ratePerSecond: number): Promise<void> => {
  const started = performance.now()
  let seq = index
  let inFlight = 0
  let roomWaiter: (() => void) | null = null
  const settled = (): void => {
    inFlight--
    roomWaiter?.()
  }
  let sent = 0
  const share = Math.ceil((plan.messages - index) / plan.connections)
  while (sent < share) {
    const due = Math.min(share, Math.floor(((performance.now() - started) / 1000) * ratePerSecond) + 1)
    for (; sent < due; sent++, seq += plan.connections) {
      while (inFlight >= plan.window) await new Promise<void>((resolve) => (roomWaiter = resolve))
      inFlight++
      client.publishAsync(topicOf(seq), payloadFor(seq, plan.payloadBytes), { qos: plan.qos }).then(settled, settled)
    }
    await new Promise((resolve) => setTimeout(resolve, PACE_TICK_MS))
  }
  while (inFlight > 0) await new Promise<void>((resolve) => (roomWaiter = resolve))
}

const main = async (): Promise<void> => {
  const clients = await Promise.all(
    Array.from({ length: plan.connections }, (_, i) => connectAsync(plan.url, { clientId: `bench-load-${process.pid}-${i}`, clean: true })),
  )
  const warmUp = plan.warmUpMessages ?? 0
  const prebuilt = warmUp > 0 ? Array.from({ length: Math.max(plan.messages, warmUp) }, (_, seq) => payloadFor(seq, plan.payloadBytes)) : null
  if (warmUp > 0) await Promise.all(clients.map((client, i) => publishShare(client, i, prebuilt, `${plan.topic}/warm-up`, warmUp)))
  const lines = createInterface({ input: process.stdin })
  const go = new Promise<void>((resolve) => lines.once('line', () => resolve()))
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
  await go
  lines.close()
  const started = performance.now()
  await Promise.all(clients.map((client, i) => publishShare(client, i, prebuilt)))
  const elapsedMs = performance.now() - started
  const result: LoadResult = {
    messages: plan.messages,
    connections: plan.connections,
    elapsedMs: Math.round(elapsedMs),
    messagesPerSecond: Math.round((plan.messages / elapsedMs) * 1000),
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
  await Promise.all(clients.map((client) => client.endAsync()))
}

await main()
