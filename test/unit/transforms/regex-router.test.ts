import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { regexRouter } from '../../../transforms/regex-router.ts'
import { applied, assertRejects, configure, sinkRecord } from './records.ts'

const route = (regex: string, replacement: string, topic: string): string =>
  applied(configure(regexRouter, { regex, replacement }), sinkRecord({ topic })).topic

describe('RegexRouter', () => {
  it('is registered under its Kafka class name', () => {
    assert.equal(regexRouter.className, 'org.apache.kafka.connect.transforms.RegexRouter')
  })

  it('leaves a topic that does not match alone', () => {
    assert.equal(route('(.*)', '$1', 'orig'), 'orig')
    assert.equal(route('foo', 'bar', 'orig'), 'orig')
    assert.equal(route('orig', 'new', 'origin'), 'origin', 'the whole topic must match')
  })

  it('replaces with a static string', () => {
    assert.equal(route('foo', 'bar', 'foo'), 'bar')
  })

  it('adds a prefix and a suffix', () => {
    assert.equal(route('(.*)', 'prefix-$1', 'orig'), 'prefix-orig')
    assert.equal(route('(.*)', '$1-suffix', 'orig'), 'orig-suffix')
  })

  it('slices with groups, numbered and named', () => {
    assert.equal(route('(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)', '$1', 'index-20160117'), 'index')
    assert.equal(route('(?<name>[a-z]+)-\\d+', '${name}', 'index-42'), 'index')
    assert.equal(route('a(b)', '\\$1$1', 'ab'), '$1b', 'a backslash escapes a dollar')
  })

  it('keeps the rest of the record', () => {
    const record = sinkRecord({ topic: 'foo', value: 'v', kafkaOffset: 7n })
    const result = applied(configure(regexRouter, { regex: 'foo', replacement: 'bar' }), record)
    assert.equal(result.value, 'v')
    assert.equal(result.kafkaOffset, 7n)
  })

  it('rejects an invalid regex and a replacement naming a missing group', () => {
    assertRejects(regexRouter, { regex: '(', replacement: 'x' }, 'regex', 'Invalid regex')
    assertRejects(regexRouter, { regex: '(.*)', replacement: '$2' }, 'replacement', 'No group 2')
    assertRejects(regexRouter, { replacement: 'x' }, 'regex', 'Missing required configuration')
    assertRejects(regexRouter, { regex: 'x' }, 'replacement', 'Missing required configuration')
  })
})
