import { readFile, readdir, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { BASIC_AUTH_EXTENSION, jaasFileFromJvmOptions } from '../../config/rest-config.ts'
import type { WorkerConfig } from '../../config/worker-config.ts'
import { WorkerConfigError } from '../../config/worker-config.ts'
import { corsPolicyOf, type CorsPolicy } from '../cors.ts'
import { createBasicAuthenticator } from './basic-auth.ts'
import { parseUsersFile, usersFileOfJaas } from './jaas-file.ts'
import { parseHashedCredentials, type HashedCredential } from './password-hash.ts'

/** A fastify onRequest hook: it lets the request through by returning, or answers it (a 401) with `reply`. */
export type RestRequestHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

/**
 * A REST extension a `plugin.path` module exports in `restExtensions`, named in `rest.extension.classes` by its
 * `className` (or an alias): Kafka Connect's ConnectRestExtension, as a fastify hook. `create` is called once as the
 * worker starts, with the worker's config; the hook it returns runs on every request but `GET /health`.
 */
export interface RestExtension {
  readonly className: string
  readonly aliases?: readonly string[]
  create(workerConfig: Readonly<Record<string, string>>): RestRequestHook | Promise<RestRequestHook>
}

/** What the REST apps apply before any route: CORS, then each authentication hook in turn. */
export interface RestSecurity {
  readonly cors: CorsPolicy | null
  readonly hooks: readonly RestRequestHook[]
}

export const OPEN_REST: RestSecurity = { cors: null, hooks: [] }

/** Kafka Connect's JaasBasicAuthFilter answer, in its JSON error shape. */
export const UNAUTHORIZED_MESSAGE = 'User cannot access the resource.'

/**
 * The REST security a worker config asks for: `rest.extension.classes` (the basic auth extension, or extensions from
 * `plugin.path`), `rest.basic.auth.credentials.file`, CORS. An unknown class name or an unreadable file stops the
 * worker with a WorkerConfigError naming the key.
 */
export const restSecurityFrom = async (config: WorkerConfig, env: NodeJS.ProcessEnv = process.env): Promise<RestSecurity> => {
  const hooks: RestRequestHook[] = []
  const classes = config['rest.extension.classes']
  const userExtensions = classes.some((name) => name !== BASIC_AUTH_EXTENSION) ? await loadRestExtensions(config['plugin.path']) : []
  let plain = new Map<string, string>()
  for (const name of classes) {
    if (name === BASIC_AUTH_EXTENSION) {
      plain = await jaasUsers(config, env)
      continue
    }
    const extension = userExtensions.find(({ className, aliases }) => className === name || (aliases ?? []).includes(name))
    if (extension === undefined) {
      const known = [BASIC_AUTH_EXTENSION, ...userExtensions.map(({ className }) => className)].join(', ')
      throw invalid('rest.extension.classes', `Invalid value ${name} for configuration rest.extension.classes: Class ${name} could not be found; the REST extensions are ${known}`)
    }
    hooks.push(await extension.create(config.raw))
  }
  const hashed = await hashedUsers(config)
  if (plain.size > 0 || hashed.size > 0 || classes.includes(BASIC_AUTH_EXTENSION)) {
    hooks.unshift(basicAuthHook(createBasicAuthenticator({ plain, hashed }), config['rest.basic.auth.realm']))
  }
  return { cors: corsPolicyOf(config['access.control.allow.origin'], config['access.control.allow.methods']), hooks }
}

const basicAuthHook =
  (authenticate: (authorization: string | undefined) => Promise<string | null>, realm: string): RestRequestHook =>
  async (request, reply) => {
    if ((await authenticate(request.headers.authorization)) !== null) return
    await reply
      .code(401)
      .header('www-authenticate', `Basic realm="${realm.replaceAll('"', "'")}", charset="UTF-8"`)
      .send({ error_code: 401, message: UNAUTHORIZED_MESSAGE })
  }

const invalid = (key: string, message: string): WorkerConfigError => new WorkerConfigError([{ key, message }])

const jaasUsers = async (config: WorkerConfig, env: NodeJS.ProcessEnv): Promise<Map<string, string>> => {
  const key = 'java.security.auth.login.config'
  const jaasFile = config[key] ?? jaasFileFromJvmOptions(env.KAFKA_OPTS) ?? jaasFileFromJvmOptions(env.CONNECT_OPTS)
  if (jaasFile === undefined) {
    throw invalid(key, `Missing required configuration "${key}": ${BASIC_AUTH_EXTENSION} needs a JAAS file (or -D${key}=... in KAFKA_OPTS)`)
  }
  const jaas = usersFileOfJaas(await readText(key, jaasFile))
  if ('problem' in jaas) throw invalid(key, `Invalid value ${jaasFile} for configuration ${key}: ${jaas.problem}`)
  return parseUsersFile(await readText(key, jaas.file))
}

const hashedUsers = async (config: WorkerConfig): Promise<ReadonlyMap<string, HashedCredential>> => {
  const key = 'rest.basic.auth.credentials.file'
  const file = config[key]
  if (file === undefined || file === '') return new Map()
  try {
    return parseHashedCredentials(await readText(key, file))
  } catch (error) {
    if (error instanceof WorkerConfigError) throw error
    throw invalid(key, `Invalid value ${file} for configuration ${key}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

const readText = async (key: string, path: string): Promise<string> => {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw invalid(key, `Invalid value ${path} for configuration ${key}: ${code === 'ENOENT' ? 'file not found' : `cannot be read (${String(code)})`}`)
  }
}

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.ts', '.mts'])

/** The `restExtensions` arrays of the modules on `plugin.path` (files, or directories of them). */
const loadRestExtensions = async (pluginPath: readonly string[]): Promise<RestExtension[]> => {
  const found: RestExtension[] = []
  for (const entry of pluginPath) {
    const path = resolve(entry)
    const info = await stat(path).catch(() => null)
    if (info === null) continue
    const files = info.isDirectory()
      ? (await readdir(path))
          .filter((name) => MODULE_EXTENSIONS.has(extname(name)) && !name.endsWith('.d.ts'))
          .sort()
          .map((name) => join(path, name))
      : [path]
    for (const file of files) {
      const loaded = (await import(pathToFileURL(file).href)) as { restExtensions?: unknown }
      if (Array.isArray(loaded.restExtensions)) found.push(...(loaded.restExtensions as RestExtension[]))
    }
  }
  return found
}
