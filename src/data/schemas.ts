import type { Schema, SchemaType } from './schema.ts'

const primitive = (type: SchemaType, optional: boolean): Schema => Object.freeze({ type, optional })

/** The primitive schemas Kafka Connect predefines on `Schema` (`Schema.INT32_SCHEMA`, `Schema.OPTIONAL_STRING_SCHEMA`, ...). */
export const Schemas = Object.freeze({
  INT8_SCHEMA: primitive('int8', false),
  INT16_SCHEMA: primitive('int16', false),
  INT32_SCHEMA: primitive('int32', false),
  INT64_SCHEMA: primitive('int64', false),
  FLOAT32_SCHEMA: primitive('float32', false),
  FLOAT64_SCHEMA: primitive('float64', false),
  BOOLEAN_SCHEMA: primitive('boolean', false),
  STRING_SCHEMA: primitive('string', false),
  BYTES_SCHEMA: primitive('bytes', false),

  OPTIONAL_INT8_SCHEMA: primitive('int8', true),
  OPTIONAL_INT16_SCHEMA: primitive('int16', true),
  OPTIONAL_INT32_SCHEMA: primitive('int32', true),
  OPTIONAL_INT64_SCHEMA: primitive('int64', true),
  OPTIONAL_FLOAT32_SCHEMA: primitive('float32', true),
  OPTIONAL_FLOAT64_SCHEMA: primitive('float64', true),
  OPTIONAL_BOOLEAN_SCHEMA: primitive('boolean', true),
  OPTIONAL_STRING_SCHEMA: primitive('string', true),
  OPTIONAL_BYTES_SCHEMA: primitive('bytes', true),
})

/** Whether a type is a primitive (has no child schemas). */
export const isPrimitiveType = (type: SchemaType): boolean => type !== 'array' && type !== 'map' && type !== 'struct'
