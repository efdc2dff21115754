// Module resolution hooks of the `mqtt-kafka-connect` command, for plugin modules loaded from plugin.path.
// As Kafka Connect's plugin class loader does with the connect-api classes, the worker provides its plugin API: a
// plugin's `import ... from 'mqtt-kafka-connect/plugin'` always gets the running worker's module, wherever the plugin
// lives and whatever copy it installed for its types, so that there is one ConfigError, one DataError, one registry.
// `zod`, in which plugin configs are declared, comes from the worker too when the plugin's folder has none.
import type { InitializeHook, ResolveHook } from 'node:module'

export interface PluginApiHooksData {
  /** file: URL of the worker's package.json, from which its own package name and dependencies resolve. */
  readonly packageJsonUrl: string
}

const PACKAGE_NAME = 'mqtt-kafka-connect'
const PROVIDED_WHEN_MISSING = 'zod'

let workerPackageJsonUrl: string | undefined

export const initialize: InitializeHook<PluginApiHooksData> = (data) => {
  workerPackageJsonUrl = data.packageJsonUrl
}

const names = (specifier: string, name: string): boolean => specifier === name || specifier.startsWith(`${name}/`)

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  if (workerPackageJsonUrl === undefined) return nextResolve(specifier, context)
  // Resolved as the package resolves its own name, through the "exports" of its package.json.
  if (names(specifier, PACKAGE_NAME)) return nextResolve(specifier, { ...context, parentURL: workerPackageJsonUrl })
  if (!names(specifier, PROVIDED_WHEN_MISSING)) return nextResolve(specifier, context)
  try {
    return await nextResolve(specifier, context)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error
    return nextResolve(specifier, { ...context, parentURL: workerPackageJsonUrl })
  }
}
