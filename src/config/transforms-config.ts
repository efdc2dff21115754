/**
 * The `transforms` and `predicates` keys of a connector config: parsing them into configured stages (every problem
 * reported, each with its full key) and describing the keys they add, for validation and the docs. The runtime's
 * chain over the stages is src/worker/transformation-chain.ts.
 */
import { z } from 'zod'
import { booleanString, csvList, type ConfigKeyMeta, type ConfigProblem, type ConfigSchema } from '../plugin/config.ts'
import { ConfigError } from '../plugin/errors.ts'
import type { Predicate, PredicatePlugin, Transformation, TransformationPlugin } from '../plugin/transformation.ts'
import { findPlugin } from '../plugins/registry.ts'

/** The plugins a chain may name: any object with these two arrays (the worker's `PluginRegistry` is one). */
export interface TransformationRegistry {
  readonly transformations: readonly TransformationPlugin[]
  readonly predicates: readonly PredicatePlugin[]
}

/** One configured transformation: Kafka Connect's `TransformationStage`, ready for the runtime's chain. */
export interface TransformationStage {
  readonly alias: string
  readonly className: string
  readonly transformation: Transformation
  /** `null` when the transformation applies to every record. */
  readonly predicate: Predicate | null
  readonly predicateAlias: string | null
  readonly negate: boolean
}

export type TransformationStagesResult =
  | { readonly ok: true; readonly stages: readonly TransformationStage[] }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] }

/** One key a chain contributes to a connector config, for `/config/validate` and the docs. */
export interface TransformationKeyInfo extends ConfigKeyMeta {
  readonly key: string
  readonly required: boolean
  /** The default as the config would spell it, or `null`. */
  readonly defaultValue: string | null
  /** The key's zod declaration (for describers that infer the Kafka type from it). */
  readonly schema: z.ZodType
}

const TRANSFORMS = 'transforms'
const PREDICATES = 'predicates'
const TYPE = 'type'
const PREDICATE = 'predicate'
const NEGATE = 'negate'

/** Keys under `transforms.<alias>.` that belong to the runtime, not to the transformation (as in Kafka). */
const STAGE_KEYS: ReadonlySet<string> = new Set([TYPE, PREDICATE, NEGATE])

const aliasList = csvList()
const negateFlag = booleanString()

/**
 * The stages a connector config describes, configured, with Kafka Connect's semantics: `transforms` lists aliases applied in
 * order; `transforms.<alias>.type` names the class (or an alias of it); the other `transforms.<alias>.*` keys are the
 * transformation's own config; `transforms.<alias>.predicate` names an alias from `predicates`, whose
 * `predicates.<alias>.type` and options configure it; `transforms.<alias>.negate` inverts it.
 * Reports every problem, each with its full key, rather than stopping at the first.
 */
export const configureTransformationStages = (
  connectorConfig: Readonly<Record<string, string>>,
  registry: TransformationRegistry,
): TransformationStagesResult => {
  const problems: ConfigProblem[] = []
  const transformAliases = readAliases(connectorConfig, TRANSFORMS, problems)
  const predicateAliases = readAliases(connectorConfig, PREDICATES, problems)

  const predicates = new Map<string, Predicate>()
  for (const alias of predicateAliases) {
    const prefix = `${PREDICATES}.${alias}.`
    const plugin = resolvePlugin(connectorConfig, prefix, registry.predicates, 'Predicate', problems)
    if (plugin === undefined) continue
    const predicate = instantiate(plugin, pluginOptions(connectorConfig, prefix, new Set([TYPE])), prefix, problems)
    if (predicate !== undefined) predicates.set(alias, predicate)
  }

  const stages: TransformationStage[] = []
  for (const alias of transformAliases) {
    const prefix = `${TRANSFORMS}.${alias}.`
    const predicateAlias = stageOption(connectorConfig, prefix + PREDICATE)
    const negate = readNegate(connectorConfig, prefix, predicateAlias, problems)
    if (predicateAlias !== undefined && !predicateAliases.includes(predicateAlias)) {
      problems.push({
        key: prefix + PREDICATE,
        message: `Invalid value ${predicateAlias} for configuration ${prefix + PREDICATE}: predicate '${predicateAlias}' is not listed in '${PREDICATES}'.`,
      })
    }
    const plugin = resolvePlugin(connectorConfig, prefix, registry.transformations, 'Transformation', problems)
    if (plugin === undefined) continue
    const transformation = instantiate(plugin, pluginOptions(connectorConfig, prefix, STAGE_KEYS), prefix, problems)
    if (transformation === undefined) continue
    const predicate = predicateAlias === undefined ? null : (predicates.get(predicateAlias) ?? null)
    stages.push(
      Object.freeze({
        alias,
        className: plugin.className,
        transformation,
        predicate,
        predicateAlias: predicateAlias ?? null,
        negate: negate ?? false,
      }),
    )
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, stages }
}

