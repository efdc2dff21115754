import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { predicatePlugins } from '../../../transforms/predicates/index.ts'
import { hasHeaderKey } from '../../../transforms/predicates/has-header-key.ts'
import { recordIsTombstone } from '../../../transforms/predicates/record-is-tombstone.ts'
import { topicNameMatches } from '../../../transforms/predicates/topic-name-matches.ts'
import { assertRejects, configure, sinkRecord, sourceRecord } from './records.ts'

describe('TopicNameMatches', () => {
  it('is registered under its Kafka class name', () => {
    assert.equal(topicNameMatches.className, 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches')
  })

  it('tests the whole topic name against the pattern', () => {
    const predicate = configure(topicNameMatches, { pattern: 'my-prefix-.*' })
    assert.equal(predicate.test(sourceRecord({ topic: 'my-prefix-' })), true)
    assert.equal(predicate.test(sourceRecord({ topic: 'my-prefix-foo' })), true)
    assert.equal(predicate.test(sourceRecord({ topic: 'x-my-prefix-' })), false)
    assert.equal(predicate.test(sourceRecord({ topic: 'my-prefix' })), false)
  })

  it('honours a leading inline flag', () => {
    assert.equal(configure(topicNameMatches, { pattern: '(?i)sensors' }).test(sourceRecord({ topic: 'SENSORS' })), true)
  })

  it('rejects an empty, missing or invalid pattern', () => {
    assertRejects(topicNameMatches, {}, 'pattern', 'Missing required configuration')
    assertRejects(topicNameMatches, { pattern: '' }, 'pattern', 'String must be non-empty')
    assertRejects(topicNameMatches, { pattern: '[' }, 'pattern', 'entry must be a Java-compatible regular expression')
  })
})

describe('HasHeaderKey', () => {
  it('is registered under its Kafka class name', () => {
    assert.equal(hasHeaderKey.className, 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey')
  })

  it('is true when at least one header has the name', () => {
    const predicate = configure(hasHeaderKey, { name: 'foo' })
    assert.equal(predicate.test(sourceRecord({ headers: [{ key: 'foo', schema: null, value: null }] })), true)
    assert.equal(predicate.test(sourceRecord({ headers: [{ key: 'bar', schema: null, value: 1 }, { key: 'foo', schema: null, value: 2 }] })), true)
    assert.equal(predicate.test(sourceRecord({ headers: [{ key: 'bar', schema: null, value: 1 }] })), false)
    assert.equal(predicate.test(sourceRecord({ headers: [] })), false)
  })

  it('rejects an empty or missing name', () => {
    assertRejects(hasHeaderKey, {}, 'name', 'Missing required configuration')
    assertRejects(hasHeaderKey, { name: '' }, 'name', 'String must be non-empty')
  })
})

describe('RecordIsTombstone', () => {
  it('is registered under its Kafka class name', () => {
    assert.equal(recordIsTombstone.className, 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone')
  })

  it('is true exactly when the value is null', () => {
    const predicate = configure(recordIsTombstone)
    assert.equal(predicate.test(sinkRecord({ key: 'k', value: null })), true)
    assert.equal(predicate.test(sinkRecord({ value: 'v' })), false)
    assert.equal(predicate.test(sinkRecord({ value: 0 })), false)
  })
})

describe('predicatePlugins', () => {
  it('lists the three Kafka predicates, each with unique names', () => {
    assert.equal(predicatePlugins.length, 3)
    const names = predicatePlugins.flatMap((p) => [p.className, ...p.aliases])
    assert.equal(new Set(names).size, names.length)
  })
})
