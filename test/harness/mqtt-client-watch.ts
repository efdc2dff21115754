import { connect, createServer, type Server, type Socket } from 'node:net'

export interface MqttClientWatch {
  /** Connect clients here instead of to the broker. */
  readonly url: string
  /** The most connections ever open at once under one client id, per client id. */
  maxConcurrent(): ReadonlyMap<string, number>
  /** How many times each client id connected. */
  connects(): ReadonlyMap<string, number>
  close(): Promise<void>
}

/**
 * A TCP relay in front of an MQTT broker that reads the client id of every CONNECT and tracks how many connections
 * each client id has open at a time: two at once means two clients (two copies of one task) used the same id, which
 * the broker would resolve by closing the older one. Bytes are relayed unchanged.
 */
export const startMqttClientWatch = async (brokerPort: number, host = '127.0.0.1'): Promise<MqttClientWatch> => {
  const open = new Map<string, number>()
  const peak = new Map<string, number>()
  const connectCounts = new Map<string, number>()
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const broker = connect({ host, port: brokerPort })
    sockets.add(client).add(broker)
    let clientId: string | null = null
    let pending: Buffer = Buffer.alloc(0)
    client.on('data', (chunk: Buffer) => {
      if (clientId === null) {
        pending = Buffer.concat([pending, chunk])
        const id = connectClientId(pending)
        if (id !== undefined) {
          clientId = id
          const now = (open.get(id) ?? 0) + 1
          open.set(id, now)
          peak.set(id, Math.max(peak.get(id) ?? 0, now))
          connectCounts.set(id, (connectCounts.get(id) ?? 0) + 1)
        }
      }
      broker.write(chunk)
    })
    broker.on('data', (chunk: Buffer) => client.write(chunk))
    const closed = () => {
      if (clientId !== null) open.set(clientId, (open.get(clientId) ?? 1) - 1)
      clientId = null
      client.destroy()
      broker.destroy()
      sockets.delete(client)
      sockets.delete(broker)
    }
    // Counted closed as soon as either side goes: the broker closing a duplicate's socket ends that session.
    client.once('close', closed)
    broker.once('close', closed)
    client.on('error', () => {})
    broker.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `mqtt://127.0.0.1:${port}`,
    maxConcurrent: () => new Map(peak),
    connects: () => new Map(connectCounts),
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The client id of the CONNECT packet at the start of `bytes`; undefined until the packet is complete. */
const connectClientId = (bytes: Buffer): string | undefined => {
  if (bytes.length < 2 || bytes[0]! >> 4 !== 1) return bytes.length >= 2 ? '' : undefined
  let at = 1
  let remaining = 0
  for (let shift = 0; ; shift += 7) {
    if (at >= bytes.length) return undefined
    const byte = bytes[at++]!
    remaining += (byte & 0x7f) << shift
    if ((byte & 0x80) === 0) break
  }
  if (bytes.length < at + remaining) return undefined
  const nameLength = bytes.readUInt16BE(at)
  at += 2 + nameLength
  const level = bytes[at]!
  at += 1 + 1 + 2 // level, flags, keep alive
  if (level === 5) {
    let propertiesLength = 0
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!
      propertiesLength += (byte & 0x7f) << shift
      if ((byte & 0x80) === 0) break
    }
    at += propertiesLength
  }
  const idLength = bytes.readUInt16BE(at)
  return bytes.toString('utf8', at + 2, at + 2 + idLength)
}
