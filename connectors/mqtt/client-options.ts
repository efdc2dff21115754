import type { IClientOptions, MqttClient } from 'mqtt'
import { readConfigFile } from '../../src/plugin/config-files.ts'
import { ConnectError } from '../../src/plugin/errors.ts'
import { backoffDelay } from '../../src/plugin/retry.ts'
import type { ConnectionConfig } from './connection-config.ts'
import { parseServerUris } from './server-uri.ts'

/**
 * MQTT.js options for the shared connection keys: brokers, credentials, timeouts and TLS. Reading the files takes a
 * moment; a task that `isStopped()` by then gets an error instead, so that it never opens a connection after stop().
 */
export const connectionOptions = async (config: ConnectionConfig, isStopped: () => boolean): Promise<IClientOptions> => {
  const servers = parseServerUris('mqtt.server.uri', config['mqtt.server.uri'])
  const read = (key: 'mqtt.ssl.ca.file' | 'mqtt.ssl.cert.file' | 'mqtt.ssl.key.file'): Promise<Buffer | undefined> =>
    config[key] === '' ? Promise.resolve(undefined) : readConfigFile(key, config[key], { pem: true })
  const [ca, cert, key] = await Promise.all([read('mqtt.ssl.ca.file'), read('mqtt.ssl.cert.file'), read('mqtt.ssl.key.file')])
  if (isStopped()) throw new ConnectError('The task was stopped before it connected')
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

/**
 * Why a connection attempt ended, in words for a task's trace. MQTT.js reports some failures only by closing the
 * stream (a CONNECT packet it refused to encode, a broker that hung up before CONNACK), so the stream's own error is
 * read as well.
 */
export const connectionFailure = (client: MqttClient, error: Error | undefined, connectTimeoutSeconds: number): string => {
  const reason = error ?? (client.stream as { errored?: Error | null } | undefined)?.errored ?? undefined
  const closedEarly = 'the connection closed before the broker acknowledged it (no CONNACK)'
  if (reason === undefined) return closedEarly
  if (reason.message === 'connack timeout') return `no CONNACK within ${connectTimeoutSeconds} s (mqtt.connect.timeout.seconds)`
  // A peer that hangs up while CONNECT is being written shows as a reset rather than a close: the same story.
  const { code } = reason as Error & { code?: unknown }
  if (!client.connected && (code === 'ECONNRESET' || code === 'EPIPE')) return `${closedEarly}: ${reason.message}`
  return reason.message
}

/**
 * Resolves on the client's first connection. Every way the first attempt can end without one (an error, the
 * connection closing before CONNACK, a CONNACK refusing it, no CONNACK in time, the task stopping) ends the client
 * and rejects with the reason, naming the brokers: nothing waits on an event MQTT.js may never emit.
 */
export const firstConnection = (client: MqttClient, serverUris: readonly string[], connectTimeoutSeconds: number): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const settle = (error: Error | undefined): void => {
      client.off('connect', onConnect)
      client.off('error', onError)
      client.off('close', onClose)
      client.off('end', onEnd)
      if (error === undefined) return resolve()
      client.end(true)
      reject(error)
    }
    const failure = (reason: string, cause?: Error): Error =>
      new ConnectError(`Could not connect to MQTT broker ${serverUris.join(',')}: ${reason}`, { cause })
    const onConnect = (): void => settle(undefined)
    const onError = (error: Error): void => settle(failure(connectionFailure(client, error, connectTimeoutSeconds), error))
    const onClose = (): void => settle(failure(connectionFailure(client, undefined, connectTimeoutSeconds)))
    const onEnd = (): void => settle(failure('the task stopped before the connection was established'))
    client.once('connect', onConnect)
    client.once('error', onError)
    client.once('close', onClose)
    client.once('end', onEnd)
  })

/**
 * Keeps `report` told whether the client is connected, once the first connection is made: a lost connection is a
 * degraded task (MQTT.js reconnects meanwhile), a new one ends that. Ending the client on purpose reports nothing.
 */
export const reportConnectionHealth = (
  client: MqttClient,
  serverUris: readonly string[],
  connectTimeoutSeconds: number,
  report: (reason: string | null) => void,
): void => {
  client.on('close', () => {
    if (client.disconnecting) return
    report(`Disconnected from MQTT broker ${serverUris.join(',')}: ${connectionFailure(client, undefined, connectTimeoutSeconds)}; reconnecting`)
  })
  client.on('connect', () => report(null))
}

/** MQTT.js's wait before its first reconnect; later ones back off from it. */
export const INITIAL_RECONNECT_MS = 1_000

/**
 * Backs the client's reconnect attempts off, doubling with jitter from `INITIAL_RECONNECT_MS` up to `maxMs`, and
 * starts again from the beginning once connected. MQTT.js reads `reconnectPeriod` afresh before each attempt.
 */
export const backOffReconnects = (client: MqttClient, maxMs: number): void => {
  let attempt = 0
  client.on('reconnect', () => {
    client.options.reconnectPeriod = backoffDelay({ initialMs: INITIAL_RECONNECT_MS, maxMs }, ++attempt)
  })
  client.on('connect', () => {
    attempt = 0
    client.options.reconnectPeriod = INITIAL_RECONNECT_MS
  })
}

const GRACEFUL_END_MS = 2_000

/**
 * Ends a client: gracefully when connected, so the acknowledgements already written reach the broker before
 * DISCONNECT, and forcibly otherwise, so an attempt still waiting for CONNACK ends at once.
 */
export const endClient = async (client: MqttClient | null): Promise<void> => {
  if (client === null) return
  if (!client.connected) {
    await client.endAsync(true)
    return
  }
  let timer: NodeJS.Timeout | undefined
  const ended = await Promise.race([
    client.endAsync(false).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), GRACEFUL_END_MS))),
  ])
  clearTimeout(timer)
  // A broker that stops reading would keep a graceful end waiting forever: the socket is closed under it.
  if (!ended) client.stream.destroy()
}
