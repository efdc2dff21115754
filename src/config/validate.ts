import type { ConnectorPlugin } from '../plugin/connector.ts'
import { parseConfig, withPrefixStripped, type ConfigProblem, type ConfigSchema } from '../plugin/config.ts'
import { ConnectError, type ErrorCode } from '../plugin/errors.ts'
import type { ConverterPlugin, HeaderConverterPlugin } from '../plugin/converter.ts'
import { findPlugin, type PluginRegistry } from '../plugins/registry.ts'
import { configureTransformationStages } from './transforms-config.ts'
import { parseTopicCreation } from './topic-creation-config.ts'
import { commonConnectorConfigSchema, sourceConnectorConfigSchema } from './connector-config.ts'
import { connectorKeyInfos } from './framework-keys.ts'
import { describeConfig, type ConfigKeyInfo } from './describe.ts'
import { clientOverrideProblems, type ClientOverrideContext } from './client-overrides.ts'
import { noConfigProviders, type ConfigProviders } from './config-providers.ts'
import { HIDDEN, hiddenConfig, hideUriCredentials, isWellKnownSecretKey, redactorOf, secretValuesOf } from './redact.ts'

export interface ConfigValueInfo {
  readonly name: string
  readonly value: string | null
  readonly recommended_values: readonly string[]
  readonly errors: readonly string[]
  readonly visible: boolean
}

/** Kafka Connect's `PUT /connector-plugins/{plugin}/config/validate` response. */
export interface ConfigInfos {
  readonly name: string
  readonly error_count: number
  readonly groups: readonly string[]
  readonly configs: readonly { readonly definition: ConfigKeyInfo; readonly value: ConfigValueInfo }[]
}

export interface ConnectorValidation {
  readonly plugin: ConnectorPlugin
  readonly infos: ConfigInfos
  /** Every error, each naming its key; empty when the config is valid. */
  readonly problems: readonly ConfigProblem[]
}

export type RawConfig = Readonly<Record<string, string>>

/** A config that names no usable connector class: Kafka Connect answers these before validating anything else. */
export class ConnectorClassError extends ConnectError {
  override readonly code: ErrorCode = 'CONNECTOR_CLASS_UNKNOWN'
}

/**
 * Validates a connector config as Kafka Connect does: the common keys, the plugin's own keys, the converters the
 * config names, the transformation chain, and the files the config names. Validation never starts or connects anything.
 */
export const validateConnectorConfig = async (
  registry: PluginRegistry,
  raw: RawConfig,
  /** The worker's config providers: placeholders are checked and the config validated as a task would see it. */
  providers: ConfigProviders = noConfigProviders,
  /** The worker's `connector.client.config.override.policy` and client keys; absent, `*.override.*` keys are not checked. */
  clientOverrides?: ClientOverrideContext,
): Promise<ConnectorValidation> => {
  const plugin = resolveConnectorPlugin(registry, raw)
  const placeholders = providers.check(raw)
  const resolved = placeholders.resolved?.values ?? raw
  const found = [
    ...placeholders.problems,
    ...problemsOf(commonConnectorConfigSchema, resolved),
    ...(await pluginProblems(plugin, resolved)),
    ...converterProblems(registry, resolved),
    ...transformationProblems(registry, resolved),
    ...topicCreationProblems(plugin, resolved),
    ...(plugin.type === 'source' ? problemsOf(sourceConnectorConfigSchema, resolved) : []),
    ...(clientOverrides === undefined ? [] : clientOverrideProblems(plugin.type, resolved, clientOverrides)),
  ]
  const isSecretKey = secretKeysOf(registry, plugin, raw)
  // A problem's message quotes the value it refuses: a password, or what a placeholder resolved to, must not be it.
  const redact = redactorOf([...secretValuesOf(resolved, isSecretKey), ...secretValuesOf(raw, isSecretKey), ...(placeholders.resolved?.secrets ?? [])])
  const problems = found.map((problem) => ({ ...problem, message: redact(problem.message), ...(problem.reason === undefined ? {} : { reason: redact(problem.reason) }) }))
  return { plugin, problems, infos: configInfos(registry, plugin, raw, problems, isSecretKey) }
}

/** Which keys of this config are PASSWORD-typed in the schemas that read them: the connector's, its converters'. */
const secretKeysOf = (registry: PluginRegistry, plugin: ConnectorPlugin, raw: RawConfig): ((key: string) => boolean) => {
  const definitions = [...describeConfig(commonConnectorConfigSchema), ...describeConfig(plugin.config), ...converterKeyDefinitions(registry, raw)]
  const secret = new Set(definitions.filter(({ type }) => type === 'PASSWORD').map(({ name }) => name))
  return (key) => secret.has(key) || isWellKnownSecretKey(key)
}

export const resolveConnectorPlugin = (registry: PluginRegistry, raw: RawConfig): ConnectorPlugin => {
  const className = raw['connector.class']
  if (className === undefined || className.trim() === '') {
    // Kafka Connect quotes the config here; its secrets are hidden, since no plugin says which keys are PASSWORD yet.
    throw new ConnectorClassError(`Connector config ${JSON.stringify(hiddenConfig(raw))} contains no connector type`)
  }
  const plugin = findPlugin(registry.connectors, className)
  if (plugin === undefined) {
    const available = registry.connectors.map((p) => p.className).join(', ')
    throw new ConnectorClassError(
      `Failed to find any class that implements Connector and which name matches ${className}, available connectors are: ${available}`,
    )
  }
  return plugin
}

