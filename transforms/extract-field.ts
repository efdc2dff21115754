import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import { documented } from '../src/plugin/config.ts'
import { DataError } from '../src/plugin/errors.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { FieldPathError, SingleFieldPath, fieldSyntaxVersionKey } from './field-path.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { replaceNullWithDefaultKey } from './replace-null-with-default.ts'
import { requireStructOrNull } from './requirements.ts'
import { requireMapOrNull } from './schemaless-map.ts'

export const extractFieldConfig = z
  .object({
    field: documented(z.string().trim(), {
      description: 'Field name to extract.',
      importance: 'medium',
    }),
    'field.syntax.version': fieldSyntaxVersionKey(),
    'replace.null.with.default': replaceNullWithDefaultKey(),
  })
  .superRefine((config, ctx) => {
    try {
      new SingleFieldPath(config.field, config['field.syntax.version'])
    } catch (error) {
      if (!(error instanceof FieldPathError)) throw error
      ctx.addIssue({ code: 'custom', path: ['field'], message: error.message })
    }
  })

export type ExtractFieldConfig = z.output<typeof extractFieldConfig>

const PURPOSE = 'field extraction'

/**
 * Kafka's ExtractField: replaces the key or value with one of its fields (a nested one with
 * `field.syntax.version=V2`). A null struct or map gives a null result; with a schema, the field's schema replaces it.
 */
const extractField = (config: ExtractFieldConfig, part: RecordPart): Transformation => {
  const path = new SingleFieldPath(config.field, config['field.syntax.version'])
  const replaceNullWithDefault = config['replace.null.with.default']
  return {
    apply<R extends ConnectRecord>(record: R): R {
      const schema = operatingSchema(record, part)
      if (schema === null) {
        const map = requireMapOrNull(operatingValue(record, part), PURPOSE)
        return withOperating(record, part, null, map === null ? null : path.valueFromMap(map))
      }
      const struct = requireStructOrNull(operatingValue(record, part), PURPOSE)
      const field = path.fieldFrom(schema)
      if (field === undefined) throw new DataError(`Unknown field: ${config.field}`)
      return withOperating(record, part, field.schema, struct === null ? null : path.valueFromStruct(struct, replaceNullWithDefault))
    },
  }
}

export const [extractFieldKey, extractFieldValue] = keyAndValuePlugins('ExtractField', extractFieldConfig, extractField)
