import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { captureTopic, parseFilter, renderTemplate, toKafkaTopicName } from '../../../connectors/mqtt/topic-mapping.ts'

describe('topic filters with named captures', () => {
  it('subscribes a {name} level as + and captures it', () => {
    const filter = parseFilter('sensors/{site}/+/temperature')
    assert.equal(filter.subscription, 'sensors/+/+/temperature')
    assert.deepEqual(captureTopic([filter], 'sensors/lyon/t1/temperature'), { site: 'lyon' })
  })

  it('takes the captures of the first filter that matches, and none when no filter matches', () => {
    const filters = [parseFilter('a/{x}/b'), parseFilter('a/{y}/#')]
    assert.deepEqual(captureTopic(filters, 'a/1/b'), { x: '1' })
    assert.deepEqual(captureTopic(filters, 'a/2/c/d'), { y: '2' })
    assert.equal(captureTopic(filters, 'z/1/b'), null)
  })

  it('matches # against the parent level too, as MQTT does', () => {
    assert.deepEqual(captureTopic([parseFilter('{root}/#')], 'plant'), { root: 'plant' })
  })

  it('rejects partial captures, repeated names and misplaced wildcards', () => {
    assert.throws(() => parseFilter('a/x{site}'), /whole \{name\} capture/)
    assert.throws(() => parseFilter('{a}/{a}'), /captures \{a\} twice/)
    assert.throws(() => parseFilter('a/#/b'), /wildcard/)
    assert.throws(() => parseFilter('a/b+'), /wildcard/)
  })
})

describe('templates and Kafka topic names', () => {
  it('fills variables and leaves unknown ones empty', () => {
    assert.equal(renderTemplate('iot.{site}.{kind}', (name) => ({ site: 'lyon' })[name]), 'iot.lyon.')
  })

  it('replaces characters Kafka forbids with _ and keeps names within 249 characters', () => {
    assert.equal(toKafkaTopicName('iot.par is/ü.temp'), 'iot.par_is__.temp')
    assert.equal(toKafkaTopicName('x'.repeat(300)).length, 249)
    assert.equal(toKafkaTopicName('..'), '_')
  })
})
