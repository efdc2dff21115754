import type { ConnectRecord } from '../data/record.ts'
import type { ConfigProblem } from '../plugin/config.ts'
import { configureTransformationStages, type TransformationRegistry, type TransformationStage } from '../config/transforms-config.ts'
import { StageError } from './error-handler.ts'

export type { TransformationRegistry, TransformationStage }

/**
 * The connector's transformations in `transforms` order. Built once per task and reused for every record.
 * A failing transformation (or predicate) surfaces as a StageError naming its class, so that error tolerance can say
 * where it happened; tolerating it is the caller's business.
 */
export interface TransformationChain {
  readonly stages: readonly TransformationStage[]
  /** The transformed record, or `null` as soon as one stage drops it. */
  apply<R extends ConnectRecord>(record: R): R | null
}

export type TransformationChainResult =
  | { readonly ok: true; readonly chain: TransformationChain }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] }

/** The chain that applies no transformation: what a connector without `transforms` gets. */
export const emptyTransformationChain: TransformationChain = Object.freeze({
  stages: Object.freeze([]),
  apply: <R extends ConnectRecord>(record: R): R | null => record,
})

/** The chain a connector config describes; every config problem is reported, each with its full key. */
export const buildTransformationChain = (
  connectorConfig: Readonly<Record<string, string>>,
  registry: TransformationRegistry,
): TransformationChainResult => {
  const configured = configureTransformationStages(connectorConfig, registry)
  if (!configured.ok) return configured
  return { ok: true, chain: configured.stages.length === 0 ? emptyTransformationChain : chainOf(configured.stages) }
}

/** The chain as a loop over the stages: no allocation per record beyond what the transformations make. */
const chainOf = (stages: readonly TransformationStage[]): TransformationChain => {
  const frozen = Object.freeze([...stages])
  return Object.freeze({
    stages: frozen,
    apply<R extends ConnectRecord>(record: R): R | null {
      let current = record
      for (let i = 0; i < frozen.length; i++) {
        const stage = frozen[i] as TransformationStage
        try {
          // Kafka's TransformationStage: predicate == null || negate ^ predicate.test(record)
          if (stage.predicate === null || stage.negate !== stage.predicate.test(current)) {
            const next = stage.transformation.apply(current)
            if (next === null) return null
            current = next
          }
        } catch (error) {
          throw new StageError('TRANSFORMATION', stage.className, error)
        }
      }
      return current
    },
  })
}

