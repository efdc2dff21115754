import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseTopicTemplate, renderTopic, TopicTemplateError } from '../../../connectors/mqtt/sink-topic-template.ts'
import { stringHeader } from '../../../src/data/headers.ts'
import { SchemaBuilder } from '../../../src/data/schema-builder.ts'
import { Struct } from '../../../src/data/struct.ts'
import { DataError } from '../../../src/plugin/errors.ts'
import { sinkRecord } from '../transforms/records.ts'

const render = (template: string, fields: Parameters<typeof sinkRecord>[0] = {}): string => renderTopic(parseTopicTemplate(template), sinkRecord(fields))

const rejects = (template: string, reason: RegExp): void => {
  assert.throws(
    () => parseTopicTemplate(template),
    (error: unknown) => error instanceof TopicTemplateError && reason.test(error.reason),
  )
}

describe('mqtt.topic template', () => {
  describe('parsing', () => {
    it('splits literal text and every kind of placeholder, in order', () => {
      assert.deepEqual(parseTopicTemplate('site/${topic}/${key}/${header:device}/${value:room}/state'), [
        { kind: 'text', text: 'site/' },
        { kind: 'topic' },
        { kind: 'text', text: '/' },
        { kind: 'key' },
        { kind: 'text', text: '/' },
        { kind: 'header', name: 'device' },
        { kind: 'text', text: '/' },
        { kind: 'value', field: 'room' },
        { kind: 'text', text: '/state' },
      ])
    })

    it('reads a template without placeholders as one literal, and a lone $ as text', () => {
      assert.deepEqual(parseTopicTemplate('alerts/$SYS-like/cost$'), [{ kind: 'text', text: 'alerts/$SYS-like/cost$' }])
    })

    it('keeps everything after the first colon as the header or field name', () => {
      assert.deepEqual(parseTopicTemplate('${header:a:b}'), [{ kind: 'header', name: 'a:b' }])
    })

    it('rejects an empty template', () => rejects('', /must not be empty/))
    it('rejects an unclosed placeholder, naming its position', () => rejects('a/${key', /unclosed placeholder at position 2/))
    it('rejects an unknown placeholder and lists the valid ones', () => rejects('a/${partition}', /unknown placeholder \$\{partition\}.*\$\{topic\}, \$\{key\}/))
    it('rejects a placeholder with spaces rather than guessing', () => rejects('${ key }', /unknown placeholder/))
    it('rejects ${header:} without a header name', () => rejects('${header:}', /without a header name/))
    it('rejects ${value:} without a field name', () => rejects('x/${value:}', /without a field name/))
    it('rejects the + wildcard in literal text', () => rejects('plant/+/temperature', /'\+'.*only in subscriptions/))
    it('rejects the # wildcard in literal text', () => rejects('plant/#', /'#'/))
  })

  describe('rendering', () => {
    it('uses the Kafka topic by default', () => {
      assert.equal(render('${topic}', { topic: 'sensors' }), 'sensors')
    })

    it('fills ${key} from a string, number or bytes key', () => {
      assert.equal(render('devices/${key}/state', { key: 'boiler-7' }), 'devices/boiler-7/state')
      assert.equal(render('devices/${key}', { key: 42 }), 'devices/42')
      assert.equal(render('devices/${key}', { key: 9007199254740993n }), 'devices/9007199254740993')
      assert.equal(render('devices/${key}', { key: Buffer.from('b-1') }), 'devices/b-1')
    })

    it('lets a key with slashes add topic levels', () => {
      assert.equal(render('${key}/set', { key: 'home/kitchen/light' }), 'home/kitchen/light/set')
    })

    it('fills ${header:<name>} from the last header with that name', () => {
      const headers = [stringHeader('site', 'old'), stringHeader('other', 'x'), stringHeader('site', 'plant-2')]
      assert.equal(render('${header:site}/${topic}', { topic: 't', headers }), 'plant-2/t')
    })

    it('fills ${value:<field>} from a struct, a Map or a plain object', () => {
      const schema = SchemaBuilder.struct().field('room', SchemaBuilder.string().build()).field('floor', SchemaBuilder.int32().build()).build()
      const struct = new Struct(schema).put('room', 'kitchen').put('floor', 2)
      assert.equal(render('house/${value:floor}/${value:room}', { valueSchema: schema, value: struct }), 'house/2/kitchen')
      assert.equal(render('house/${value:room}', { value: new Map([['room', 'hall']]) }), 'house/hall')
      assert.equal(render('house/${value:room}', { value: { room: 'attic' } }), 'house/attic')
    })

    const failsFor = (template: string, fields: Parameters<typeof sinkRecord>[0], reason: RegExp): void => {
      assert.throws(
        () => render(template, fields),
        (error: unknown) => error instanceof DataError && /mqtt\.topic.*test-0 at offset 42/.test(error.message) && reason.test(error.message),
      )
    }

    it('fails a record whose key is null, naming the record', () => failsFor('d/${key}', { key: null }, /\$\{key\} is null/))
    it('fails a record without the header', () => failsFor('${header:site}', {}, /no header 'site'/))
    it('fails a record whose value lacks the field', () => failsFor('${value:room}', { value: { floor: 1 } }, /no field 'room'/))
    it('fails a record whose value is not a struct or map', () => failsFor('${value:room}', { value: 'text' }, /needs a struct or map value/))
    it('fails a record whose key would put a wildcard in the topic', () => failsFor('d/${key}', { key: 'a/+' }, /wildcard/))
    it('fails a record whose topic comes out empty', () => failsFor('${key}', { key: '' }, /empty/))
    it('fails a record whose key is a struct', () => {
      const schema = SchemaBuilder.struct().field('id', SchemaBuilder.string().build()).build()
      failsFor('d/${key}', { keySchema: schema, key: new Struct(schema).put('id', 'x') }, /not a string, number or boolean/)
    })
  })
})
