/**
 * Kafka Connect's built-in single message transforms and predicates, under Kafka's class names. The runtime receives
 * them through these arrays; nothing registers itself on import.
 */
import type { PredicatePlugin, TransformationPlugin } from '../src/plugin/transformation.ts'
import { castKey, castValue } from './cast.ts'
import { dropHeaders } from './drop-headers.ts'
import { extractFieldKey, extractFieldValue } from './extract-field.ts'
import { filter } from './filter.ts'
import { flattenKey, flattenValue } from './flatten.ts'
import { headerFromKey, headerFromValue } from './header-from.ts'
import { hoistFieldKey, hoistFieldValue } from './hoist-field.ts'
import { insertFieldKey, insertFieldValue } from './insert-field.ts'
import { insertHeader } from './insert-header.ts'
import { maskFieldKey, maskFieldValue } from './mask-field.ts'
import { parseJsonKey, parseJsonValue } from './parse-json.ts'
import { predicatePlugins } from './predicates/index.ts'
import { regexRouter } from './regex-router.ts'
import { replaceFieldKey, replaceFieldValue } from './replace-field.ts'
import { setSchemaMetadataKey, setSchemaMetadataValue } from './set-schema-metadata.ts'
import { timestampConverterKey, timestampConverterValue } from './timestamp-converter.ts'
import { timestampRouter } from './timestamp-router.ts'
import { valueToKey } from './value-to-key.ts'

export { predicatePlugins }

export const transformationPlugins: readonly TransformationPlugin[] = Object.freeze([
  insertFieldKey,
  insertFieldValue,
  replaceFieldKey,
  replaceFieldValue,
  maskFieldKey,
  maskFieldValue,
  valueToKey,
  extractFieldKey,
  extractFieldValue,
  hoistFieldKey,
  hoistFieldValue,
  castKey,
  castValue,
  flattenKey,
  flattenValue,
  regexRouter,
  timestampRouter,
  timestampConverterKey,
  timestampConverterValue,
  setSchemaMetadataKey,
  setSchemaMetadataValue,
  filter,
  insertHeader,
  dropHeaders,
  headerFromKey,
  headerFromValue,
  // Ours, not Kafka's: parses JSON payloads (such as MQTT's) under errors.tolerance.
  parseJsonKey,
  parseJsonValue,
])

/** The same arrays under the names a plugin module exports (see src/plugins/user-plugins.ts). */
export const transformations: readonly TransformationPlugin[] = transformationPlugins
export const predicates: readonly PredicatePlugin[] = predicatePlugins
