import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import { findFreePorts } from '../../scripts/infra/ports.ts'
import { resolveWorkerConfig, WorkerConfigError } from '../../src/config/worker-config.ts'
import { createRestApp } from '../../src/rest/app.ts'
import { startRestListeners, type RunningListeners } from '../../src/rest/listeners.ts'
import { httpsCall, makeCertificates, type TestCertificates } from '../harness/secure-worker.ts'
import { makeTestTempDir } from '../harness/temp.ts'
import { FakeHerder, WORKER_INFO } from '../unit/rest/fake-herder.ts'

const run = promisify(execFile)

/** The REST apps of a worker config over a fake herder, listening on real sockets. */
const listen = async (raw: Record<string, string>): Promise<RunningListeners> => {
  const config = resolveWorkerConfig(raw, {})
  const herder = new FakeHerder()
  return startRestListeners(config.restListeners, ({ tls, scope }) => {
    const app = createRestApp(herder, WORKER_INFO, () => true, { tls, scope })
    // Stands in for the /admin routes, whoever registers them.
    app.get('/admin/probe', async () => ({ admin: true }))
    return app
  })
}

describe('REST listeners on real sockets', () => {
  let dir: string
  let certificates: TestCertificates
  let encryptedKeyStore: string
  before(async () => {
    dir = await makeTestTempDir('rest-listeners-')
    certificates = await makeCertificates(dir)
    encryptedKeyStore = join(dir, 'encrypted-store.pem')
    await run('sh', ['-c', `openssl pkcs8 -topk8 -in ${join(dir, 'server.key')} -passout pass:key-pw -out ${join(dir, 'server-enc.key')} && cat ${join(dir, 'server-enc.key')} ${join(dir, 'server.pem')} > ${encryptedKeyStore}`])
  })
  after(() => rm(dir, { recursive: true, force: true }))

  it('serves every listener at once, /admin only on admin.listeners', async () => {
    const [httpPort, httpsPort, adminPort] = await findFreePorts(3)
    const listeners = await listen({
      listeners: `http://127.0.0.1:${httpPort},https://127.0.0.1:${httpsPort}`,
      'listeners.https.ssl.keystore.location': encryptedKeyStore,
      'listeners.https.ssl.key.password': 'key-pw',
      'admin.listeners': `http://127.0.0.1:${adminPort}`,
    })
    try {
      assert.deepEqual(listeners.urls, [`http://127.0.0.1:${httpPort}`, `https://127.0.0.1:${httpsPort}`, `http://127.0.0.1:${adminPort}`])
      assert.equal((await fetch(`http://127.0.0.1:${httpPort}/connectors`)).status, 200)
      assert.equal((await httpsCall(`https://127.0.0.1:${httpsPort}/connectors`, { ca: certificates.ca })).status, 200)
      assert.equal((await fetch(`http://127.0.0.1:${httpPort}/admin/probe`)).status, 404)
      assert.equal((await httpsCall(`https://127.0.0.1:${httpsPort}/admin/probe`, { ca: certificates.ca })).status, 404)
      assert.equal((await fetch(`http://127.0.0.1:${adminPort}/admin/probe`)).status, 200)
      assert.equal((await fetch(`http://127.0.0.1:${adminPort}/connectors`)).status, 404)
    } finally {
      await listeners.close(0)
    }
  })

  it('with ssl.client.auth=requested lets a client in with or without a certificate', async () => {
    const [port] = await findFreePorts(1)
    const requested = await listen({
      listeners: `https://127.0.0.1:${port}`,
      'ssl.keystore.location': certificates.serverPemFile,
      'ssl.truststore.location': certificates.caFile,
      'ssl.client.auth': 'requested',
    })
    try {
      assert.equal((await httpsCall(`https://127.0.0.1:${port}/connectors`, { ca: certificates.ca })).status, 200)
      const withCertificate = await httpsCall(`https://127.0.0.1:${port}/connectors`, { ca: certificates.ca, cert: certificates.clientCert, key: certificates.clientKey })
      assert.equal(withCertificate.status, 200)
    } finally {
      await requested.close(0)
    }
  })

  it('stops naming the key for a wrong key password or a key store that is not PEM, and leaves nothing listening', async () => {
    const [first, second] = await findFreePorts(2)
    const refusal = async (raw: Record<string, string>) => {
      try {
        await listen(raw)
      } catch (error) {
        assert.ok(error instanceof WorkerConfigError, String(error))
        return error.problems[0]!
      }
      assert.fail('expected a WorkerConfigError')
    }
    const wrongPassword = await refusal({
      listeners: `http://127.0.0.1:${first},https://127.0.0.1:${second}`,
      'listeners.https.ssl.keystore.location': encryptedKeyStore,
      'listeners.https.ssl.key.password': 'not-it',
    })
    assert.equal(wrongPassword.key, 'listeners.https.ssl.keystore.location')
    assert.match(wrongPassword.message, /check it and ssl\.key\.password/)
    assert.doesNotMatch(wrongPassword.message, /not-it/)
    // The http listener opened before the https one failed is closed again.
    await assert.rejects(fetch(`http://127.0.0.1:${first}/connectors`))
    await run('openssl', ['x509', '-in', join(dir, 'server.pem'), '-outform', 'DER', '-out', join(dir, 'server.der')])
    const notPem = await refusal({ listeners: `https://127.0.0.1:${second}`, 'listeners.https.ssl.keystore.location': join(dir, 'server.der') })
    assert.equal(notPem.key, 'listeners.https.ssl.keystore.location')
    assert.match(notPem.message, /is not a PEM file .*openssl pkcs12/)
  })
})
