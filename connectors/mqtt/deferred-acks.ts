import type { MqttClient, Packet } from 'mqtt'

/** Identifies one held acknowledgement on one connection. */
export interface AckToken {
  readonly messageId: number
  readonly connection: number
}

type SendPacket = (packet: Packet, done?: (error?: Error) => void, ...rest: unknown[]) => void

/**
 * Withholds the PUBACK (QoS 1) or PUBREC (QoS 2) of a received message until Kafka has it, without stalling MQTT.js.
 *
 * MQTT.js handles inbound packets one at a time and sends the acknowledgement when its handler finishes, so awaiting
 * Kafka in the handler would move one message per Kafka round trip. Instead the handler finishes at once and the
 * acknowledgement packet MQTT.js then writes is caught here and written later by `release()`. Acknowledgements are
 * released in the order messages arrived (the order Kafka acknowledges them), as MQTT requires for QoS 1.
 * MQTT.js has no public hook for this; `_sendPacket` is the one private method its own handlers use to reply.
 */
export class DeferredAcks {
  private connection = 0
  /** Message ids whose acknowledgement waits for Kafka on the current connection. */
  private readonly awaiting = new Set<number>()
  /** Acknowledgement packets MQTT.js produced and we have not written yet. */
  private readonly held = new Map<number, Packet>()
  /** Messages Kafka acknowledged before MQTT.js produced their acknowledgement packet. */
  private readonly releasedEarly = new Set<number>()
  private send: SendPacket | null = null

  install(client: MqttClient): void {
    const internals = client as unknown as { _sendPacket: SendPacket }
    const original = internals._sendPacket.bind(client)
    this.send = original
    internals._sendPacket = (packet, done, ...rest) => {
      const messageId = isAck(packet) ? packet.messageId : undefined
      if (messageId === undefined || !this.awaiting.has(messageId)) return original(packet, done, ...rest)
      if (this.releasedEarly.delete(messageId)) {
        this.awaiting.delete(messageId)
        return original(packet, done, ...rest)
      }
      this.held.set(messageId, packet)
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

  /** Kafka has the message: write its acknowledgement, unless the connection it arrived on is gone. */
  release({ messageId, connection }: AckToken): void {
    if (connection !== this.connection || !this.awaiting.has(messageId)) return
    const packet = this.held.get(messageId)
    if (packet === undefined) {
      this.releasedEarly.add(messageId)
      return
    }
    this.held.delete(messageId)
    this.awaiting.delete(messageId)
    this.send?.(packet)
  }

  get pending(): number {
    return this.awaiting.size
  }

  private forgetConnection(): void {
    this.connection++
    this.awaiting.clear()
    this.held.clear()
    this.releasedEarly.clear()
  }
}

const isAck = (packet: Packet): packet is Packet & { messageId: number } =>
  (packet.cmd === 'puback' || packet.cmd === 'pubrec') && typeof packet.messageId === 'number'
