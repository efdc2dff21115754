// `npm run build:check` (after `npm run build`): the image's build stage and CI run this to know that dist/ is a
// working package before anything ships it. Plain Node runs the command and imports the public entry points; the
// package manifest names only files that exist; the tarball holds only what `files` lets through.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { projectRoot } from '../infra/paths.ts'

const execFileAsync = promisify(execFile)

interface Manifest {
  version: string
  bin: Record<string, string>
  exports: Record<string, string | { types: string; default: string }>
}

const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as Manifest
const distDir = join(projectRoot, 'dist')
/** Plain Node, without this script's TypeScript loader. */
const plainEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  return env
}
const node = (args: readonly string[]): Promise<{ stdout: string; stderr: string }> =>
  execFileAsync(process.execPath, args, { cwd: projectRoot, env: plainEnv() })

const checks: [string, () => Promise<void> | void][] = [
  [
    'every bin and exports target exists',
    () => {
      const targets = [...Object.values(manifest.bin), ...Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : [target.types, target.default]))]
      for (const target of targets) assert.ok(existsSync(join(projectRoot, target)), `${target} is missing; did npm run build run?`)
    },
  ],
  [
    'no .ts import is left in the emitted JavaScript',
    () => {
      const files = readdirSync(distDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'))
      const leftovers = files.filter((file) => /(?:from\s+|import\()\s*['"][^'"]+\.ts['"]/.test(readFileSync(join(distDir, file), 'utf8')))
      assert.deepEqual(leftovers, [], 'these still import .ts files')
    },
  ],
  [
    "the web console's files are in dist/ui/, where the packaged worker serves them from",
    () => {
      const shipped = readdirSync(join(projectRoot, 'ui')).filter((file) => !existsSync(join(distDir, 'ui', file)))
      assert.deepEqual(shipped, [], 'files of ui/ missing from dist/ui/')
    },
  ],
  [
    'the command prints its version and usage, and exits 2 on a bad option',
    async () => {
      const bin = Object.values(manifest.bin)[0]!
      assert.equal((await node([bin, '--version'])).stdout, `${manifest.version}\n`)
      assert.match((await node([bin, '--help'])).stdout, /^Usage: mqtt-kafka-connect/)
      await assert.rejects(node([bin, '--bogus']), (error: { code?: number }) => error.code === 2)
    },
  ],
  [
    'the public API and the plugin API import under plain Node',
    async () => {
      const script = `const api = await import('mqtt-kafka-connect'); const plugin = await import('mqtt-kafka-connect/plugin');
        console.log(JSON.stringify([typeof api.createTransformation, typeof api.SchemaBuilder, typeof plugin.documented, api.ConfigError === plugin.ConfigError]))`
      const { stdout } = await node(['--input-type=module', '-e', script])
      assert.deepEqual(JSON.parse(stdout), ['function', 'function', 'function', true])
    },
  ],
  [
    'the tarball holds only dist/, docs/, README.md, LICENSE and package.json',
    async () => {
      const { stdout } = await execFileAsync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 })
      const [{ files }] = JSON.parse(stdout) as [{ files: { path: string }[] }]
      const stray = files.map(({ path }) => path).filter((path) => !/^(dist\/|docs\/|README\.md$|LICENSE$|package\.json$)/.test(path))
      assert.deepEqual(stray, [], 'files that should not ship')
      for (const needed of ['LICENSE', 'README.md', 'dist/bin/mqtt-kafka-connect.js']) assert.ok(files.some(({ path }) => path === needed), `${needed} is not packed`)
    },
  ],
]

let failed = 0
for (const [name, check] of checks) {
  try {
    await check()
    console.log(`ok   ${name}`)
  } catch (error) {
    failed++
    console.log(`FAIL ${name}\n     ${error instanceof Error ? error.message.split('\n').join('\n     ') : String(error)}`)
  }
}
console.log(`\n${relative(process.cwd(), distDir) || 'dist'}: ${checks.length - failed} passed, ${failed} failed`)
process.exitCode = failed === 0 ? 0 : 1
