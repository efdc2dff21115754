import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { resolveWorkerConfig, WorkerConfigError } from '../../../src/config/worker-config.ts'
import { createRestApp } from '../../../src/rest/app.ts'
import { restSecurityFrom, type RestSecurity } from '../../../src/rest/auth/rest-security.ts'
import { hashPasswordLine } from '../../../src/rest/auth/password-hash.ts'
import { FakeHerder, WORKER_INFO } from './fake-herder.ts'

const BASIC = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension'
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

/** A sample URL for a route as declared: every parameter filled in with the connector the fake herder has. */
const sampleUrl = (route: string): string =>
  route
    .replace(/:connector|:name/g, 'c1')
    .replace(/:task(Id)?/g, '0')
    .replace(/:plugin(Name)?|:pluginName/g, 'FakeSourceConnector')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace(/\*$/, 'x')

describe('REST authentication', () => {
  let dir: string
  let security: RestSecurity
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rest-auth-'))
    await writeFile(join(dir, 'users.properties'), 'alice: alice-secret\n')
    await writeFile(
      join(dir, 'jaas.conf'),
      `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${join(dir, 'users.properties')}";\n};\n`,
    )
    await writeFile(join(dir, 'credentials'), `# generated\n${await hashPasswordLine('bob', 'bob-secret', { cost: 2 ** 10, blockSize: 8, parallelization: 1 })}\n`)
    const config = resolveWorkerConfig(
      {
        'rest.extension.classes': BASIC,
        'java.security.auth.login.config': join(dir, 'jaas.conf'),
        'rest.basic.auth.credentials.file': join(dir, 'credentials'),
      },
      {},
    )
    security = await restSecurityFrom(config, {})
  })
  after(() => rm(dir, { recursive: true, force: true }))

  /** The app with every route recorded as it is registered, those other modules add included. */
  const appWithRoutes = async () => {
    const herder = new FakeHerder()
    await herder.createConnector('c1', { 'connector.class': 'FakeSourceConnector', 'mqtt.password': 'p' })
    const app = createRestApp(herder, WORKER_INFO, () => true, { security })
    const routes: { method: string; url: string }[] = []
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: route.url })
    })
    await app.ready()
    return { app, routes }
  }

  it('answers 401 with WWW-Authenticate and Kafka Connect\'s JSON error to a request without or with wrong credentials, on every route', async () => {
    const { app, routes } = await appWithRoutes()
    assert.ok(routes.some(({ url }) => url === '/connectors/:name/config'), JSON.stringify(routes))
    for (const { method, url } of routes.filter(({ url }) => url !== '/health')) {
      for (const authorization of [undefined, basic('alice', 'wrong'), basic('bob', 'alice-secret'), basic('mallory', 'x'), 'Bearer abc']) {
        const response = await app.inject({ method: method as 'GET', url: sampleUrl(url), ...(authorization === undefined ? {} : { headers: { authorization } }) })
        assert.equal(response.statusCode, 401, `${method} ${url} with ${authorization}`)
        assert.equal(response.headers['www-authenticate'], 'Basic realm="Kafka Connect", charset="UTF-8"')
        assert.deepEqual(response.json(), { error_code: 401, message: 'User cannot access the resource.' })
      }
    }
    await app.close()
  })

  it('lets the JAAS users file\'s users and the scrypt file\'s users in, on every route', async () => {
    const { app, routes } = await appWithRoutes()
    const config = await app.inject({ method: 'GET', url: '/connectors/c1/config', headers: { authorization: basic('bob', 'bob-secret') } })
    assert.equal(config.statusCode, 200)
    assert.equal(config.json<Record<string, string>>()['connector.class'], 'FakeSourceConnector')
    // Routes in order, DELETE /connectors/c1 among them: what matters is that none answers 401.
    for (const { method, url } of routes) {
      for (const authorization of [basic('alice', 'alice-secret'), basic('bob', 'bob-secret')]) {
        const response = await app.inject({ method: method as 'GET', url: sampleUrl(url), headers: { authorization } })
        assert.notEqual(response.statusCode, 401, `${method} ${url}`)
      }
    }
    await app.close()
  })

  it('leaves GET /health open for probes, and only that', async () => {
    const { app } = await appWithRoutes()
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200)
    assert.equal((await app.inject({ method: 'GET', url: '/health/' })).statusCode, 200)
    assert.equal((await app.inject({ method: 'GET', url: '/' })).statusCode, 401)
    assert.equal((await app.inject({ method: 'GET', url: '/no-such-path' })).statusCode, 401)
    await app.close()
  })

  it('stops the worker for an unknown rest.extension.classes entry, or a missing JAAS file, naming the key', async () => {
    const refusal = async (raw: Record<string, string>) => {
      try {
        await restSecurityFrom(resolveWorkerConfig(raw, {}), {})
      } catch (error) {
        assert.ok(error instanceof WorkerConfigError)
        return error.problems[0]!
      }
      assert.fail('expected a WorkerConfigError')
    }
    const unknown = await refusal({ 'rest.extension.classes': 'com.example.Missing' })
    assert.equal(unknown.key, 'rest.extension.classes')
    assert.match(unknown.message, /Class com\.example\.Missing could not be found/)
    assert.equal((await refusal({ 'rest.extension.classes': BASIC })).key, 'java.security.auth.login.config')
    assert.equal((await refusal({ 'rest.extension.classes': BASIC, 'java.security.auth.login.config': join(dir, 'missing.conf') })).key, 'java.security.auth.login.config')
    await writeFile(join(dir, 'other.conf'), 'KafkaConnect { com.example.EvilLoginModule required; };')
    assert.match((await refusal({ 'rest.extension.classes': BASIC, 'java.security.auth.login.config': join(dir, 'other.conf') })).message, /EvilLoginModule is not supported/)
  })

  it('runs a REST extension from plugin.path as a hook on every request', async () => {
    const plugin = join(dir, 'token-auth.ts')
    await writeFile(
      plugin,
      `export const restExtensions = [{ className: 'com.example.TokenAuth', create: (config) => async (request, reply) => {
        if (request.headers['x-token'] !== config['rest.extension.token']) await reply.code(403).send({ error_code: 403, message: 'no token' })
      } }]\n`,
    )
    const config = resolveWorkerConfig({ 'plugin.path': plugin, 'rest.extension.classes': 'com.example.TokenAuth', 'rest.extension.token': 't0ken' }, {})
    const app = createRestApp(new FakeHerder(), WORKER_INFO, () => true, { security: await restSecurityFrom(config, {}) })
    assert.equal((await app.inject({ method: 'GET', url: '/connectors' })).statusCode, 403)
    assert.equal((await app.inject({ method: 'GET', url: '/connectors', headers: { 'x-token': 't0ken' } })).statusCode, 200)
    await app.close()
  })
})

