import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DataError } from '../../../src/plugin/errors.ts'
import { timestampRouter } from '../../../transforms/timestamp-router.ts'
import { applied, assertRejects, configure, sourceRecord } from './records.ts'

describe('TimestampRouter', () => {
  it('is registered under its Kafka class name', () => {
    assert.equal(timestampRouter.className, 'org.apache.kafka.connect.transforms.TimestampRouter')
  })

  it('appends the UTC date by default', () => {
    const result = applied(configure(timestampRouter), sourceRecord({ topic: 'test', timestamp: 1483425001864 }))
    assert.equal(result.topic, 'test-20170103')
  })

  it('follows topic.format and timestamp.format', () => {
    const xform = configure(timestampRouter, { 'topic.format': 'logs_${timestamp}_${topic}', 'timestamp.format': "yyyy-MM-dd'T'HH" })
    assert.equal(applied(xform, sourceRecord({ topic: 'app', timestamp: Date.UTC(2024, 1, 29, 23, 59) })).topic, 'logs_2024-02-29T23_app')
  })

  it('fails on a record without a timestamp', () => {
    assert.throws(() => configure(timestampRouter).apply(sourceRecord({ timestamp: null })), DataError)
  })

  it('rejects a pattern SimpleDateFormat would reject', () => {
    assertRejects(timestampRouter, { 'timestamp.format': 'yyyyMMddQ' }, 'timestamp.format', "Illegal pattern character 'Q'")
  })
})
