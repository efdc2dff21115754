import { configuredConverter, configuredHeaderConverter } from '../converters/converter-options.ts'
import { ConfigError } from '../plugin/errors.ts'
import { withPrefixStripped } from '../plugin/config.ts'
import { findPlugin, type PluginRegistry } from '../plugins/registry.ts'
import type { RecordConverters } from './record-serializer.ts'

type RawConfig = Readonly<Record<string, string>>

/**
 * A connector's converters, as Kafka Connect picks them: a converter the connector names gets the connector's
 * `<key>.*` options; otherwise the worker's converter with the worker's options.
 */
export const createRecordConverters = (registry: PluginRegistry, workerRaw: RawConfig, connectorRaw: RawConfig): RecordConverters => {
  const key = chosen(registry.converters, 'key.converter', workerRaw, connectorRaw)
  const value = chosen(registry.converters, 'value.converter', workerRaw, connectorRaw)
  const header = chosen(registry.headerConverters, 'header.converter', workerRaw, connectorRaw)
  return {
    key: configuredConverter(key.plugin, key.options, 'key.converter.', true),
    value: configuredConverter(value.plugin, value.options, 'value.converter.', false),
    header: configuredHeaderConverter(header.plugin, header.options, 'header.converter.'),
    classNames: { key: key.plugin.className, value: value.plugin.className, header: header.plugin.className },
  }
}

const WORKER_DEFAULTS: RawConfig = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'header.converter': 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
}

/** The plugin `key` names in the connector config, else the worker's, else the default, with that config's options. */
const chosen = <P extends { readonly className: string; readonly aliases: readonly string[] }>(
  plugins: readonly P[],
  key: string,
  workerRaw: RawConfig,
  connectorRaw: RawConfig,
): { plugin: P; options: RawConfig } => {
  const source = connectorRaw[key] !== undefined ? connectorRaw : workerRaw[key] !== undefined ? workerRaw : WORKER_DEFAULTS
  const className = source[key]!
  const plugin = findPlugin(plugins, className)
  if (plugin === undefined) throw new ConfigError(key, className, `Class ${className} could not be found.`)
  return { plugin, options: withPrefixStripped(source, `${key}.`) }
}
