import { connectAsync, type MqttClient } from 'mqtt'

/** Publishes `count` messages whose payload is `seq=<n>` (n from `from`), at `qos`, and waits for every PUBACK. */
export const publishSequence = async (
  url: string,
  topicOf: (n: number) => string,
  {
    count,
    from = 0,
    qos = 1,
    afterWindow,
  }: { count: number; from?: number; qos?: 0 | 1 | 2; afterWindow?: (published: number) => void | Promise<void> },
): Promise<void> => {
  const client: MqttClient = await connectAsync(url, { clientId: `test-publisher-${process.pid}-${from}`, clean: true })
  try {
    const window = 500
    for (let start = from; start < from + count; start += window) {
      const end = Math.min(from + count, start + window)
      const sends: Promise<unknown>[] = []
      for (let n = start; n < end; n++) sends.push(client.publishAsync(topicOf(n), `seq=${n}`, { qos }))
      await Promise.all(sends)
      await afterWindow?.(end - from)
    }
  } finally {
    await client.endAsync()
  }
}

export const sequenceOf = (payload: Buffer | null): number => Number(payload?.toString('utf8').replace(/^seq=/, ''))

/** Publishes each `[topic, payload]` in order (at QoS 1 by default) and waits for every acknowledgement. */
export const publishPayloads = async (url: string, messages: readonly (readonly [string, string])[], qos: 0 | 1 = 1): Promise<void> => {
  const client: MqttClient = await connectAsync(url, { clientId: `test-payloads-${process.pid}`, clean: true })
  try {
    for (const [topic, payload] of messages) await client.publishAsync(topic, payload, { qos })
  } finally {
    await client.endAsync()
  }
}

/** How the sequence numbers 0..count-1 arrived in `records`: which never did, and how many arrived again. */
export const tallySequences = (records: readonly { readonly value: Buffer | null }[], count: number): { missing: number[]; duplicates: number } => {
  const counts = new Uint32Array(count)
  let duplicates = 0
  for (const { value } of records) if (counts[sequenceOf(value)]!++ > 0) duplicates++
  const missing: number[] = []
  for (let n = 0; n < count; n++) if (counts[n] === 0) missing.push(n)
  return { missing, duplicates }
}
