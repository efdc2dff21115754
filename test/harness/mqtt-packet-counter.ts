import { createServer, connect, type Server, type Socket } from 'node:net'

/** MQTT control packet types (the high nibble of a packet's first byte), as the MQTT 3.1.1 and 5 specs number them. */
const PUBLISH = 3
const PUBACK = 4

export interface MqttPacketCounts {
  /** PUBLISH packets the broker sent to clients (any QoS). */
  readonly publishesToClient: number
  /** PUBACK packets clients sent to the broker. */
  readonly pubacksToBroker: number
}

export interface MqttPacketCounter {
  /** Connect clients here instead of to the broker. */
  readonly url: string
  /** Counts so far over every connection the proxy relayed. */
  counts(): MqttPacketCounts
  close(): Promise<void>
}

/**
 * A TCP relay in front of an MQTT broker that counts the packets it relays, by type and direction: a way to see from
 * outside a client how many acknowledgements it actually sent, without touching the client. Bytes are relayed
 * unchanged; when one side closes, the relay ends the other side after forwarding what it already has.
 */
export const startMqttPacketCounter = async (brokerPort: number, host = '127.0.0.1'): Promise<MqttPacketCounter> => {
  let publishesToClient = 0
  let pubacksToBroker = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const broker = connect({ host, port: brokerPort })
    sockets.add(client).add(broker)
    const upstream = packetTypeCounter((type) => {
      if (type === PUBACK) pubacksToBroker++
    })
    const downstream = packetTypeCounter((type) => {
      if (type === PUBLISH) publishesToClient++
    })
    client.on('data', (chunk: Buffer) => {
      upstream(chunk)
      if (!broker.write(chunk)) client.pause()
    })
    broker.on('drain', () => client.resume())
    broker.on('data', (chunk: Buffer) => {
      downstream(chunk)
      if (!client.write(chunk)) broker.pause()
    })
    client.on('drain', () => broker.resume())
    const closeBoth = (): void => {
      client.end()
      broker.end()
    }
    client.on('end', closeBoth).on('error', () => broker.destroy())
    broker.on('end', closeBoth).on('error', () => client.destroy())
    client.on('close', () => sockets.delete(client))
    broker.on('close', () => sockets.delete(broker))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host, port: 0 }, () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the MQTT packet counter has no port')
  return {
    url: `mqtt://${host}:${address.port}`,
    counts: () => ({ publishesToClient, pubacksToBroker }),
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * Splits a byte stream into MQTT packets by their fixed headers (type nibble, then the remaining length as a
 * variable byte integer) and reports each packet's type; packets may span chunks.
 */
const packetTypeCounter = (onPacket: (type: number) => void): ((chunk: Buffer) => void) => {
  /** Bytes of the current packet's body still to skip. */
  let skip = 0
  /** The fixed header read so far, while it is incomplete. */
  let header: number[] = []
  return (chunk) => {
    let i = 0
    while (i < chunk.length) {
      if (skip > 0) {
        const taken = Math.min(skip, chunk.length - i)
        skip -= taken
        i += taken
        continue
      }
      header.push(chunk[i]!)
      i++
      if (header.length === 1) continue
      const last = header[header.length - 1]!
      if ((last & 0x80) !== 0 && header.length < 5) continue
      let remaining = 0
      for (let k = header.length - 1; k >= 1; k--) remaining = remaining * 128 + (header[k]! & 0x7f)
      onPacket(header[0]! >> 4)
      skip = remaining
      header = []
    }
  }
}
