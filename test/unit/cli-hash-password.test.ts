import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { describe, it } from 'node:test'
import { parseArguments, UsageError } from '../../src/cli.ts'
import { parseHashedCredentials, passwordFromStdin, verifyPassword, hashPasswordLine } from '../../src/rest/auth/password-hash.ts'

describe('mqtt-kafka-connect hash-password', () => {
  it('takes exactly one user name, and never the password, on the command line', () => {
    assert.deepEqual(parseArguments(['hash-password', 'alice']), { command: 'hash-password', user: 'alice' })
    assert.throws(() => parseArguments(['hash-password']), UsageError)
    assert.throws(() => parseArguments(['hash-password', 'alice', 'secret']), UsageError)
  })

  it('reads the password as the first line of stdin and writes a line the credentials file accepts', async () => {
    const password = await passwordFromStdin(Readable.from(['s3cr', 'et\nignored\n']))
    assert.equal(password, 's3cret')
    const line = await hashPasswordLine('alice', password, { cost: 2 ** 10, blockSize: 8, parallelization: 1 })
    assert.equal(await verifyPassword(parseHashedCredentials(line).get('alice')!, 's3cret'), true)
  })
})
