import type { z } from 'zod'
import type { ConfigKeyMeta, ConfigSchema, ConfigType } from '../plugin/config.ts'

/** One key's definition in Kafka's ConfigKeyInfo shape (`GET /connector-plugins/{plugin}/config`). */
export interface ConfigKeyInfo {
  readonly name: string
  readonly type: ConfigType
  readonly required: boolean
  readonly default_value: string | null
  readonly importance: 'HIGH' | 'MEDIUM' | 'LOW'
  readonly documentation: string
  readonly group: string | null
  readonly order_in_group: number
  readonly width: 'NONE'
  readonly display_name: string
  readonly dependents: readonly string[]
}

/** Turns a zod config declaration into Kafka's key definitions, in declaration order. */
export const describeConfig = (schema: ConfigSchema): ConfigKeyInfo[] => {
  const orderInGroup = new Map<string | null, number>()
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, member]) => {
    const meta = findMeta(member)
    const group = meta?.group ?? null
    const order = (orderInGroup.get(group) ?? 0) + 1
    orderInGroup.set(group, order)
    const defaulted = member.safeParse(undefined)
    return {
      name,
      type: meta?.type ?? inferType(member),
      required: !defaulted.success,
      default_value: defaulted.success ? formatDefault(defaulted.data) : null,
      importance: (meta?.importance ?? 'medium').toUpperCase() as ConfigKeyInfo['importance'],
      documentation: meta?.description ?? '',
      group,
      order_in_group: group === null ? -1 : order,
      width: 'NONE',
      display_name: meta?.displayName ?? name,
      dependents: [],
    }
  })
}

/** `documented()` may wrap the schema or sit inside `.default()`/`.optional()`; look through the wrappers. */
export const findMeta = (schema: z.ZodType): ConfigKeyMeta | undefined => {
  for (let current: z.ZodType | undefined = schema; current !== undefined; current = innerOf(current)) {
    const meta = current.meta() as Partial<ConfigKeyMeta> | undefined
    if (typeof meta?.description === 'string') return meta as ConfigKeyMeta
  }
  return undefined
}

const innerOf = (schema: z.ZodType): z.ZodType | undefined => {
  const def = schema.def as { innerType?: z.ZodType; in?: z.ZodType }
  return def.innerType ?? def.in
}

const inferType = (schema: z.ZodType): ConfigType => {
  const found = new Set<string>()
  const visit = (node: z.ZodType | undefined, depth: number): void => {
    if (node === undefined || depth > 8) return
    const def = node.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; options?: z.ZodType[] }
    found.add(def.type)
    visit(def.innerType, depth + 1)
    visit(def.in, depth + 1)
    visit(def.out, depth + 1)
    for (const option of def.options ?? []) visit(option, depth + 1)
  }
  visit(schema, 0)
  if (found.has('boolean')) return 'BOOLEAN'
  if (found.has('array')) return 'LIST'
  if (found.has('number')) return 'INT'
  return 'STRING'
}

const formatDefault = (value: unknown): string | null => {
  if (value === undefined || value === null) return null
  if (Array.isArray(value)) return value.join(',')
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return JSON.stringify(value)
}
