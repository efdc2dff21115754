/**
 * Benchmark payloads: `<seq>:<publish ms>:` padded with `x` to the scenario's size, so every record read back from
 * Kafka carries the time it was published (bench/mqtt-source-throughput.ts uses the same layout).
 */
const colon = 0x3a

/** A payload of `bytes` bytes stamped with `publishedAtMs`. */
export const payloadFor = (seq: number, bytes: number, publishedAtMs: number = Date.now()): Buffer => {
  const payload = Buffer.alloc(bytes, 'x')
  payload.write(`${seq}:${publishedAtMs}:`, 0, 'latin1')
  return payload
}

/** Publish time stamped into a benchmark payload, or NaN for anything else (such as a readiness probe). */
export const publishedAt = (payload: Uint8Array): number => {
  const first = payload.indexOf(colon)
  const second = first < 0 ? -1 : payload.indexOf(colon, first + 1)
  if (second < 0) return NaN
  let ms = 0
  for (let i = first + 1; i < second; i++) {
    const digit = payload[i]! - 0x30
    if (digit < 0 || digit > 9) return NaN
    ms = ms * 10 + digit
  }
  return ms
}

/** The payload of a readiness probe: not a benchmark record, `publishedAt` gives NaN. */
export const probePayload = (attempt: number): Buffer => Buffer.from(`probe-${attempt}`)
