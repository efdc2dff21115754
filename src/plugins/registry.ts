import type { ConnectorPlugin } from '../plugin/connector.ts'
import type { ConverterPlugin, HeaderConverterPlugin } from '../plugin/converter.ts'
import type { PredicatePlugin, TransformationPlugin } from '../plugin/transformation.ts'

/** Every plugin the worker knows, built-in and user-supplied, in explicit arrays: nothing registers by side effect. */
export interface PluginRegistry {
  readonly connectors: readonly ConnectorPlugin[]
  readonly converters: readonly ConverterPlugin[]
  readonly headerConverters: readonly HeaderConverterPlugin[]
  readonly transformations: readonly TransformationPlugin[]
  readonly predicates: readonly PredicatePlugin[]
}

interface Named {
  readonly className: string
  readonly aliases: readonly string[]
}

/**
 * Finds a plugin as Kafka Connect does: by full class name, by simple class name (`MqttSourceConnector`), or by an
 * alias; for connectors also by the simple name without its `Connector` suffix (`MqttSource`).
 */
export const findPlugin = <P extends Named>(plugins: readonly P[], name: string): P | undefined => {
  const wanted = name.trim()
  return (
    plugins.find((plugin) => plugin.className === wanted || plugin.aliases.includes(wanted)) ??
    plugins.find((plugin) => simpleNames(plugin).includes(wanted))
  )
}

const simpleNames = ({ className, aliases }: Named): string[] =>
  [className, ...aliases].flatMap((full) => {
    const simple = full.slice(full.lastIndexOf('.') + 1)
    return simple.endsWith('Connector') ? [simple, simple.slice(0, -'Connector'.length)] : [simple]
  })

export const mergeRegistries = (...registries: readonly Partial<PluginRegistry>[]): PluginRegistry => ({
  connectors: registries.flatMap((r) => r.connectors ?? []),
  converters: registries.flatMap((r) => r.converters ?? []),
  headerConverters: registries.flatMap((r) => r.headerConverters ?? []),
  transformations: registries.flatMap((r) => r.transformations ?? []),
  predicates: registries.flatMap((r) => r.predicates ?? []),
})
