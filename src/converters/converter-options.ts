import { z } from 'zod'
import { configErrorOf, parseConfig, type ConfigSchema } from '../plugin/config.ts'
import type { Converter, ConverterPlugin, HeaderConverter, HeaderConverterPlugin } from '../plugin/converter.ts'

/**
 * A converter's options parsed against its declaration, for the programmatic factories (`createJsonConverter`) and
 * the worker: a `ConfigError` names the first bad key (with `keyPrefix`, as the user wrote it) and lists every problem.
 */
export const parseConverterOptions = <S extends ConfigSchema>(schema: S, options: Readonly<Record<string, string>>, keyPrefix = ''): z.output<S> => {
  const result = parseConfig(schema, options, keyPrefix)
  if (result.ok) return result.value
  throw configErrorOf(result.problems, options, keyPrefix)
}

/** The declaration of a converter that takes no options: Kafka's ignore what they do not know, and so does this. */
export const NO_OPTIONS = z.object({})

/** A converter from its raw options (the `value.converter.` prefix stripped), parsed with its declaration first. */
export const configuredConverter = (plugin: ConverterPlugin, options: Readonly<Record<string, string>>, keyPrefix: string, isKey: boolean): Converter =>
  plugin.create(parseConverterOptions(plugin.config, options, keyPrefix), isKey)

export const configuredHeaderConverter = (plugin: HeaderConverterPlugin, options: Readonly<Record<string, string>>, keyPrefix: string): HeaderConverter =>
  plugin.create(parseConverterOptions(plugin.config, options, keyPrefix))
