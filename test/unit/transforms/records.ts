import assert from 'node:assert/strict'
import type { ConnectRecord, SinkRecord, SourceRecord } from '../../../src/data/record.ts'
import type { Schema } from '../../../src/data/schema.ts'
import { schemasEqual, valuesEqual } from '../../../src/data/values.ts'
import { parseConfig, type ConfigProblem } from '../../../src/plugin/config.ts'
import type { Predicate, PredicatePlugin, Transformation, TransformationPlugin } from '../../../src/plugin/transformation.ts'
import { pluginConfigProblems } from '../../../src/config/transforms-config.ts'

/** A source record with harmless defaults: topic `test`, partition 0, no key, no value, no timestamp, no headers. */
export const sourceRecord = (fields: Partial<SourceRecord> = {}): SourceRecord => ({
  topic: 'test',
  kafkaPartition: 0,
  keySchema: null,
  key: null,
  valueSchema: null,
  value: null,
  timestamp: null,
  headers: [],
  sourcePartition: { source: 'mqtt' },
  sourceOffset: { position: 1 },
  ...fields,
})

/** A sink record with harmless defaults: topic `test`, partition 0, offset 42, CreateTime. */
export const sinkRecord = (fields: Partial<SinkRecord> = {}): SinkRecord => ({
  topic: 'test',
  kafkaPartition: 0,
  keySchema: null,
  key: null,
  valueSchema: null,
  value: null,
  timestamp: null,
  headers: [],
  kafkaOffset: 42n,
  timestampType: 'CreateTime',
  ...fields,
})

/** Validates raw string config with the plugin's declaration and creates it; fails the test on bad config. */
export const configure = <P extends TransformationPlugin | PredicatePlugin>(
  plugin: P,
  raw: Readonly<Record<string, unknown>> = {},
): P extends TransformationPlugin ? Transformation : Predicate => {
  const parsed = parseConfig(plugin.config, raw)
  if (!parsed.ok) assert.fail(`config rejected: ${JSON.stringify(parsed.problems)}`)
  return (plugin.create as (config: unknown) => Transformation | Predicate)(parsed.value) as P extends TransformationPlugin ? Transformation : Predicate
}

/** The problems the plugin's declaration reports for a config (empty when it is accepted), as the chain words them. */
export const configProblems = (plugin: TransformationPlugin | PredicatePlugin, raw: Readonly<Record<string, unknown>>): readonly ConfigProblem[] =>
  pluginConfigProblems(plugin.config, raw)

/** Asserts that a config is rejected with a problem on `key` (whose message includes `message`, when given). */
export const assertRejects = (plugin: TransformationPlugin | PredicatePlugin, raw: Readonly<Record<string, unknown>>, key: string, message?: string): void => {
  const problems = configProblems(plugin, raw)
  const problem = problems.find((p) => p.key === key)
  assert.ok(problem, `expected a problem on ${key}, got ${JSON.stringify(problems)}`)
  if (message !== undefined) assert.match(problem.message, new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
}

/** Applies a transformation and asserts it kept the record (did not return null). */
export const applied = <R extends ConnectRecord>(transformation: Transformation, record: R): R => {
  const result = transformation.apply(record)
  assert.ok(result !== null, 'the transformation dropped the record')
  return result
}

/** Connect-aware equality: structs by schema and values, int64 numbers equal to bigints, bytes by content. */
export const assertValueEquals = (actual: unknown, expected: unknown, message?: string): void => {
  assert.ok(valuesEqual(actual, expected), message ?? `expected ${show(expected)}, got ${show(actual)}`)
}

export const assertSchemaEquals = (actual: Schema | null, expected: Schema | null, message?: string): void => {
  assert.ok(schemasEqual(actual, expected), message ?? `expected schema ${show(expected)}, got ${show(actual)}`)
}

const show = (value: unknown): string => {
  try {
    return JSON.stringify(value, (_key, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? (Object.fromEntries(v) as unknown) : v))
  } catch {
    return String(value)
  }
}
