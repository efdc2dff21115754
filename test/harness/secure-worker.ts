import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { request } from 'node:https'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { projectRoot } from '../../scripts/infra/paths.ts'
import { waitFor } from '../../scripts/infra/wait.ts'
import { kafkaBootstrapServers } from './kafka.ts'

const run = promisify(execFile)

export interface TestCertificates {
  readonly caFile: string
  /** Server certificate and key in one PEM file, as Kafka's PEM key store holds them; for 127.0.0.1 and localhost. */
  readonly serverPemFile: string
  readonly clientCert: string
  readonly clientKey: string
  readonly ca: string
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl in `dir`. */
export const makeCertificates = async (dir: string): Promise<TestCertificates> => {
  const path = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => run('openssl', args)
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('ca.key'), '-out', path('ca.pem'), '-days', '2', '-subj', '/CN=test-ca')
  for (const [name, extension] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', path(`${name}.key`), '-out', path(`${name}.csr`), '-subj', `/CN=${name}`)
    await run('sh', [
      '-c',
      `printf '%s\\n' '${extension}' > ${path(`${name}.ext`)} && openssl x509 -req -in ${path(`${name}.csr`)} -CA ${path('ca.pem')} -CAkey ${path('ca.key')} -CAcreateserial -days 2 -extfile ${path(`${name}.ext`)} -out ${path(`${name}.pem`)}`,
    ])
  }
  await run('sh', ['-c', `cat ${path('server.key')} ${path('server.pem')} > ${path('server-store.pem')}`])
  return {
    caFile: path('ca.pem'),
    serverPemFile: path('server-store.pem'),
    clientCert: await readFile(path('client.pem'), 'utf8'),
    clientKey: await readFile(path('client.key'), 'utf8'),
    ca: await readFile(path('ca.pem'), 'utf8'),
  }
}

export interface HttpsAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: string
}

/** One HTTPS request with node's client, so that a test chooses the CA, the client certificate and the headers. */
export const httpsCall = (
  url: string,
  options: { readonly ca: string; readonly cert?: string; readonly key?: string; readonly headers?: Readonly<Record<string, string>>; readonly method?: string; readonly body?: string },
): Promise<HttpsAnswer> =>
  new Promise((resolve, reject) => {
    const call = request(url, { method: options.method ?? 'GET', ca: options.ca, cert: options.cert, key: options.key, headers: options.headers }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
      response.on('error', reject)
    })
    call.on('error', reject)
    call.end(options.body)
  })

export interface SecureWorker {
  readonly topics: { readonly config: string; readonly offsets: string; readonly status: string }
  log(): string
  stop(): Promise<void>
}

/**
 * A real worker process configured by a worker file's keys as CONNECT_* variables plus `env`, with internal topics
 * of its own; ready once `healthUrl` (a plain-HTTP listener of its config) answers.
 */
export const startSecureWorker = async (settings: Readonly<Record<string, string>>, healthUrl: string, env: NodeJS.ProcessEnv = {}): Promise<SecureWorker> => {
  const suffix = randomUUID().slice(0, 8)
  const topics = { config: `connect-configs-${suffix}`, offsets: `connect-offsets-${suffix}`, status: `connect-status-${suffix}` }
  const all: Record<string, string> = {
    'bootstrap.servers': kafkaBootstrapServers(),
    'group.id': `test-secure-${suffix}`,
    'config.storage.topic': topics.config,
    'offset.storage.topic': topics.offsets,
    'status.storage.topic': topics.status,
    'offset.storage.partitions': '1',
    'status.storage.partitions': '1',
    'offset.flush.interval.ms': '1000',
    ...settings,
  }
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
  for (const [key, value] of Object.entries(all)) childEnv[`CONNECT_${key.toUpperCase().replaceAll('.', '_')}`] = value
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'app/main.ts')], { cwd: projectRoot, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] })
  process.once('exit', () => child.kill('SIGKILL'))
  let output = ''
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  const ready = await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${output}`)
      return fetch(healthUrl).then(
        (response) => response.ok,
        () => false,
      )
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  )
  if (!ready) throw new Error(`worker did not answer on ${healthUrl} within 60 s:\n${output}`)
  return {
    topics,
    log: () => output,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 75_000)
      await exited
      clearTimeout(killer)
    },
  }
}