/**
 * The keys a connector config gains from its `transforms` and `predicates`: each alias's `type`, `predicate` and
 * `negate`, and every key of the plugin it names, with the full prefix. Aliases whose type is missing or unknown
 * contribute only their `type` key.
 */
export const describeTransformationKeys = (
  connectorConfig: Readonly<Record<string, string>>,
  registry: TransformationRegistry,
): TransformationKeyInfo[] => {
  const ignored: ConfigProblem[] = []
  const keys: TransformationKeyInfo[] = []
  for (const [listKey, kind, plugins] of [
    [TRANSFORMS, 'Transformation', registry.transformations],
    [PREDICATES, 'Predicate', registry.predicates],
  ] as const) {
    for (const alias of readAliases(connectorConfig, listKey, ignored)) {
      const prefix = `${listKey}.${alias}.`
      const group = `${listKey === TRANSFORMS ? 'Transforms' : 'Predicates'}: ${alias}`
      keys.push({
        key: prefix + TYPE,
        description: `Class for the '${alias}' ${kind.toLowerCase()}.`,
        type: 'CLASS',
        importance: 'high',
        group,
        displayName: `${kind} type for ${alias}`,
        required: true,
        defaultValue: null,
        schema: TYPE_SCHEMA,
      })
      if (listKey === TRANSFORMS) {
        keys.push(
          {
            key: prefix + PREDICATE,
            description: 'The alias of a predicate used to determine whether to apply this transformation.',
            type: 'STRING',
            importance: 'medium',
            group,
            required: false,
            defaultValue: null,
            schema: PREDICATE_SCHEMA,
          },
          {
            key: prefix + NEGATE,
            description: 'Whether the configured predicate should be negated.',
            type: 'BOOLEAN',
            importance: 'medium',
            group,
            required: false,
            defaultValue: 'false',
            schema: NEGATE_SCHEMA,
          },
        )
      }
      const typeName = stageOption(connectorConfig, prefix + TYPE)
      const plugin = typeName === undefined ? undefined : findPlugin<{ className: string; aliases: readonly string[]; config: ConfigSchema }>(plugins, typeName)
      if (plugin === undefined) continue
      for (const [name, member] of Object.entries(plugin.config.shape as Record<string, z.ZodType>)) {
        // As in Kafka, the runtime's own keys mask any the transformation declares under the same name.
        if (listKey === TRANSFORMS && STAGE_KEYS.has(name)) continue
        const meta = metaOf(member)
        const defaulted = member.safeParse(undefined)
        keys.push({
          ...meta,
          key: prefix + name,
          description: meta?.description ?? '',
          group,
          required: !defaulted.success,
          defaultValue: defaulted.success ? formatDefault(defaulted.data) : null,
          schema: member,
        })
      }
    }
  }
  return keys
}

const TYPE_SCHEMA: z.ZodType = z.string().meta({ description: 'Class or alias of the plugin.' })
const PREDICATE_SCHEMA: z.ZodType = z.string().optional().meta({ description: 'The alias of a predicate.' })
const NEGATE_SCHEMA: z.ZodType = negateFlag.default(false).meta({ description: 'Whether the configured predicate should be negated.' })

const readAliases = (config: Readonly<Record<string, string>>, key: string, problems: ConfigProblem[]): string[] => {
  const raw = config[key]
  if (raw === undefined) return []
  const parsed = aliasList.safeParse(raw)
  if (!parsed.success) {
    problems.push({ key, message: `Invalid value ${String(raw)} for configuration ${key}: must be a comma-separated list of aliases` })
    return []
  }
  const aliases = parsed.data
  if (new Set(aliases).size !== aliases.length) {
    problems.push({ key, message: `Invalid value ${raw} for configuration ${key}: Duplicate alias provided.` })
  }
  return [...new Set(aliases)]
}

const stageOption = (config: Readonly<Record<string, string>>, key: string): string | undefined => {
  const raw = config[key]
  if (raw === undefined) return undefined
  const trimmed = String(raw).trim()
  return trimmed === '' ? undefined : trimmed
}

const readNegate = (
  config: Readonly<Record<string, string>>,
  prefix: string,
  predicateAlias: string | undefined,
  problems: ConfigProblem[],
): boolean | undefined => {
  const key = prefix + NEGATE
  const raw = config[key]
  if (raw === undefined) return undefined
  if (predicateAlias === undefined) {
    problems.push({
      key,
      message: `Config '${key}' was provided but there is no config '${prefix + PREDICATE}' defining a predicate to be negated.`,
    })
  }
  const parsed = negateFlag.safeParse(raw)
  if (!parsed.success) {
    problems.push({ key, message: `Invalid value ${String(raw)} for configuration ${key}: Expected value to be either true or false` })
    return undefined
  }
  return parsed.data
}

