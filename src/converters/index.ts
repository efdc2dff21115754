/**
 * The converters this runtime ships, registered by explicit arrays (never by import side effects). A connector config
 * names a converter by Kafka's class name (`org.apache.kafka.connect.json.JsonConverter`) or by a short alias (`json`).
 */
import type { ConverterPlugin, HeaderConverterPlugin } from '../plugin/converter.ts'
import { avroConverterPlugin } from './avro-converter.ts'
import { byteArrayConverterPlugin, byteArrayHeaderConverterPlugin } from './byte-array-converter.ts'
import { jsonConverterPlugin, jsonHeaderConverterPlugin } from './json-converter.ts'
import { primitiveConverterPlugins, primitiveHeaderConverterPlugins } from './primitive-converters.ts'
import { simpleHeaderConverterPlugin } from './simple-header-converter.ts'
import { stringConverterPlugin, stringHeaderConverterPlugin } from './string-converter.ts'

export const converterPlugins: readonly ConverterPlugin[] = [
  jsonConverterPlugin,
  stringConverterPlugin,
  byteArrayConverterPlugin,
  avroConverterPlugin,
  ...primitiveConverterPlugins,
]

export const headerConverterPlugins: readonly HeaderConverterPlugin[] = [
  simpleHeaderConverterPlugin,
  stringHeaderConverterPlugin,
  jsonHeaderConverterPlugin,
  byteArrayHeaderConverterPlugin,
  ...primitiveHeaderConverterPlugins,
]

const matches = (plugin: ConverterPlugin | HeaderConverterPlugin, nameOrAlias: string): boolean =>
  plugin.className === nameOrAlias || plugin.aliases.some((alias) => alias.toLowerCase() === nameOrAlias.toLowerCase())

/** The converter registered under a class name (exact) or alias (any case), or `undefined`. */
export const findConverterPlugin = (nameOrAlias: string): ConverterPlugin | undefined =>
  converterPlugins.find((plugin) => matches(plugin, nameOrAlias.trim()))

/** The header converter registered under a class name (exact) or alias (any case), or `undefined`. */
export const findHeaderConverterPlugin = (nameOrAlias: string): HeaderConverterPlugin | undefined =>
  headerConverterPlugins.find((plugin) => matches(plugin, nameOrAlias.trim()))

export { AVRO_CONVERTER_CLASS, AvroConverter, avroConverterConfig, avroConverterPlugin, createAvroConverter } from './avro-converter.ts'
export type { AvroConverterConfig } from './avro-converter.ts'
export { SchemaRegistryClient, SchemaRegistryError } from './schema-registry-client.ts'
export type { SchemaRegistryClientOptions } from './schema-registry-client.ts'
export { ByteArrayConverter, BYTE_ARRAY_CONVERTER_CLASS, byteArrayConverterPlugin, byteArrayHeaderConverterPlugin } from './byte-array-converter.ts'
export {
  JSON_CONVERTER_CLASS,
  JsonConverter,
  asConnectSchema,
  asJsonSchema,
  createJsonConverter,
  jsonConverterConfig,
  jsonConverterPlugin,
  jsonHeaderConverterPlugin,
} from './json-converter.ts'
export type { JsonConverterConfig } from './json-converter.ts'
export type { DecimalFormat, JsonDataOptions } from './json-data.ts'
export { JAVA_CHARSET_NAMES, findJavaCharset } from './java-charsets.ts'
export type { JavaCharset } from './java-charsets.ts'
export {
  BooleanConverter,
  NumberConverter,
  booleanConverterPlugin,
  doubleConverterPlugin,
  floatConverterPlugin,
  integerConverterPlugin,
  longConverterPlugin,
  primitiveConverterPlugins,
  primitiveHeaderConverterPlugins,
  shortConverterPlugin,
} from './primitive-converters.ts'
export { SIMPLE_HEADER_CONVERTER_CLASS, SimpleHeaderConverter, simpleHeaderConverterPlugin } from './simple-header-converter.ts'
export {
  STRING_CONVERTER_CLASS,
  StringConverter,
  createStringConverter,
  stringConverterConfig,
  stringConverterPlugin,
  stringHeaderConverterPlugin,
} from './string-converter.ts'
