/**
 * The public programmatic API, for plugin authors and tests: the plugin interfaces, the Connect data model, and
 * factories that build a transformation, predicate or converter from its class name (or alias) and a config map,
 * exactly as a connector config would.
 */
import { configuredConverter, configuredHeaderConverter } from '../src/converters/converter-options.ts'
import { configErrorOf, withPrefixStripped, parseConfig } from '../src/plugin/config.ts'
import type { Converter, HeaderConverter } from '../src/plugin/converter.ts'
import { ConfigError } from '../src/plugin/errors.ts'
import type { Predicate, Transformation } from '../src/plugin/transformation.ts'
import { builtinPlugins } from './builtin-plugins.ts'
import { findPlugin, mergeRegistries, type PluginRegistry } from '../src/plugins/registry.ts'

export * from '../src/plugin/index.ts'
export * from '../src/data/index.ts'
export { asConnectSchema, asJsonSchema } from '../src/converters/index.ts'
export { buildTransformationChain, type TransformationChain } from '../src/worker/transformation-chain.ts'
export type { PluginRegistry }

type ConfigMap = Readonly<Record<string, string>>

/** The built-in plugins plus `extra` (user plugin modules), as the worker assembles them. */
export const pluginRegistry = (...extra: readonly Partial<PluginRegistry>[]): PluginRegistry => mergeRegistries(builtinPlugins, ...extra)

/** A transformation by class name or alias (`InsertField$Value`), configured as `transforms.<alias>.*` would be. */
export const createTransformation = (className: string, config: ConfigMap = {}, registry = pluginRegistry()): Transformation => {
  const plugin = findPlugin(registry.transformations, className)
  if (plugin === undefined) throw new ConfigError('type', className, `no transformation named ${className}`)
  return plugin.create(parsed(plugin.config, config))
}

/** A predicate by class name or alias (`TopicNameMatches`), configured as `predicates.<alias>.*` would be. */
export const createPredicate = (className: string, config: ConfigMap = {}, registry = pluginRegistry()): Predicate => {
  const plugin = findPlugin(registry.predicates, className)
  if (plugin === undefined) throw new ConfigError('type', className, `no predicate named ${className}`)
  return plugin.create(parsed(plugin.config, config))
}

/**
 * A key or value converter by class name or alias (`JsonConverter`, `avro`), with the options a connector would give
 * under `value.converter.` (the prefix is optional here).
 */
export const createConverter = (className: string, options: ConfigMap = {}, { isKey = false } = {}, registry = pluginRegistry()): Converter => {
  const key = isKey ? 'key.converter' : 'value.converter'
  const plugin = findPlugin(registry.converters, className)
  if (plugin === undefined) throw new ConfigError(key, className, `no converter named ${className}`)
  return configuredConverter(plugin, unprefixed(options, `${key}.`), `${key}.`, isKey)
}

export const createHeaderConverter = (className: string, options: ConfigMap = {}, registry = pluginRegistry()): HeaderConverter => {
  const plugin = findPlugin(registry.headerConverters, className)
  if (plugin === undefined) throw new ConfigError('header.converter', className, `no header converter named ${className}`)
  return configuredHeaderConverter(plugin, unprefixed(options, 'header.converter.'), 'header.converter.')
}

const parsed = <S extends Parameters<typeof parseConfig>[0]>(schema: S, config: ConfigMap) => {
  const result = parseConfig(schema, config)
  if (!result.ok) throw configErrorOf(result.problems, config)
  return result.value
}

const unprefixed = (options: ConfigMap, prefix: string): ConfigMap => {
  const stripped = withPrefixStripped(options, prefix)
  return Object.keys(stripped).length > 0 ? { ...options, ...stripped } : options
}
