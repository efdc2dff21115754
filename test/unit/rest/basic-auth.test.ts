import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { basicCredentialsOf, createBasicAuthenticator } from '../../../src/rest/auth/basic-auth.ts'
import { usersFileOfJaas } from '../../../src/rest/auth/jaas-file.ts'
import { hashPasswordLine, parseHashedCredentials, verifyPassword } from '../../../src/rest/auth/password-hash.ts'

const FAST = { cost: 2 ** 10, blockSize: 8, parallelization: 1 }

describe('basic auth', () => {
  it('reads Basic credentials as Kafka Connect does: the password may hold colons, other schemes are ignored', () => {
    assert.deepEqual(basicCredentialsOf(`basic ${Buffer.from('u:p:q').toString('base64')}`), { user: 'u', password: 'p:q' })
    assert.equal(basicCredentialsOf('Bearer x'), null)
    assert.equal(basicCredentialsOf(`Basic ${Buffer.from(':p').toString('base64')}`), null)
    assert.equal(basicCredentialsOf(undefined), null)
  })

  it('writes scrypt lines that verify the right password only, each with its own salt', async () => {
    const line = await hashPasswordLine('bob', 'pa:ss wörd', FAST)
    assert.match(line, /^bob:scrypt:1024:8:1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/)
    assert.notEqual(line, await hashPasswordLine('bob', 'pa:ss wörd', FAST))
    const credential = parseHashedCredentials(line).get('bob')!
    assert.equal(await verifyPassword(credential, 'pa:ss wörd'), true)
    assert.equal(await verifyPassword(credential, 'pa:ss word'), false)
  })

  it('refuses a malformed credentials line, naming it', () => {
    assert.throws(() => parseHashedCredentials('# c\nbob:plain:secret'), /line 2 is not user:scrypt:N:r:p:salt:hash/)
    assert.throws(() => parseHashedCredentials('bob:scrypt:1000:8:1:AAAA:AAAA'), /power of two/)
    assert.throws(() => parseHashedCredentials(`bob:scrypt:${2 ** 30}:8:1:AAAA:AAAA`), /more than 1 GiB/)
  })

  it('accepts a plain user or a hashed one, and nobody else', async () => {
    const hashed = parseHashedCredentials(await hashPasswordLine('bob', 'b', FAST))
    const authenticate = createBasicAuthenticator({ plain: new Map([['alice', 'a']]), hashed })
    const header = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    assert.equal(await authenticate(header('alice', 'a')), 'alice')
    assert.equal(await authenticate(header('bob', 'b')), 'bob')
    assert.equal(await authenticate(header('bob', 'b')), 'bob')
    assert.equal(await authenticate(header('alice', 'b')), null)
    assert.equal(await authenticate(header('bob', 'a')), null)
    assert.equal(await authenticate(header('carol', 'a')), null)
  })

  it('reads the users file of a KafkaConnect JAAS section, and refuses any other login module', () => {
    const jaas = `// comment\nKafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="/etc/connect/users.properties";\n};\n`
    assert.deepEqual(usersFileOfJaas(jaas), { file: '/etc/connect/users.properties' })
    assert.match(String((usersFileOfJaas('KafkaConnect { com.sun.security.auth.module.LdapLoginModule required; };') as { problem: string }).problem), /is not supported/)
    assert.match(String((usersFileOfJaas('KafkaServer { x required; };') as { problem: string }).problem), /no KafkaConnect/)
  })
})
