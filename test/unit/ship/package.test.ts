import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import Fastify from 'fastify'
import { satisfies } from 'semver'
import { projectRoot } from '../../../scripts/infra/paths.ts'
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../../../src/package-info.ts'

interface Manifest {
  version: string
  engines: { node: string }
  bin: Record<string, string>
  exports: Record<string, string | { types: string; default: string }>
  files: string[]
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}
interface LockEntry {
  version: string
  dev?: boolean
  optional?: boolean
  engines?: { node?: string } | string[]
}

const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as Manifest
const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }
/** The oldest release of each supported Node line, and the machine's. */
const SUPPORTED_NODES = ['20.19.4', '22.18.0', '24.6.0', process.versions.node]

/** The source file a dist/ path is compiled from: dist/app/index.js ← app/index.ts. */
const sourceOf = (target: string): string => target.replace(/^\.?\/?dist\//, '').replace(/\.d\.ts$|\.js$/, '.ts')

describe('package.json', () => {
  // @platformatic/kafka, the source producer's client, needs 20.19.4, 22.18.0 or 24.6.0.
  it('supports Node 20.19.4+, 22.18+ and 24.6+, and nothing older', () => {
    for (const version of ['20.19.4', '20.20.2', '22.18.0', '24.6.0']) assert.ok(satisfies(version, manifest.engines.node), version)
    for (const version of ['18.20.0', '20.19.3', '21.7.0', '22.17.1', '23.0.0', '24.5.0']) assert.ok(!satisfies(version, manifest.engines.node), version)
  })

  it('points bin and exports at the build in dist/, compiled from app/index.ts (.) and src/plugin/index.ts (./plugin)', () => {
    for (const target of Object.values(manifest.bin)) assert.match(target, /^dist\//)
    const targets = Object.fromEntries(
      Object.entries(manifest.exports)
        .filter(([, target]) => typeof target !== 'string')
        .map(([key, target]) => [key, target as { types: string; default: string }]),
    )
    assert.deepEqual(Object.keys(targets), ['.', './plugin'])
    assert.equal(sourceOf(targets['.']!.default), 'app/index.ts')
    assert.equal(sourceOf(targets['./plugin']!.default), 'src/plugin/index.ts')
    for (const { types, default: js } of Object.values(targets)) {
      assert.match(js, /^\.\/dist\/.*\.js$/)
      assert.equal(sourceOf(types), sourceOf(js))
    }
    for (const target of Object.values(manifest.bin)) assert.ok(existsSync(join(projectRoot, sourceOf(target))), `${sourceOf(target)} is what ${target} is built from`)
  })

  it('ships only the build and the docs (npm adds README, LICENSE and package.json)', () => {
    assert.deepEqual(manifest.files, ['dist/', 'docs/'])
    assert.ok(existsSync(join(projectRoot, 'LICENSE')))
  })

  it('needs no TypeScript loader at run time', () => {
    assert.ok(!Object.hasOwn(manifest.dependencies, 'tsx'))
    assert.ok(!Object.hasOwn(manifest.dependencies, 'typescript'))
  })

  it('finds its own root and version the same way from the sources and from dist/', () => {
    assert.equal(PACKAGE_ROOT, projectRoot.replace(/\/$/, ''))
    assert.equal(PACKAGE_VERSION, manifest.version)
  })
})

describe('package-lock.json', () => {
  it('installs no package whose engines refuse a supported Node (npm ci would warn EBADENGINE)', () => {
    const refused: string[] = []
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node
      // Optional platform packages (esbuild's for other systems) are skipped by npm where they do not apply.
      if (path === '' || range === undefined || entry.optional === true) continue
      for (const version of SUPPORTED_NODES) if (!satisfies(version, range)) refused.push(`${path}@${entry.version} (node ${range}) refuses ${version}`)
    }
    assert.deepEqual(refused, [])
  })

  it("overrides light-my-request's cookie with a release for Node 20 that has the stringifySetCookie it calls", async () => {
    const cookie = lock.packages['node_modules/light-my-request/node_modules/cookie']!
    assert.match(cookie.version, /^1\./)
    const app = Fastify()
    app.get('/', async (request) => request.headers.cookie ?? '')
    try {
      // light-my-request, behind inject(), writes the cookies option into the Cookie header with cookie's stringifySetCookie.
      const response = await app.inject({ method: 'GET', url: '/', cookies: { session: 'a b', theme: 'dark' } })
      assert.equal(response.body, 'session=a%20b; theme=dark')
    } finally {
      await app.close()
    }
  })
})
