import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { configProvidersFrom } from '../../../src/config/config-providers.ts'
import { ConfigError } from '../../../src/plugin/errors.ts'

const FILE = 'org.apache.kafka.common.config.provider.FileConfigProvider'
const DIR = 'org.apache.kafka.common.config.provider.DirectoryConfigProvider'
const ENV = 'org.apache.kafka.common.config.provider.EnvVarConfigProvider'

describe('config providers', () => {
  let root: string
  let allowed: string
  let outside: string
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'config-providers-'))
    allowed = join(root, 'allowed')
    outside = join(root, 'outside')
    await mkdir(join(allowed, 'secrets'), { recursive: true })
    await mkdir(outside, { recursive: true })
    await writeFile(join(allowed, 'creds.properties'), 'mqtt.password=from-file\nother: value\n')
    await writeFile(join(allowed, 'secrets', 'password'), 'from-dir')
    await writeFile(join(outside, 'creds.properties'), 'mqtt.password=outside\n')
    await symlink(join(outside, 'creds.properties'), join(allowed, 'escape.properties'))
  })
  after(() => rm(root, { recursive: true, force: true }))

  const providers = (env: NodeJS.ProcessEnv = {}) =>
    configProvidersFrom(
      {
        'config.providers': 'file,dir,env',
        'config.providers.file.class': FILE,
        'config.providers.file.param.allowed.paths': allowed,
        'config.providers.dir.class': DIR,
        'config.providers.dir.param.allowed.paths': allowed,
        'config.providers.env.class': ENV,
        'config.providers.env.param.allowlist.pattern': 'MQTT_.*',
      },
      env,
    )

  const refusal = (config: Record<string, string>, env: NodeJS.ProcessEnv = {}): ConfigError => {
    try {
      providers(env).resolve(config)
    } catch (error) {
      assert.ok(error instanceof ConfigError)
      return error
    }
    assert.fail('expected a ConfigError')
  }

  it('resolves ${file:path:key}, ${dir:path:file} and ${env:NAME} and reports what they resolved to as secrets', () => {
    const resolved = providers({ MQTT_PASSWORD: 'from-env' }).resolve({
      a: `\${file:${join(allowed, 'creds.properties')}:mqtt.password}`,
      b: `\${dir:${join(allowed, 'secrets')}:password}`,
      c: 'user-${env:MQTT_PASSWORD}',
    })
    assert.deepEqual(resolved.values, { a: 'from-file', b: 'from-dir', c: 'user-from-env' })
    assert.deepEqual([...resolved.secrets].sort(), ['from-dir', 'from-env', 'from-file'])
  })

  it('leaves placeholders of providers it does not have as they are, as Kafka does (MQTT sink topic templates)', () => {
    const template = 'out/${topic}/${header:site}'
    assert.deepEqual(providers().resolve({ 'mqtt.topic': template }).values, { 'mqtt.topic': template })
  })

  it('refuses a path outside allowed.paths, naming the key, with the same answer whether or not the file exists', () => {
    const existing = refusal({ 'mqtt.password': `\${file:${join(outside, 'creds.properties')}:mqtt.password}` })
    const missing = refusal({ 'mqtt.password': `\${file:${join(outside, 'nothing-here.properties')}:mqtt.password}` })
    assert.equal(existing.key, 'mqtt.password')
    assert.match(existing.reason, /is not within config\.providers\.file\.param\.allowed\.paths$/)
    assert.equal(missing.reason.replace('nothing-here', 'creds'), existing.reason)
  })

  it('refuses ../ out of an allowed path, a sibling with the same prefix, and a symbolic link out of it', () => {
    assert.match(refusal({ k: `\${file:${allowed}/../outside/creds.properties:mqtt.password}` }).reason, /not within/)
    assert.match(refusal({ k: `\${file:${allowed}-other/creds.properties:mqtt.password}` }).reason, /not within/)
    assert.match(refusal({ k: `\${file:${join(allowed, 'escape.properties')}:mqtt.password}` }).reason, /leads out of/)
    assert.match(refusal({ k: `\${dir:${join(allowed, 'secrets')}:../../outside/creds.properties}` }).reason, /is not a file name/)
  })

  it('names the key for a missing key, a missing file, a variable outside the allowlist and an unset one', () => {
    assert.match(refusal({ k: `\${file:${join(allowed, 'creds.properties')}:nope}` }).reason, /has no key nope/)
    assert.match(refusal({ k: `\${file:${join(allowed, 'gone.properties')}:x}` }).reason, /file not found/)
    assert.match(refusal({ k: '${env:HOME}' }, { HOME: '/root' }).reason, /not allowed by config\.providers\.env\.param\.allowlist\.pattern/)
    assert.equal(refusal({ k: '${env:MQTT_UNSET}' }).key, 'k')
  })

  it('check() reports every problem at once and resolves nothing then', () => {
    const { problems, resolved } = providers().check({ a: '${env:MQTT_UNSET}', b: `\${file:${outside}/x:y}`, c: 'plain' })
    assert.deepEqual(problems.map(({ key }) => key), ['a', 'b'])
    assert.equal(resolved, null)
  })

  it('refuses an unknown provider class or a provider without one, naming the key', () => {
    assert.throws(
      () => configProvidersFrom({ 'config.providers': 'vault', 'config.providers.vault.class': 'com.example.VaultConfigProvider' }),
      (error: unknown) => error instanceof ConfigError && error.key === 'config.providers.vault.class',
    )
    assert.throws(
      () => configProvidersFrom({ 'config.providers': 'file' }),
      (error: unknown) => error instanceof ConfigError && error.key === 'config.providers.file.class',
    )
  })
})
