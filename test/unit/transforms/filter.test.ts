import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { filter } from '../../../transforms/filter.ts'
import { configure, sinkRecord, sourceRecord } from './records.ts'

describe('Filter', () => {
  it('is registered under its Kafka class name and needs no config', () => {
    assert.equal(filter.className, 'org.apache.kafka.connect.transforms.Filter')
    assert.deepEqual(Object.keys(filter.config.shape), [])
  })

  it('drops every record, tombstones included', () => {
    const xform = configure(filter)
    assert.equal(xform.apply(sourceRecord({ value: 'v' })), null)
    assert.equal(xform.apply(sinkRecord({ value: null })), null)
  })
})
