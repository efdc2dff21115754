// A batch of serialized records as one transferable buffer: what a task would post to a producer thread. Structured
// cloning the records instead would copy every Buffer's whole backing store (for MQTT.js payloads, the socket's read
// buffer), so the bench packs them, as a real design would.
import type { SerializedRecord } from '../../src/kafka/record-producer.ts'

export interface PackedBatch {
  readonly topics: readonly string[]
  readonly headerNames: readonly string[]
  /** Per record: its header count. */
  readonly headerCounts: Uint8Array
  /** Per record: key length, value length, then each header's value length; -1 for null. */
  readonly lengths: Int32Array
  readonly bytes: ArrayBuffer
}

/** The buffers to transfer with a packed batch, so that posting it copies nothing more. */
export const transferList = (batch: PackedBatch): ArrayBuffer[] => [batch.bytes, batch.lengths.buffer as ArrayBuffer, batch.headerCounts.buffer as ArrayBuffer]

export const pack = (records: readonly SerializedRecord[]): PackedBatch => {
  let byteCount = 0
  let lengthCount = 0
  for (const { key, value, headers } of records) {
    byteCount += (key?.length ?? 0) + (value?.length ?? 0)
    for (const [, bytes] of headers) byteCount += bytes?.length ?? 0
    lengthCount += 2 + headers.length
  }
  const bytes = new Uint8Array(byteCount)
  const lengths = new Int32Array(lengthCount)
  const headerCounts = new Uint8Array(records.length)
  const topics: string[] = new Array<string>(records.length)
  const headerNames: string[] = []
  let offset = 0
  let at = 0
  const put = (field: Buffer | null): void => {
    if (field === null) {
      lengths[at++] = -1
      return
    }
    bytes.set(field, offset)
    offset += field.length
    lengths[at++] = field.length
  }
  for (let i = 0; i < records.length; i++) {
    const { topic, key, value, headers } = records[i]!
    topics[i] = topic
    headerCounts[i] = headers.length
    put(key)
    put(value)
    for (const [name, field] of headers) {
      headerNames.push(name)
      put(field)
    }
  }
  return { topics, headerNames, headerCounts, lengths, bytes: bytes.buffer }
}

/** The records again, as views on the transferred buffer: no copy. */
export const unpack = ({ topics, headerNames, headerCounts, lengths, bytes }: PackedBatch): SerializedRecord[] => {
  const all = Buffer.from(bytes)
  const records: SerializedRecord[] = new Array<SerializedRecord>(topics.length)
  let offset = 0
  let at = 0
  let name = 0
  const take = (): Buffer | null => {
    const length = lengths[at++]!
    if (length < 0) return null
    const field = all.subarray(offset, offset + length)
    offset += length
    return field
  }
  for (let i = 0; i < topics.length; i++) {
    const key = take()
    const value = take()
    const headers: [string, Buffer | null][] = []
    for (let h = 0; h < headerCounts[i]!; h++) headers.push([headerNames[name++]!, take()])
    records[i] = { topic: topics[i]!, partition: null, key, value, timestamp: null, headers }
  }
  return records
}
