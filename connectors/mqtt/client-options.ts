import { readFileSync } from 'node:fs'
import type { IClientOptions, MqttClient } from 'mqtt'
import { ConnectError } from '../../src/plugin/errors.ts'
import type { ConnectionConfig } from './connection-config.ts'
import { parseServerUris } from './server-uri.ts'

/** MQTT.js options for the shared connection keys: brokers, credentials, timeouts and TLS. */
export const connectionOptions = (config: ConnectionConfig): IClientOptions => {
  const servers = parseServerUris('mqtt.server.uri', config['mqtt.server.uri'])
  const read = (file: string): Buffer | undefined => (file === '' ? undefined : readFileSync(file))
  const ca = read(config['mqtt.ssl.ca.file'])
  const cert = read(config['mqtt.ssl.cert.file'])
  const key = read(config['mqtt.ssl.key.file'])
  return {
    servers,
    // MQTT.js insists on a top-level protocol once a client certificate is set, even with a server list.
    protocol: servers[0]!.protocol,
    keepalive: config['mqtt.keepalive.interval.seconds'],
    connectTimeout: config['mqtt.connect.timeout.seconds'] * 1000,
    ...(config['mqtt.username'] ? { username: config['mqtt.username'] } : {}),
    ...(config['mqtt.password'] ? { password: config['mqtt.password'] } : {}),
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: true,
    // Skipping only the host name check still verifies the chain against the CA.
    ...(config['mqtt.ssl.verify.hostname'] ? {} : { checkServerIdentity: () => undefined }),
  }
}

/** Resolves on the client's first connection; its first error instead ends the client and rejects, naming the brokers. */
export const firstConnection = (client: MqttClient, serverUris: readonly string[]): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const onConnect = (): void => {
      client.off('error', onError)
      resolve()
    }
    const onError = (error: Error): void => {
      client.off('connect', onConnect)
      client.end(true)
      reject(new ConnectError(`Could not connect to MQTT broker ${serverUris.join(',')}: ${error.message}`, { cause: error }))
    }
    client.once('connect', onConnect)
    client.once('error', onError)
  })
