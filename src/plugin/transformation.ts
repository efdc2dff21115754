import type { ConnectRecord } from '../data/record.ts'
import type { ConfigSchema } from './config.ts'
import type { z } from 'zod'

/** A single-message transform. Pure and synchronous; never mutates its input. `null` drops the record. */
export interface Transformation {
  apply<R extends ConnectRecord>(record: R): R | null
}

/** Decides whether a transformation applies to a record (`transforms.<alias>.predicate`). */
export interface Predicate {
  test(record: ConnectRecord): boolean
}

/**
 * How a transformation or predicate is registered: Kafka's class name (with its `$Key`/`$Value` suffix where Kafka
 * has one), aliases, its config declaration, and a factory that receives config zod has already validated.
 */
export interface TransformationPlugin<S extends ConfigSchema = ConfigSchema> {
  readonly className: string
  readonly aliases: readonly string[]
  readonly version: string
  readonly config: S
  create(config: z.output<S>): Transformation
}

export interface PredicatePlugin<S extends ConfigSchema = ConfigSchema> {
  readonly className: string
  readonly aliases: readonly string[]
  readonly version: string
  readonly config: S
  create(config: z.output<S>): Predicate
}
