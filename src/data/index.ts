/**
 * The data layer's public surface: schemas, structs, logical types, records and headers.
 *
 * How Connect values are held in JS (what `validateValue` accepts, what converters produce):
 * - int8, int16, int32, float32, float64: `number` (integers must fit their width).
 * - int64: `bigint` is canonical and what converters produce; a safe-integer `number` is accepted too.
 * - boolean: `boolean`; string: `string`.
 * - bytes: `Uint8Array` (a Node `Buffer` is one).
 * - array: a JS array (`readonly unknown[]`).
 * - map: a `Map<unknown, unknown>`; a plain object with string keys is accepted too.
 * - struct: a {@link Struct} whose schema equals the field's schema.
 * - logical types, recognised by schema name: Decimal → {@link DecimalValue} `{ unscaled: bigint, scale }`;
 *   Date, Time and Timestamp → a JS `Date` (Date at midnight UTC, Time on 1970-01-01 UTC).
 * - a missing value: `null` (`undefined` is treated as `null`), allowed only where the schema is optional.
 *
 * `Date`, `Time`, `Timestamp` and `Decimal` carry Kafka's class names; import `Date as ConnectDate` to keep JS's Date.
 */
export type { Field, Schema, SchemaAndValue, SchemaType } from './schema.ts'
export { findField } from './schema.ts'
export { Schemas, isPrimitiveType } from './schemas.ts'
export { SchemaBuilder, SchemaBuilderError, copySchemaBasics } from './schema-builder.ts'
export { Struct } from './struct.ts'
export {
  INT64_MAX,
  INT64_MIN,
  describeType,
  displayString,
  isMapValue,
  isPlainObject,
  mapEntries,
  schemasEqual,
  validateValue,
  valuesEqual,
} from './values.ts'
export type { DecimalValue } from './logical-types.ts'
export {
  Date,
  Decimal,
  LOGICAL_TYPE_NAMES,
  Time,
  Timestamp,
  bigintFromBytes,
  bigintToBytes,
  decimalFromString,
  decimalToPlainString,
  decimalToString,
  decimalValue,
  isDecimalValue,
} from './logical-types.ts'
export { convertToString, formatDate, parseString } from './value-strings.ts'
export { formatDouble, formatFloat, formatJsonNumber, formatNumber } from './java-numbers.ts'
export type { ConnectHeader, ConnectHeaders } from './headers.ts'
export { stringHeader } from './headers.ts'
export type { ConnectRecord, SinkRecord, SourcePartition, SourceOffset, SourceRecord, TimestampType } from './record.ts'
