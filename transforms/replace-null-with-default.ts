import type { Struct } from '../src/data/struct.ts'
import { booleanString, documented } from '../src/plugin/config.ts'

/** The `replace.null.with.default` key several of Kafka's transformations share (KIP-1040). */
export const replaceNullWithDefaultKey = () =>
  documented(booleanString().default(true), {
    description:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
    importance: 'medium',
  })

/** A struct field's value, with or without falling back to the field's default. */
export const fieldValue = (struct: Struct, fieldName: string, replaceNullWithDefault: boolean): unknown =>
  replaceNullWithDefault ? struct.get(fieldName) : struct.getWithoutDefault(fieldName)
