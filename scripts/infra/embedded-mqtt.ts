// An MQTT broker inside this process, for the quickstart on a machine without Mosquitto: aedes (MQTT 3.1 and 3.1.1,
// QoS 0-2, retained messages and sessions in memory). Tests use a real Mosquitto; this is for trying things out.
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Aedes } from 'aedes'

export interface EmbeddedMqttBroker {
  readonly url: string
  readonly port: number
  /** The library and its version, e.g. `aedes 1.2.0`, for telling the user which broker runs. */
  readonly name: string
  /** Closes the listener and every client connection, then the broker. */
  stop(): Promise<void>
}

/** The version of the aedes in use, from its package.json (which its "exports" do not expose). */
const aedesVersion = (): string => {
  for (let folder = dirname(fileURLToPath(import.meta.resolve('aedes'))); dirname(folder) !== folder; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json')
    if (!existsSync(manifest)) continue
    const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string }
    if (name === 'aedes') return version
  }
  return 'version unknown'
}

const listen = (server: Server, host: string, port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject)
      resolve()
    })
  })

/** Starts a broker on `host:port` (port 0: any free one) and resolves once it accepts connections. */
export async function startEmbeddedMqttBroker({ host = '127.0.0.1', port }: { host?: string; port: number }): Promise<EmbeddedMqttBroker> {
  const broker = await Aedes.createBroker()
  const server = createServer(broker.handle)
  try {
    await listen(server, host, port)
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()))
    const reason = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `${host}:${port} is already in use` : String(error)
    throw new Error(`the embedded MQTT broker could not listen: ${reason}`, { cause: error })
  }
  const address = server.address()
  const boundPort = address !== null && typeof address === 'object' ? address.port : port
  let stopping: Promise<void> | undefined
  return {
    url: `mqtt://${host}:${boundPort}`,
    port: boundPort,
    name: `aedes ${aedesVersion()}`,
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        // Closing the broker ends the client connections, without which server.close() would wait for them.
        await new Promise<void>((resolve) => broker.close(() => resolve()))
        await closed
      })()),
  }
}
