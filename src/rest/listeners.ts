import type { AddressInfo } from 'node:net'
import type { SecureContextOptions, TlsOptions } from 'node:tls'
import type { FastifyInstance } from 'fastify'
import type { ListenerSpec, RestTls } from '../config/rest-config.ts'
import type { PemSource } from '../config/kafka-client-config.ts'
import { readPemSource } from '../config/pem-files.ts'
import { WorkerConfigError } from '../config/worker-config.ts'
import { ConfigError } from '../plugin/errors.ts'
import type { ListenerScope } from './request-guards.ts'
import { closeRestApp } from './app.ts'

/** Builds the REST app of one listener: with TLS for an https one, serving what its scope says. */
export type RestAppFactory = (listener: { readonly tls: TlsOptions | null; readonly scope: ListenerScope }) => FastifyInstance

export interface RunningListeners {
  /** The URL of each listener, as bound: `https://127.0.0.1:8443`. */
  readonly urls: readonly string[]
  /** Stops every listener, letting requests in progress finish for at most `graceMs`. */
  close(graceMs: number): Promise<void>
}

/**
 * One fastify app per listener, all over the same herder: fastify serves one server per instance, and an app of
 * its own gives each listener its own TLS and its own scope (REST, /admin, or both) without a check per request of
 * which socket it came in on. Fails naming the key when a key store or trust store cannot be read; whatever was
 * already listening is closed again.
 */
export const startRestListeners = async (listeners: readonly ListenerSpec[], createApp: RestAppFactory): Promise<RunningListeners> => {
  const apps: FastifyInstance[] = []
  const urls: string[] = []
  const close = async (graceMs: number): Promise<void> => {
    await Promise.all(apps.map((app) => closeRestApp(app, graceMs)))
  }
  try {
    for (const listener of listeners) {
      const tls = listener.tls === null ? null : await tlsOptionsOf(listener.tls)
      const app = createAppWithTls(createApp, listener, tls)
      apps.push(app)
      await app.listen({ host: listener.host, port: listener.port })
      const { port } = app.server.address() as AddressInfo
      const host = listener.host === '0.0.0.0' || listener.host === '::' ? '127.0.0.1' : listener.host
      urls.push(`${listener.protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`)
    }
  } catch (error) {
    await close(0)
    throw error
  }
  return { urls, close }
}

/** A key that does not fit its certificate, or a wrong ssl.key.password, throws as the server is created. */
const createAppWithTls = (createApp: RestAppFactory, listener: ListenerSpec, tls: TlsOptions | null): FastifyInstance => {
  try {
    return createApp({ tls, scope: { api: listener.api, admin: listener.admin } })
  } catch (error) {
    if (listener.tls === null) throw error
    const key = listener.tls.privateKey.key
    const reason = error instanceof Error ? error.message : String(error)
    throw new WorkerConfigError([{ key, message: `Invalid value for configuration ${key}: the key store cannot be used for ${listener.url} (${reason}); check it and ssl.key.password` }])
  }
}

/** Node's TLS options for a listener: `ssl.client.auth=required` refuses a client without a trusted certificate. */
export const tlsOptionsOf = async (tls: RestTls): Promise<TlsOptions> => {
  const [cert, key, ca] = await Promise.all([
    pemText(tls.certificateChain),
    pemText(tls.privateKey),
    tls.trustedCertificates === null ? Promise.resolve(undefined) : pemText(tls.trustedCertificates),
  ])
  const options: TlsOptions & SecureContextOptions = {
    cert,
    key,
    ...(ca === undefined ? {} : { ca }),
    ...(tls.keyPassword === null ? {} : { passphrase: tls.keyPassword }),
    requestCert: tls.clientAuth !== 'none',
    rejectUnauthorized: tls.clientAuth === 'required',
  }
  return options
}

/** A file a listener names that cannot be used stops the worker at start, naming its key. */
const pemText = async (source: PemSource): Promise<string> => {
  try {
    return await readPemSource(source)
  } catch (error) {
    if (!(error instanceof ConfigError) || !('path' in source)) throw error
    throw new WorkerConfigError([{ key: source.key, message: `Invalid value ${source.path} for configuration ${source.key}: ${error.reason}` }])
  }
}
