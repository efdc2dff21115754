import { closeSync, constants, fstatSync, openSync, readFileSync, readdirSync, realpathSync } from 'node:fs'
import { isAbsolute, join, normalize, sep } from 'node:path'
import type { ConfigProblem } from '../plugin/config.ts'
import { ConfigError } from '../plugin/errors.ts'
import { MAX_CONFIG_FILE_BYTES } from '../plugin/config-files.ts'
import { parseProperties } from './properties.ts'

/**
 * Kafka's config providers (KIP-297, KIP-421, KIP-887): `${provider:[path:]key}` in a worker or connector config is
 * replaced, when the config is used, by what the provider named in `config.providers` finds. The config topic keeps
 * the placeholder, so a secret stays in the file or environment it lives in.
 */
export const PROVIDER_CLASSES = {
  'org.apache.kafka.common.config.provider.FileConfigProvider': 'file',
  'org.apache.kafka.common.config.provider.DirectoryConfigProvider': 'dir',
  'org.apache.kafka.common.config.provider.EnvVarConfigProvider': 'env',
} as const

type ProviderKind = (typeof PROVIDER_CLASSES)[keyof typeof PROVIDER_CLASSES]

/** Kafka's ConfigTransformer pattern: `${provider:path:key}` or `${provider:key}`. */
const PLACEHOLDER = /\$\{([^}]*?):(?:([^}]*?):)?([^}]*?)\}/g

interface Provider {
  readonly name: string
  readonly kind: ProviderKind
  /** `allowed.paths`, normalised; null allows every path, as in Kafka. */
  readonly allowedPaths: readonly string[] | null
  /** `allowlist.pattern` of the env provider; null allows every variable. */
  readonly allowlist: RegExp | null
}

export interface ResolvedConfig {
  readonly values: Record<string, string>
  /** What the placeholders resolved to: secrets by intent, which logs, traces and responses must never show. */
  readonly secrets: readonly string[]
}

export interface ConfigProviders {
  /** Whether any value of `config` holds a placeholder of a configured provider. */
  hasPlaceholders(config: Readonly<Record<string, string>>): boolean
  /**
   * Replaces every placeholder of a configured provider; placeholders of other names (`${topic}` in an MQTT sink
   * template) stay as they are, as in Kafka. Throws a ConfigError naming the key for one that cannot be resolved.
   */
  resolve(config: Readonly<Record<string, string>>): ResolvedConfig
  /** `resolve` as validation: every problem, each naming its key, the resolved config when there were none. */
  check(config: Readonly<Record<string, string>>): { readonly problems: readonly ConfigProblem[]; readonly resolved: ResolvedConfig | null }
}

const PREFIX = 'config.providers'

/**
 * Builds the providers a worker config declares (`config.providers=file,env` with `config.providers.file.class=…`).
 * Throws a ConfigError naming the key for an unknown class or a bad parameter: the worker then refuses to start.
 */
export const configProvidersFrom = (raw: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): ConfigProviders => {
  const names = (raw[PREFIX] ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '')
  const providers = new Map(names.map((name) => [name, providerFrom(raw, name)]))
  return providerSet(providers, env)
}

export const noConfigProviders: ConfigProviders = providerSet(new Map(), {})

function providerFrom(raw: Readonly<Record<string, string>>, name: string): Provider {
  const classKey = `${PREFIX}.${name}.class`
  const className = raw[classKey]?.trim()
  if (className === undefined || className === '') throw new ConfigError(classKey, '', `config.providers names ${name}, so ${classKey} must be set`)
  const kind = PROVIDER_CLASSES[className as keyof typeof PROVIDER_CLASSES] as ProviderKind | undefined
  if (kind === undefined) {
    throw new ConfigError(classKey, className, `Class ${className} could not be found; the config providers are ${Object.keys(PROVIDER_CLASSES).join(', ')}`)
  }
  const pathsKey = `${PREFIX}.${name}.param.allowed.paths`
  const patternKey = `${PREFIX}.${name}.param.allowlist.pattern`
  return { name, kind, allowedPaths: allowedPathsOf(pathsKey, raw[pathsKey]), allowlist: allowlistOf(patternKey, raw[patternKey]) }
}

const allowedPathsOf = (key: string, value: string | undefined): readonly string[] | null => {
  if (value === undefined || value.trim() === '') return null
  return value.split(',').map((path) => {
    const trimmed = path.trim()
    if (!isAbsolute(trimmed)) throw new ConfigError(key, value, `${trimmed} is not an absolute path`)
    return normalize(trimmed)
  })
}

const allowlistOf = (key: string, value: string | undefined): RegExp | null => {
  if (value === undefined || value === '') return null
  try {
    return new RegExp(`^(?:${value})$`)
  } catch (error) {
    throw new ConfigError(key, value, `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`)
  }
}

