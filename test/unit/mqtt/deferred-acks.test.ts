import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { describe, it } from 'node:test'
import type { MqttClient, Packet } from 'mqtt'
import { DeferredAcks } from '../../../connectors/mqtt/deferred-acks.ts'

/** The parts of an MQTT.js client DeferredAcks touches: `_sendPacket`, its `close` event and its stream. */
class FakeClient extends EventEmitter {
  /** What went through MQTT.js's own send: packets it encodes. */
  readonly sentByClient: Packet[] = []
  /** Bytes written straight to the stream, in order. */
  readonly written: Buffer[] = []
  readonly stream = { destroyed: false, writable: true, write: (bytes: Buffer) => this.written.push(bytes) }

  _sendPacket(packet: Packet, done?: () => void): void {
    this.sentByClient.push(packet)
    done?.()
  }

  /** MQTT.js answering a received QoS 1 message: it sends the PUBACK when its handler is done. */
  acknowledge(messageId: number, extra: Partial<Packet> = {}): void {
    ;(this as unknown as { _sendPacket: (packet: Packet, done?: () => void) => void })._sendPacket({ cmd: 'puback', messageId, ...extra } as Packet)
  }

  /** The message ids of the PUBACKs on the wire, decoded from the 4-byte packets written. */
  pubackIds(): number[] {
    const bytes = Buffer.concat(this.written)
    const ids: number[] = []
    for (let at = 0; at < bytes.length; at += 4) {
      assert.equal(bytes[at], 0x40, 'a PUBACK')
      assert.equal(bytes[at + 1], 2, 'remaining length 2')
      ids.push(bytes.readUInt16BE(at + 2))
    }
    return ids
  }
}

const setUp = () => {
  const client = new FakeClient()
  const acks = new DeferredAcks()
  acks.install(client as unknown as MqttClient)
  return { client, acks }
}

const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve))

describe('DeferredAcks', () => {
  it('holds a PUBACK until Kafka has the message, then writes it', async () => {
    const { client, acks } = setUp()
    const token = acks.hold(7)
    client.acknowledge(7)
    await tick()
    assert.deepEqual(client.pubackIds(), [], 'nothing before Kafka acknowledged')
    assert.equal(acks.pending, 1)
    acks.release(token)
    await tick()
    assert.deepEqual(client.pubackIds(), [7])
    assert.equal(acks.pending, 0)
  })

  it('writes acknowledgements in the order they are released, one buffer per burst', async () => {
    const { client, acks } = setUp()
    const tokens = [1, 2, 3].map((id) => acks.hold(id))
    for (const id of [1, 2, 3]) client.acknowledge(id)
    for (const token of tokens) acks.release(token)
    await tick()
    assert.deepEqual(client.pubackIds(), [1, 2, 3])
    assert.equal(client.written.length, 1, 'one write for the burst')
  })

  it('takes a release that comes before MQTT.js produced the PUBACK', async () => {
    const { client, acks } = setUp()
    const token = acks.hold(9)
    acks.release(token)
    client.acknowledge(9)
    await tick()
    assert.deepEqual(client.pubackIds(), [9])
  })

  it('never writes an acknowledgement of an old connection on a new one', async () => {
    const { client, acks } = setUp()
    const token = acks.hold(5)
    client.acknowledge(5)
    client.emit('close')
    acks.release(token)
    // The new connection reuses packet id 5 for another message.
    acks.hold(5)
    client.acknowledge(5)
    await tick()
    assert.deepEqual(client.pubackIds(), [], 'the broker redelivers the old message instead')
    assert.equal(acks.pending, 1, 'only the new message waits')
  })

  it('lets other packets through, after the acknowledgements released before them', async () => {
    const { client, acks } = setUp()
    const token = acks.hold(4)
    client.acknowledge(4)
    acks.release(token)
    ;(client as unknown as { _sendPacket: (packet: Packet) => void })._sendPacket({ cmd: 'disconnect' })
    assert.deepEqual(client.pubackIds(), [4], 'written before the DISCONNECT goes out')
    assert.deepEqual(client.sentByClient.map(({ cmd }) => cmd), ['disconnect'])
  })

  it('leaves an acknowledgement with a reason code to MQTT.js to encode, in release order', async () => {
    const { client, acks } = setUp()
    const first = acks.hold(1)
    const second = acks.hold(2)
    client.acknowledge(1)
    client.acknowledge(2, { reasonCode: 16 })
    acks.release(first)
    acks.release(second)
    assert.deepEqual(client.pubackIds(), [1], 'the plain one is written first')
    assert.deepEqual(client.sentByClient.map((packet) => (packet as { messageId?: number }).messageId), [2])
  })

  it('does not hold acknowledgements of messages nobody marked', () => {
    const { client, acks } = setUp()
    client.acknowledge(3)
    assert.deepEqual(client.sentByClient.map((packet) => (packet as { messageId?: number }).messageId), [3])
    assert.equal(acks.pending, 0)
  })
})
