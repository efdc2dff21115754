import { createServer, connect, type Server } from 'node:net'

function listenOnAnyPort(host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address()
      if (address === null || typeof address === 'string') {
        server.close()
        reject(new Error(`could not read the port bound on ${host}`))
        return
      }
      resolve({ server, port: address.port })
    })
  })
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/**
 * Returns `count` distinct ports that were free on `host` a moment ago.
 * All are held open together so the kernel cannot hand out the same one twice.
 */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const held: Server[] = []
  try {
    const ports: number[] = []
    for (let i = 0; i < count; i++) {
      const { server, port } = await listenOnAnyPort(host)
      held.push(server)
      ports.push(port)
    }
    return ports
  } finally {
    await Promise.all(held.map(close))
  }
}

export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await findFreePorts(1, host)
  if (port === undefined) throw new Error('findFreePorts returned no port')
  return port
}

/** True when a TCP connection to host:port succeeds within `timeoutMs`. */
export function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const finish = (listening: boolean): void => {
      socket.destroy()
      resolve(listening)
    }
    socket.setTimeout(timeoutMs, () => finish(false))
    socket.once('connect', () => finish(true))
    socket.once('error', () => finish(false))
  })
}