describe('REST listener scope and CORS', () => {
  it('serves /admin only on an admin listener, whatever the spelling of the path', async () => {
    const apiOnly = createRestApp(new FakeHerder(), WORKER_INFO, () => true, { scope: { api: true, admin: false } })
    apiOnly.get('/admin/scope-probe', async () => ({}))
    for (const url of ['/admin/scope-probe', '/%61dmin/scope-probe', '/admin/scope-probe/']) assert.equal((await apiOnly.inject({ method: 'GET', url })).statusCode, 404, url)
    assert.equal((await apiOnly.inject({ method: 'GET', url: '/connectors' })).statusCode, 200)
    const adminOnly = createRestApp(new FakeHerder(), WORKER_INFO, () => true, { scope: { api: false, admin: true } })
    adminOnly.get('/admin/scope-probe', async () => ({}))
    assert.equal((await adminOnly.inject({ method: 'GET', url: '/admin/scope-probe' })).statusCode, 200)
    assert.equal((await adminOnly.inject({ method: 'GET', url: '/connectors' })).statusCode, 404)
    await Promise.all([apiOnly.close(), adminOnly.close()])
  })

  it('adds CORS headers only for an allowed origin, and answers a preflight before authentication', async () => {
    const config = resolveWorkerConfig({ 'access.control.allow.origin': 'https://console.example', 'access.control.allow.methods': 'GET,PUT', 'rest.basic.auth.credentials.file': '' }, {})
    const security = await restSecurityFrom(config, {})
    const app = createRestApp(new FakeHerder(), WORKER_INFO, () => true, { security })
    const allowed = await app.inject({ method: 'GET', url: '/connectors', headers: { origin: 'https://console.example' } })
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://console.example')
    const other = await app.inject({ method: 'GET', url: '/connectors', headers: { origin: 'https://evil.example' } })
    assert.equal(other.headers['access-control-allow-origin'], undefined)
    const preflight = await app.inject({ method: 'OPTIONS', url: '/connectors/c1', headers: { origin: 'https://console.example', 'access-control-request-method': 'PUT' } })
    assert.equal(preflight.statusCode, 204)
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET,PUT')
    const open = createRestApp(new FakeHerder(), WORKER_INFO, () => true)
    assert.equal((await open.inject({ method: 'GET', url: '/connectors', headers: { origin: 'https://console.example' } })).headers['access-control-allow-origin'], undefined)
    await Promise.all([app.close(), open.close()])
  })
})
