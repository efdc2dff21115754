import { connectors } from '../../connectors/mqtt/index.ts'
import { predicatePlugins, transformationPlugins } from '../../transforms/index.ts'
import { converterPlugins, headerConverterPlugins } from '../converters/index.ts'
import type { PluginRegistry } from './registry.ts'

/** The plugins that ship with the worker: the composition root, the one place that names them all. */
export const builtinPlugins: PluginRegistry = {
  connectors,
  converters: converterPlugins,
  headerConverters: headerConverterPlugins,
  transformations: transformationPlugins,
  predicates: predicatePlugins,
}
