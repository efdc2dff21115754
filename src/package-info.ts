import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'mqtt-kafka-connect'

interface PackageJson {
  readonly name?: string
  readonly version: string
}

/**
 * The folder holding this package's package.json: the first one above this module that names the package, so that the
 * answer is the same from the sources (`src/`) and from the build (`dist/src/`).
 */
const findPackageRoot = (): { root: string; manifest: PackageJson } => {
  const start = dirname(fileURLToPath(import.meta.url))
  for (let folder = start; ; folder = dirname(folder)) {
    const file = join(folder, 'package.json')
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as PackageJson
      if (manifest.name === PACKAGE_NAME) return { root: folder, manifest }
    }
    if (dirname(folder) === folder) throw new Error(`no package.json of ${PACKAGE_NAME} in ${start} or above`)
  }
}

const found = findPackageRoot()

/** Absolute path of the package's root folder, where package.json is. */
export const PACKAGE_ROOT: string = found.root

/** This package's version, from its package.json. */
export const PACKAGE_VERSION: string = found.manifest.version