function providerSet(providers: ReadonlyMap<string, Provider>, env: NodeJS.ProcessEnv): ConfigProviders {
  const placeholdersIn = (value: string) => [...value.matchAll(PLACEHOLDER)].filter((match) => providers.has(match[1]!))
  const resolveValue = (key: string, value: string, secrets: string[]): string =>
    value.replace(PLACEHOLDER, (placeholder, name: string, path: string | undefined, variable: string) => {
      const provider = providers.get(name)
      if (provider === undefined) return placeholder
      const found = lookUp(provider, path ?? '', variable, env, (reason) => new ConfigError(key, value, reason))
      secrets.push(found)
      return found
    })
  const resolve = (config: Readonly<Record<string, string>>): ResolvedConfig => {
    const secrets: string[] = []
    const values: Record<string, string> = {}
    for (const [key, value] of Object.entries(config)) values[key] = resolveValue(key, value, secrets)
    return { values, secrets: secrets.filter((secret) => secret !== '') }
  }
  return {
    hasPlaceholders: (config) => Object.values(config).some((value) => placeholdersIn(value).length > 0),
    resolve,
    check: (config) => {
      const problems: ConfigProblem[] = []
      const secrets: string[] = []
      const values: Record<string, string> = {}
      for (const [key, value] of Object.entries(config)) {
        try {
          values[key] = resolveValue(key, value, secrets)
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error
          problems.push({ key, message: error.message, reason: error.reason })
        }
      }
      return { problems, resolved: problems.length > 0 ? null : { values, secrets: secrets.filter((secret) => secret !== '') } }
    },
  }
}

const lookUp = (provider: Provider, path: string, key: string, env: NodeJS.ProcessEnv, fail: (reason: string) => ConfigError): string => {
  if (provider.kind === 'env') {
    // Kafka's EnvVarConfigProvider takes no path: `${env:NAME}` (or `${env::NAME}`).
    if (path !== '') throw fail(`the ${provider.name} provider takes no path: write \${${provider.name}:${key}}`)
    if (provider.allowlist !== null && !provider.allowlist.test(key)) {
      throw fail(`environment variable ${key} is not allowed by config.providers.${provider.name}.param.allowlist.pattern`)
    }
    const value = env[key]
    if (value === undefined) throw fail(`environment variable ${key} is not set`)
    return value
  }
  // The path is checked before anything touches the file system: a path outside allowed.paths is never opened,
  // not even to see whether it exists (CVE-2024-31141).
  const allowed = allowedPath(provider, path)
  if (allowed === null) throw fail(`${path} is not within config.providers.${provider.name}.param.allowed.paths`)
  if (provider.kind === 'file') {
    const properties = parseProperties(readSmallFile(allowed, provider, fail).toString('utf8'))
    if (!Object.hasOwn(properties, key)) throw fail(`${path} has no key ${key}`)
    return properties[key]!
  }
  if (key.includes('/') || key.includes(sep) || key === '..' || key === '.') throw fail(`${key} is not a file name`)
  const inDirectory = readdirSync(allowed, { withFileTypes: true }).find((entry) => entry.name === key && entry.isFile())
  if (inDirectory === undefined) throw fail(`${path} has no file ${key}`)
  return readSmallFile(join(allowed, key), provider, fail).toString('utf8')
}

/** The normalised path when the provider may read it, else null. */
const allowedPath = (provider: Provider, path: string): string | null => {
  if (path === '') return null
  const normalised = normalize(path)
  if (provider.allowedPaths === null) return normalised
  if (!isAbsolute(normalised)) return null
  return provider.allowedPaths.some((root) => within(root, normalised)) ? normalised : null
}

const within = (root: string, path: string): boolean => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)

/**
 * Synchronous, because placeholders are resolved as a task is created; non-blocking open and a size bound, so a
 * FIFO or /dev/zero named in a placeholder is an error rather than a frozen worker. A symbolic link that leads out of
 * allowed.paths is refused as well.
 */
const readSmallFile = (path: string, provider: Provider, fail: (reason: string) => ConfigError): Buffer => {
  const failure = (error: unknown): ConfigError => {
    const code = (error as { code?: unknown }).code
    return fail(code === 'ENOENT' ? `${path}: file not found` : `${path} cannot be read (${typeof code === 'string' ? code : 'unknown error'})`)
  }
  if (provider.allowedPaths !== null) {
    let real: string
    try {
      real = realpathSync(path)
    } catch (error) {
      throw failure(error)
    }
    const roots = provider.allowedPaths.map((root) => safeRealpath(root))
    if (!roots.some((root) => root !== null && within(root, real))) throw fail(`${path} leads out of config.providers.${provider.name}.param.allowed.paths`)
  }
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    throw failure(error)
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) throw fail(`${path} is not a regular file`)
    if (stats.size > MAX_CONFIG_FILE_BYTES) throw fail(`${path} is larger than ${MAX_CONFIG_FILE_BYTES} bytes`)
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

const safeRealpath = (path: string): string | null => {
  try {
    return realpathSync(path)
  } catch {
    return null
  }
}