interface Plugin<T> {
  readonly className: string
  readonly aliases: readonly string[]
  readonly config: ConfigSchema
  create(config: never): T
}

const resolvePlugin = <P extends Plugin<unknown>>(
  config: Readonly<Record<string, string>>,
  prefix: string,
  plugins: readonly P[],
  kind: 'Transformation' | 'Predicate',
  problems: ConfigProblem[],
): P | undefined => {
  const key = prefix + TYPE
  const typeName = stageOption(config, key)
  if (typeName === undefined) {
    problems.push({ key, message: `Missing required configuration "${key}" which has no default value.` })
    return undefined
  }
  const plugin = findPlugin(plugins, typeName)
  if (plugin === undefined) {
    const available = plugins.map(({ className }) => className).join(', ')
    problems.push({
      key,
      message: `Invalid value ${typeName} for configuration ${key}: Class ${typeName} could not be found. Available ${kind.toLowerCase()}s: ${available}`,
    })
  }
  return plugin
}

/** The `<prefix>*` keys with the prefix removed, leaving out the runtime's own keys. */
const pluginOptions = (config: Readonly<Record<string, string>>, prefix: string, runtimeKeys: ReadonlySet<string>): Record<string, string> => {
  const options: Record<string, string> = {}
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith(prefix)) continue
    const name = key.slice(prefix.length)
    if (!runtimeKeys.has(name)) Object.defineProperty(options, name, { value, enumerable: true, writable: true, configurable: true })
  }
  return options
}

const instantiate = <T>(plugin: Plugin<T>, options: Record<string, string>, prefix: string, problems: ConfigProblem[]): T | undefined => {
  const parsed = plugin.config.safeParse(options)
  if (!parsed.success) {
    problems.push(...issueProblems(plugin.config, parsed.error.issues, options, prefix))
    return undefined
  }
  try {
    return (plugin.create as (config: unknown) => T)(parsed.data)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    problems.push({ key: prefix + error.key, message: `Invalid value ${String(error.rawValue)} for configuration ${prefix + error.key}: ${error.reason}` })
    return undefined
  }
}

/**
 * The problems a plugin's config declaration finds in its options, one per key, each keyed `<prefix><key>` and worded
 * as Kafka's ConfigException: a missing required key, or an invalid value with the reason. A rule spanning several
 * keys reports on the key its `path` names, with its own reason even when that key is absent.
 */
export const pluginConfigProblems = (config: ConfigSchema, options: Readonly<Record<string, unknown>>, prefix = ''): ConfigProblem[] => {
  const parsed = config.safeParse(options)
  return parsed.success ? [] : issueProblems(config, parsed.error.issues, options, prefix)
}

const issueProblems = (
  config: ConfigSchema,
  issues: readonly z.core.$ZodIssue[],
  options: Readonly<Record<string, unknown>>,
  prefix: string,
): ConfigProblem[] => {
  const problems = new Map<string, ConfigProblem>()
  for (const issue of issues) {
    const name = issue.path.length === 0 ? TYPE : String(issue.path[0])
    const key = prefix + name
    if (problems.has(key)) continue
    const raw = Object.hasOwn(options, name) ? options[name] : undefined
    let message: string
    if (raw !== undefined) message = `Invalid value ${rawText(raw)} for configuration ${key}: ${issue.message}`
    else if (isRequired(config, name)) message = `Missing required configuration "${key}" which has no default value.`
    else message = `Invalid configuration ${key}: ${issue.message}`
    problems.set(key, { key, message })
  }
  return [...problems.values()]
}

/** A config value as a message shows it: strings as they are, anything else (a list given as an array) as JSON. */
const rawText = (raw: unknown): string => (typeof raw === 'string' ? raw : JSON.stringify(raw))

/** Whether the declaration has no default for a key (so leaving it out is itself the problem). */
const isRequired = (config: ConfigSchema, name: string): boolean => {
  const member = (config.shape as Record<string, z.ZodType | undefined>)[name]
  return member !== undefined && !member.safeParse(undefined).success
}

const metaOf = (schema: z.ZodType): ConfigKeyMeta | undefined => {
  for (let current: z.ZodType | undefined = schema; current !== undefined; ) {
    const meta = current.meta() as Partial<ConfigKeyMeta> | undefined
    if (typeof meta?.description === 'string') return meta as ConfigKeyMeta
    const def = current.def as { innerType?: z.ZodType; in?: z.ZodType }
    current = def.innerType ?? def.in
  }
  return undefined
}

const formatDefault = (value: unknown): string | null => {
  if (value === undefined || value === null) return null
  if (Array.isArray(value)) return value.join(',')
  return typeof value === 'string' ? value : JSON.stringify(value)
}
