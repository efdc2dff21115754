import { connectors } from '../connectors/mqtt/index.ts'
import { predicatePlugins, transformationPlugins } from '../transforms/index.ts'
import { converterPlugins, headerConverterPlugins } from '../src/converters/index.ts'
import type { PluginRegistry } from '../src/plugins/registry.ts'

/**
 * The plugins that ship with the worker: the composition root, the one place that names them all. A new connector
 * is its own folder plus one line here; nothing under src/ imports connectors/ or transforms/.
 */
export const builtinPlugins: PluginRegistry = {
  connectors,
  converters: converterPlugins,
  headerConverters: headerConverterPlugins,
  transformations: transformationPlugins,
  predicates: predicatePlugins,
}
