import { readdir, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PluginRegistry } from './registry.ts'

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.ts', '.mts'])
const REGISTRY_KEYS = ['connectors', 'converters', 'headerConverters', 'transformations', 'predicates'] as const

/**
 * Loads user plugins from `plugin.path`: each entry is a module file or a directory of module files. A module exports
 * any of the registry's arrays (`export const transformations = [...]`), the same shape the built-ins use.
 */
export const loadUserPlugins = async (pluginPath: readonly string[]): Promise<Partial<PluginRegistry>[]> => {
  const modules: Partial<PluginRegistry>[] = []
  for (const entry of pluginPath) {
    for (const file of await moduleFiles(resolve(entry))) {
      const loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>
      const registry: Record<string, unknown> = {}
      for (const key of REGISTRY_KEYS) if (Array.isArray(loaded[key])) registry[key] = loaded[key]
      // A module may bring only REST extensions (`restExtensions`, loaded by src/rest/auth/rest-security.ts).
      if (Object.keys(registry).length === 0 && !Array.isArray(loaded.restExtensions)) {
        throw new Error(`Plugin module ${file} exports none of ${REGISTRY_KEYS.join(', ')}, restExtensions`)
      }
      modules.push(registry)
    }
  }
  return modules
}

const moduleFiles = async (path: string): Promise<string[]> => {
  const info = await stat(path).catch(() => {
    throw new Error(`plugin.path entry ${path} does not exist`)
  })
  if (!info.isDirectory()) return [path]
  const names = (await readdir(path)).filter((name) => MODULE_EXTENSIONS.has(extname(name)) && !name.endsWith('.d.ts'))
  return names.sort().map((name) => join(path, name))
}
