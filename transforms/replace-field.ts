import { z } from 'zod'
import type { ConnectRecord } from '../src/data/record.ts'
import type { Schema } from '../src/data/schema.ts'
import { SchemaBuilder, copySchemaBasics } from '../src/data/schema-builder.ts'
import { Struct } from '../src/data/struct.ts'
import { csvList, documented } from '../src/plugin/config.ts'
import type { Transformation } from '../src/plugin/transformation.ts'
import { javaSplit } from './java-split.ts'
import { keyAndValuePlugins, operatingSchema, operatingValue, withOperating, type RecordPart } from './record-part.ts'
import { fieldValue, replaceNullWithDefaultKey } from './replace-null-with-default.ts'
import { requireStruct } from './requirements.ts'
import { requireMap, setEntry } from './schemaless-map.ts'

/** `from:to` pairs; Kafka rejects any mapping that does not split into exactly two parts. */
const renameProblem = (mappings: readonly string[]): string | undefined => {
  const bad = mappings.find((mapping) => javaSplit(mapping, ':').length !== 2)
  return bad === undefined ? undefined : `Invalid rename mapping: ${bad}`
}

export const replaceFieldConfig = z.object({
  exclude: documented(csvList().default([]), {
    description: 'Fields to exclude. This takes precedence over the fields to include.',
    importance: 'medium',
  }),
  include: documented(csvList().default([]), {
    description: 'Fields to include. If specified, only these fields will be used.',
    importance: 'medium',
  }),
  renames: documented(
    csvList()
      .superRefine((mappings, ctx) => {
        const problem = renameProblem(mappings)
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
      })
      .default([]),
    { description: 'Field rename mappings, as a list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>.', importance: 'medium' },
  ),
  'replace.null.with.default': replaceNullWithDefaultKey(),
  blacklist: documented(csvList().optional(), {
    description: 'Deprecated. Use exclude instead.',
    importance: 'low',
  }),
  whitelist: documented(csvList().optional(), {
    description: 'Deprecated. Use include instead.',
    importance: 'low',
  }),
})

export type ReplaceFieldConfig = z.output<typeof replaceFieldConfig>

const PURPOSE = 'field replacement'

/**
 * Kafka's ReplaceField: keeps only the `include`d fields (all when empty), drops the `exclude`d ones and renames
 * fields, in a struct or a schemaless map. The deprecated `whitelist`/`blacklist` apply only when `include`/`exclude`
 * are not given. A null key or value passes through unchanged.
 */
const replaceField = (config: ReplaceFieldConfig, part: RecordPart): Transformation => {
  const exclude = new Set(config.exclude.length > 0 ? config.exclude : (config.blacklist ?? []))
  const include = new Set(config.include.length > 0 ? config.include : (config.whitelist ?? []))
  const renames = new Map<string, string>()
  for (const mapping of config.renames) {
    const [from, to] = javaSplit(mapping, ':') as [string, string]
    renames.set(from, to)
  }
  const reverseRenames = new Map([...renames].map(([from, to]) => [to, from]))
  const replaceNullWithDefault = config['replace.null.with.default']
  const schemaUpdates = new WeakMap<Schema, Schema>()

  const kept = (name: string): boolean => !exclude.has(name) && (include.size === 0 || include.has(name))
  const renamed = (name: string): string => renames.get(name) ?? name
  const reverseRenamed = (name: string): string => reverseRenames.get(name) ?? name

  const updatedSchemaFor = (schema: Schema): Schema => {
    let updated = schemaUpdates.get(schema)
    if (updated !== undefined) return updated
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const field of schema.fields ?? []) if (kept(field.name)) builder.field(renamed(field.name), field.schema)
    updated = builder.build()
    schemaUpdates.set(schema, updated)
    return updated
  }

  return {
    apply<R extends ConnectRecord>(record: R): R {
      const value = operatingValue(record, part)
      if (value === null || value === undefined) return record
      if (operatingSchema(record, part) === null) {
        const updated: Record<string, unknown> = {}
        for (const [name, fieldVal] of Object.entries(requireMap(value, PURPOSE))) {
          if (kept(name)) setEntry(updated, renamed(name), fieldVal)
        }
        return withOperating(record, part, null, updated)
      }
      const struct = requireStruct(value, PURPOSE)
      const schema = updatedSchemaFor(struct.schema)
      const updated = new Struct(schema)
      for (const field of schema.fields ?? []) {
        updated.put(field.name, fieldValue(struct, reverseRenamed(field.name), replaceNullWithDefault))
      }
      return withOperating(record, part, schema, updated)
    },
  }
}

export const [replaceFieldKey, replaceFieldValue] = keyAndValuePlugins('ReplaceField', replaceFieldConfig, replaceField)
