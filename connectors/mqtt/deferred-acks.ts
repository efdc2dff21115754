import type { MqttClient, Packet } from 'mqtt'

/** Identifies one held acknowledgement on one connection. */
export interface AckToken {
  readonly messageId: number
  readonly connection: number
}

type SendPacket = (packet: Packet, done?: (error?: Error) => void, ...rest: unknown[]) => void
type AckPacket = Packet & { readonly messageId: number }

/**
 * First byte of PUBACK and PUBREC (MQTT 3.1.1 §3.4, §3.5). With a remaining length of 2 (the message id only), the
 * packet is the same in MQTT 5 when its reason code is Success and it has no properties, which is what MQTT.js sends.
 */
const FIXED_HEADER = { puback: 0x40, pubrec: 0x50 } as const
const ACK_BYTES = 4
const INITIAL_QUEUE_BYTES = 4_096 * ACK_BYTES

/**
 * Withholds the PUBACK (QoS 1) or PUBREC (QoS 2) of a received message until Kafka has it, without stalling MQTT.js.
 *
 * MQTT.js handles inbound packets one at a time and sends the acknowledgement when its handler finishes, so awaiting
 * Kafka in the handler would move one message per Kafka round trip. Instead the handler finishes at once and the
 * acknowledgement packet MQTT.js then writes is caught here and written later by `release()`. Acknowledgements are
 * written in the order they are released (the order messages arrived and Kafka acknowledged them), as MQTT requires
 * for QoS 1. MQTT.js has no public hook for this; `_sendPacket` is the one private method its own handlers use to reply.
 *
 * Released acknowledgements are encoded here and written together, one buffer per burst of `release()` calls, rather
 * than through MQTT.js: it writes each acknowledgement as three buffers of 1–2 bytes, and libuv hands the kernel at
 * most 1,024 buffers per event-loop turn, so one poll's worth of 4,096 acknowledgements took 12 turns, which in a
 * busy worker is seconds: the broker then had records that Kafka acknowledged long ago still unacknowledged, and a
 * crash repeated them all. MQTT.js emits no `packetsend` for acknowledgements written here.
 */
export class DeferredAcks {
  private connection = 0
  private client: MqttClient | null = null
  /** Message ids whose acknowledgement waits for Kafka on the current connection. */
  private readonly awaiting = new Set<number>()
  /** Acknowledgement packets MQTT.js produced and we have not released yet. */
  private readonly held = new Map<number, AckPacket>()
  /** Messages Kafka acknowledged before MQTT.js produced their acknowledgement packet. */
  private readonly releasedEarly = new Set<number>()
  private send: SendPacket | null = null
  /** Released acknowledgements, encoded back to back, that the next `writeReleased()` writes. */
  private queue = Buffer.allocUnsafe(INITIAL_QUEUE_BYTES)
  private queuedBytes = 0
  private writeScheduled = false

  install(client: MqttClient): void {
    this.client = client
    const internals = client as unknown as { _sendPacket: SendPacket }
    const original = internals._sendPacket.bind(client)
    this.send = original
    internals._sendPacket = (packet, done, ...rest) => {
      if (!isAck(packet) || !this.awaiting.has(packet.messageId)) {
        // Released acknowledgements go before anything MQTT.js sends after them, such as the DISCONNECT of a graceful end.
        this.writeReleased()
        return original(packet, done, ...rest)
      }
      const { messageId } = packet
      if (this.releasedEarly.delete(messageId)) {
        this.awaiting.delete(messageId)
        this.enqueue(packet)
      } else this.held.set(messageId, packet)
      done?.()
    }
    // A new connection has new packet ids: acknowledgements held for the old one must never be written on it.
    // The broker redelivers those messages (with DUP set) when the session persists.
    client.on('close', () => this.forgetConnection())
  }

  /** Marks a just-received QoS 1/2 message: its acknowledgement will wait for `release()`. */
  hold(messageId: number): AckToken {
    this.awaiting.add(messageId)
    return { messageId, connection: this.connection }
  }

  /**
   * Kafka has the message: its acknowledgement goes out, after those released before it, once the current
   * synchronous run of releases ends (a microtask later), unless the connection it arrived on is gone by then.
   */
  release({ messageId, connection }: AckToken): void {
    if (connection !== this.connection || !this.awaiting.has(messageId)) return
    const packet = this.held.get(messageId)
    if (packet === undefined) {
      this.releasedEarly.add(messageId)
      return
    }
    this.held.delete(messageId)
    this.awaiting.delete(messageId)
    this.enqueue(packet)
  }

  get pending(): number {
    return this.awaiting.size
  }

  private enqueue(packet: AckPacket): void {
    const header = fixedHeaderOf(packet)
    if (header === undefined) {
      // An acknowledgement with a reason code or properties: MQTT.js encodes it, after those queued before it.
      this.writeReleased()
      this.send?.(packet)
      return
    }
    if (this.queuedBytes + ACK_BYTES > this.queue.length) {
      const larger = Buffer.allocUnsafe(this.queue.length * 2)
      this.queue.copy(larger, 0, 0, this.queuedBytes)
      this.queue = larger
    }
    const at = this.queuedBytes
    this.queue[at] = header
    this.queue[at + 1] = 2
    this.queue.writeUInt16BE(packet.messageId, at + 2)
    this.queuedBytes = at + ACK_BYTES
    if (!this.writeScheduled) {
      this.writeScheduled = true
      queueMicrotask(this.writeScheduledReleases)
    }
  }

  private readonly writeScheduledReleases = (): void => {
    this.writeScheduled = false
    this.writeReleased()
  }

  /** Writes every queued acknowledgement as one buffer: one system call, whatever the count. */
  private writeReleased(): void {
    if (this.queuedBytes === 0) return
    const stream = this.client?.stream
    // A copy, as the queue is reused; the stream may hold on to the buffer until the kernel takes it.
    const bytes = Buffer.from(this.queue.subarray(0, this.queuedBytes))
    this.queuedBytes = 0
    if (stream === undefined || stream.destroyed || !stream.writable) return
    stream.write(bytes)
  }

  private forgetConnection(): void {
    this.connection++
    this.awaiting.clear()
    this.held.clear()
    this.releasedEarly.clear()
    this.queuedBytes = 0
  }
}

const isAck = (packet: Packet): packet is AckPacket =>
  (packet.cmd === 'puback' || packet.cmd === 'pubrec') && typeof packet.messageId === 'number'

/** The first byte of `packet` when it is the plain 4-byte form; `undefined` when it carries a reason code or properties. */
const fixedHeaderOf = (packet: AckPacket): number | undefined => {
  const { reasonCode, properties } = packet as { reasonCode?: number; properties?: object }
  if ((reasonCode ?? 0) !== 0 || properties !== undefined) return undefined
  return packet.cmd === 'puback' ? FIXED_HEADER.puback : packet.cmd === 'pubrec' ? FIXED_HEADER.pubrec : undefined
}
