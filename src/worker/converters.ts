import type { Converter, HeaderConverter } from '../plugin/converter.ts'
import { withPrefixStripped } from '../plugin/config.ts'
import { findPlugin, type PluginRegistry } from '../plugins/registry.ts'
import type { RecordConverters } from './record-serializer.ts'

type RawConfig = Readonly<Record<string, string>>

/**
 * A connector's converters, as Kafka Connect picks them: a converter the connector names gets the connector's
 * `<key>.*` options; otherwise the worker's converter with the worker's options.
 */
export const createRecordConverters = (registry: PluginRegistry, workerRaw: RawConfig, connectorRaw: RawConfig): RecordConverters => {
  const key = create(registry.converters, 'key.converter', workerRaw, connectorRaw, true)
  const value = create(registry.converters, 'value.converter', workerRaw, connectorRaw, false)
  const header = create(registry.headerConverters, 'header.converter', workerRaw, connectorRaw, false)
  return {
    key: key.converter as Converter,
    value: value.converter as Converter,
    header: header.converter as HeaderConverter,
    classNames: { key: key.className, value: value.className, header: header.className },
  }
}

interface Creatable {
  readonly className: string
  readonly aliases: readonly string[]
  create(options: Record<string, string>, isKey: boolean): Converter | HeaderConverter
}

const WORKER_DEFAULTS: RawConfig = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'header.converter': 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
}

const create = (plugins: readonly Creatable[], key: string, workerRaw: RawConfig, connectorRaw: RawConfig, isKey: boolean) => {
  const source = connectorRaw[key] !== undefined ? connectorRaw : workerRaw[key] !== undefined ? workerRaw : WORKER_DEFAULTS
  const className = source[key]!
  const plugin = findPlugin(plugins, className)
  if (plugin === undefined) throw new Error(`Class ${className} could not be found for ${key}`)
  return { className: plugin.className, converter: plugin.create(withPrefixStripped(source, `${key}.`), isKey) }
}
