import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { converterPlugins, findConverterPlugin, findHeaderConverterPlugin, headerConverterPlugins } from '../../../src/converters/index.ts'
import { configuredConverter, configuredHeaderConverter } from '../../../src/converters/converter-options.ts'

void describe('converter registry', () => {
  void it('registers the JSON, string, byte-array, Avro and primitive converters under their class names', () => {
    assert.deepEqual(converterPlugins.map((p) => p.className), [
      'org.apache.kafka.connect.json.JsonConverter',
      'org.apache.kafka.connect.storage.StringConverter',
      'org.apache.kafka.connect.converters.ByteArrayConverter',
      'io.confluent.connect.avro.AvroConverter',
      'org.apache.kafka.connect.converters.BooleanConverter',
      'org.apache.kafka.connect.converters.DoubleConverter',
      'org.apache.kafka.connect.converters.FloatConverter',
      'org.apache.kafka.connect.converters.IntegerConverter',
      'org.apache.kafka.connect.converters.LongConverter',
      'org.apache.kafka.connect.converters.ShortConverter',
    ])
  })

  void it('registers the primitive converters as header converters too, as Kafka\'s implement HeaderConverter', () => {
    const names = headerConverterPlugins.map((p) => p.className)
    for (const simpleName of ['BooleanConverter', 'DoubleConverter', 'FloatConverter', 'IntegerConverter', 'LongConverter', 'ShortConverter']) {
      assert.ok(names.includes(`org.apache.kafka.connect.converters.${simpleName}`), simpleName)
    }
  })

  void it('finds a converter by class name or by alias in any case', () => {
    assert.equal(findConverterPlugin('org.apache.kafka.connect.json.JsonConverter')?.aliases[0], 'JsonConverter')
    assert.equal(findConverterPlugin('json')?.className, 'org.apache.kafka.connect.json.JsonConverter')
    assert.equal(findConverterPlugin('StringConverter')?.className, 'org.apache.kafka.connect.storage.StringConverter')
    assert.equal(findConverterPlugin('STRING')?.className, 'org.apache.kafka.connect.storage.StringConverter')
    assert.equal(findConverterPlugin('io.confluent.connect.avro.AvroConverter')?.className, 'io.confluent.connect.avro.AvroConverter')
    assert.equal(findConverterPlugin('avro')?.className, 'io.confluent.connect.avro.AvroConverter')
  })

  void it('registers SimpleHeaderConverter first among the header converters, as Kafka\'s default', () => {
    assert.equal(headerConverterPlugins[0]?.className, 'org.apache.kafka.connect.storage.SimpleHeaderConverter')
    assert.equal(findHeaderConverterPlugin('simple')?.className, 'org.apache.kafka.connect.storage.SimpleHeaderConverter')
  })

  void it('gives every plugin a unique class name and unique aliases', () => {
    for (const plugins of [converterPlugins, headerConverterPlugins]) {
      const names = plugins.flatMap((p) => [p.className, ...p.aliases.map((a) => a.toLowerCase())])
      assert.equal(new Set(names).size, names.length)
    }
  })

  void it('creates working converters', () => {
    const options = { 'schema.registry.url': 'http://localhost:8081' }
    for (const plugin of converterPlugins) assert.equal(typeof configuredConverter(plugin, options, 'value.converter.', false).toConnectData, 'function')
    for (const plugin of headerConverterPlugins) assert.equal(typeof configuredHeaderConverter(plugin, {}, 'header.converter.').toConnectHeader, 'function')
  })
})
