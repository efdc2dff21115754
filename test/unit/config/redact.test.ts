import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { hiddenConfig, hideUriCredentials, redactingLogger, redactorOf, secretValuesOf } from '../../../src/config/redact.ts'
import { createLogger } from '../../../src/logger.ts'
import { errorTrace } from '../../../src/worker/error-trace.ts'

describe('secret redaction', () => {
  it('hides the password of a URI wherever it appears, keeping the user and host', () => {
    assert.equal(
      hideUriCredentials('Could not connect to MQTT broker tcp://bob:s3cr%40t@broker:1883,ssl://x:y@h: refused'),
      'Could not connect to MQTT broker tcp://bob:[hidden]@broker:1883,ssl://x:[hidden]@h: refused',
    )
    assert.equal(hideUriCredentials('tcp://broker:1883 and http://user@host'), 'tcp://broker:1883 and http://user@host')
  })

  it('takes the values of password keys, well-known secret keys under any prefix, and URI passwords as secrets', () => {
    const secrets = secretValuesOf(
      {
        'mqtt.password': 'p1',
        'producer.override.sasl.jaas.config': 'jaas',
        'value.converter.basic.auth.user.info': 'u:p',
        'mqtt.server.uri': 'tcp://u:p%21w@h',
        'my.token': 'tok',
        'mqtt.username': 'bob',
      },
      (key) => key === 'my.token',
    )
    assert.deepEqual(secrets.sort(), ['jaas', 'p!w', 'p%21w', 'p1', 'tok', 'u:p'])
  })

  it('replaces every occurrence of every secret, the longest first', () => {
    const redact = redactorOf(['abc', 'abcdef'])
    assert.equal(redact('x abcdef y abc'), 'x [hidden] y [hidden]')
  })

  it('shows a config with its secret values hidden', () => {
    assert.deepEqual(hiddenConfig({ 'mqtt.password': 'p', 'mqtt.server.uri': 'tcp://u:p@h', name: 'n' }), {
      'mqtt.password': '[hidden]',
      'mqtt.server.uri': 'tcp://u:[hidden]@h',
      name: 'n',
    })
  })

  it('redacts the message, the fields, errors and their causes, in child loggers too', () => {
    const lines: string[] = []
    const logger = redactingLogger(createLogger('INFO', { format: 'json', write: (line) => lines.push(line) }), redactorOf(['hunter2']))
    const error = new Error('login hunter2 refused', { cause: new Error('tcp://a:b@h said hunter2') })
    logger.child({ connector: 'c' }).error('failed with hunter2', { error, nested: { list: ['hunter2'] } })
    assert.equal(lines.length, 1)
    assert.doesNotMatch(lines[0]!, /hunter2|:b@/)
    assert.match(lines[0]!, /failed with \[hidden\]/)
    assert.match(lines[0]!, /"connector":"c"/)
  })

  it('keeps URI credentials out of a status trace, causes included', () => {
    const error = new Error('Could not connect to MQTT broker tcp://bob:s3cret@h:1883', { cause: new Error('ECONNREFUSED mqtt://bob:s3cret@h') })
    const trace = errorTrace(error)
    assert.match(trace, /tcp:\/\/bob:\[hidden\]@h:1883[\s\S]*Caused by: Error: ECONNREFUSED mqtt:\/\/bob:\[hidden\]@h/)
    assert.doesNotMatch(trace, /s3cret/)
  })
})