/** Kafka Connect's wording for an invalid POST, so that existing tooling recognises it. */
export const invalidConfigMessage = (problems: readonly ConfigProblem[]): string =>
  `Connector configuration is invalid and contains the following ${problems.length} error(s):\n` +
  problems.map(({ message }) => message).join('\n') +
  '\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`'

const problemsOf = (schema: ConfigSchema, raw: RawConfig): readonly ConfigProblem[] => {
  const parsed = parseConfig(schema, raw)
  return parsed.ok ? [] : parsed.problems
}

const pluginProblems = async (plugin: ConnectorPlugin, raw: RawConfig): Promise<readonly ConfigProblem[]> => {
  const parsed = parseConfig(plugin.config, raw)
  if (!parsed.ok) return parsed.problems
  return (await plugin.validate?.(parsed.value)) ?? []
}

const CONVERTER_KEYS = [
  ['key.converter', 'converters'],
  ['value.converter', 'converters'],
  ['header.converter', 'headerConverters'],
] as const

/** The converters a connector config names itself, each with the prefix its options go under. */
const namedConverters = (registry: PluginRegistry, raw: RawConfig) =>
  CONVERTER_KEYS.flatMap(([key, kind]) => {
    const className = raw[key]
    if (className === undefined) return []
    return [{ key, className, plugin: findPlugin<ConverterPlugin | HeaderConverterPlugin>(registry[kind], className) }]
  })

/** Every problem of the converters a config names, each option under its full key (`value.converter.schemas.enable`). */
const converterProblems = (registry: PluginRegistry, raw: RawConfig): ConfigProblem[] =>
  namedConverters(registry, raw).flatMap(({ key, className, plugin }) => {
    if (plugin === undefined) return [{ key, message: `Invalid value ${className} for configuration ${key}: Class ${className} could not be found.` }]
    const parsed = parseConfig(plugin.config, withPrefixStripped(raw, `${key}.`), `${key}.`)
    return parsed.ok ? [] : [...parsed.problems]
  })

/** The keys of the converters a config names, under their prefixes, as Kafka Connect 3.5+ adds them to validation. */
const converterKeyDefinitions = (registry: PluginRegistry, raw: RawConfig): ConfigKeyInfo[] =>
  namedConverters(registry, raw).flatMap(({ key, plugin }) =>
    plugin === undefined ? [] : describeConfig(plugin.config).map((definition) => ({ ...definition, name: `${key}.${definition.name}`, group: 'Converters' })),
  )

/** A source connector's topic.creation.* groups (KIP-158); sinks create no topics, as in Kafka Connect. */
const topicCreationProblems = (plugin: ConnectorPlugin, raw: RawConfig): readonly ConfigProblem[] => {
  if (plugin.type !== 'source') return []
  const parsed = parseTopicCreation(raw)
  return parsed.ok ? [] : parsed.problems
}

const transformationProblems = (registry: PluginRegistry, raw: RawConfig): readonly ConfigProblem[] => {
  const configured = configureTransformationStages(raw, registry)
  return configured.ok ? [] : configured.problems
}

const configInfos = (
  registry: PluginRegistry,
  plugin: ConnectorPlugin,
  raw: RawConfig,
  problems: readonly ConfigProblem[],
  isSecretKey: (key: string) => boolean,
): ConfigInfos => {
  const { framework, own } = connectorKeyInfos(plugin)
  // Kafka Connect's order: the framework's keys, then the plugin's, then the converters'.
  const definitions = [...framework, ...own, ...converterKeyDefinitions(registry, raw)]
  const declared = new Set(definitions.map(({ name }) => name))
  const configs = definitions.map((definition) => ({
    definition,
    value: {
      name: definition.name,
      // As Kafka Connect shows a PASSWORD: a value is there, not what it is.
      value: shownValue(raw[definition.name] ?? definition.default_value, isSecretKey(definition.name)),
      recommended_values: [],
      errors: problems.filter(({ key }) => key === definition.name).map(({ message }) => message),
      visible: true,
    },
  }))
  // Keys no definition owns (transform and converter options) still report their errors, as Kafka's do.
  const extra = problems
    .filter(({ key }) => !declared.has(key))
    .map(({ key, message }) => ({ definition: undeclaredKey(key), value: { name: key, value: shownValue(raw[key] ?? null, isSecretKey(key)), recommended_values: [], errors: [message], visible: true } }))
  const all = [...configs, ...extra]
  const groups = [...new Set(all.map(({ definition }) => definition.group).filter((group): group is string => group !== null))]
  return {
    name: plugin.className,
    error_count: all.reduce((count, { value }) => count + value.errors.length, 0),
    groups,
    configs: all,
  }
}

const shownValue = (value: string | null, secret: boolean): string | null => (value === null ? null : secret ? HIDDEN : hideUriCredentials(value))

const undeclaredKey = (name: string): ConfigKeyInfo => ({
  name,
  type: 'STRING',
  required: false,
  default_value: null,
  importance: 'LOW',
  documentation: '',
  group: null,
  order_in_group: -1,
  width: 'NONE',
  display_name: name,
  dependents: [],
})
