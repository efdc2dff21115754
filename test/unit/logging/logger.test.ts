import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createLogger } from '../../../src/logger.ts'
import { resolveWorkerConfig, WorkerConfigError } from '../../../src/config/worker-config.ts'

const capture = (level: Parameters<typeof createLogger>[0] = 'INFO', format: 'json' | 'text' = 'json') => {
  const lines: string[] = []
  const logger = createLogger(level, { format, write: (line) => lines.push(line) })
  return { logger, lines, json: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) }
}

describe('the worker log', () => {
  it('writes one JSON object a line with the logger name and the bound connector and task', () => {
    const { logger, json } = capture()
    logger.named('org.apache.kafka.connect.runtime.WorkerSourceTask').child({ connector: 'sensors', task: 0 }).info('task started', { extra: 1 })
    const [line] = json()
    assert.equal(line?.level, 'info')
    assert.equal(line?.logger, 'org.apache.kafka.connect.runtime.WorkerSourceTask')
    assert.equal(line?.message, 'task started')
    assert.equal(line?.connector, 'sensors')
    assert.equal(line?.task, 0)
    assert.equal(line?.extra, 1)
    assert.match(String(line?.time), /^\d{4}-\d\d-\d\dT/)
  })

  it('writes nothing below a logger’s level, and follows a level changed at runtime at once', () => {
    const { logger, json } = capture()
    const mqtt = logger.named('io.mqttkafka.connect.mqtt.MqttSourceConnector').child({ connector: 'c', task: 1 })
    mqtt.debug('before')
    assert.equal(mqtt.isEnabled('debug'), false)
    logger.levels.setLevel('io.mqttkafka.connect.mqtt', 'DEBUG')
    mqtt.debug('after')
    mqtt.trace('still hidden')
    logger.info('root still at info')
    logger.debug('root debug hidden')
    assert.deepEqual(json().map(({ message }) => message), ['after', 'root still at info'])
  })

  it('writes a line for people in text format', () => {
    const { logger, lines } = capture('INFO', 'text')
    logger.named('org.apache.kafka.connect.runtime.Worker').warn('slow', { connector: 'x' })
    assert.match(lines[0] ?? '', /^\S+Z WARN {2}\[org\.apache\.kafka\.connect\.runtime\.Worker\] slow \{"connector":"x"\}\n$/)
  })

  it('never writes the value of a key that names a secret', () => {
    const { logger, lines } = capture()
    logger.info('config', { 'mqtt.password': 'hunter2', nested: { 'sasl.jaas.config': 'user="a" password="b"' } })
    assert.doesNotMatch(lines.join(''), /hunter2|password="b"/)
  })

  it('takes log.level in any case, as CONNECT_LOG_LEVEL=debug or DEBUG, and log.format', () => {
    assert.equal(resolveWorkerConfig({ 'log.level': 'debug' })['log.level'], 'DEBUG')
    assert.equal(resolveWorkerConfig({ 'log.level': 'TRACE' })['log.level'], 'TRACE')
    assert.equal(resolveWorkerConfig({})['log.level'], 'INFO')
    assert.equal(resolveWorkerConfig({ 'log.format': 'text' })['log.format'], 'text')
    assert.throws(
      () => resolveWorkerConfig({ 'log.level': 'loud' }),
      (error: unknown) => error instanceof WorkerConfigError && /log\.level: Invalid value loud for configuration log\.level: must be one of OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE, ALL/.test(error.message),
    )
    assert.throws(() => resolveWorkerConfig({ 'log.format': 'xml' }), (error: unknown) => error instanceof WorkerConfigError && /log\.format/.test(error.message))
  })
})
