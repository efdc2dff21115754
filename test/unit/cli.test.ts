import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { USAGE, UsageError, packageVersion, parseArguments } from '../../src/cli.ts'

const projectRoot = fileURLToPath(new URL('../..', import.meta.url))
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

void describe('parseArguments', () => {
  void it('runs a worker with the default config when given nothing, or only "worker"', () => {
    assert.deepEqual(parseArguments([]), { command: 'worker' })
    assert.deepEqual(parseArguments(['worker']), { command: 'worker' })
  })

  void it('reads the worker config file from "worker <file>" or from a bare <file>', () => {
    assert.deepEqual(parseArguments(['worker', 'examples/worker.properties']), { command: 'worker', configFile: 'examples/worker.properties' })
    assert.deepEqual(parseArguments(['examples/worker.properties']), { command: 'worker', configFile: 'examples/worker.properties' })
    assert.deepEqual(parseArguments(['worker', 'worker']), { command: 'worker', configFile: 'worker' })
  })

  void it('reads -h/--help and -v/--version, help winning over everything else', () => {
    for (const args of [['-h'], ['--help'], ['worker', '--help'], ['--version', '-h'], ['--bogus', '--help']]) {
      assert.deepEqual(parseArguments(args), { command: 'help' }, args.join(' '))
    }
    for (const args of [['-v'], ['--version'], ['worker', 'file', '-v']]) assert.deepEqual(parseArguments(args), { command: 'version' }, args.join(' '))
  })

  void it('takes everything after -- as a file name', () => {
    assert.deepEqual(parseArguments(['--', '--help']), { command: 'worker', configFile: '--help' })
    assert.deepEqual(parseArguments(['worker', '--', '-odd.properties']), { command: 'worker', configFile: '-odd.properties' })
  })

  void it('refuses unknown options and more than one file with a UsageError that names them', () => {
    assert.throws(() => parseArguments(['-x']), (error: unknown) => error instanceof UsageError && error.message === 'unknown option: -x')
    assert.throws(() => parseArguments(['worker', '--foo']), { name: 'UsageError', message: 'unknown option: --foo' })
    assert.throws(() => parseArguments(['a.properties', 'b.properties']), { name: 'UsageError', message: 'too many arguments: b.properties' })
    assert.throws(() => parseArguments(['worker', 'a', 'b', 'c']), { message: 'too many arguments: b c' })
  })

  void it('documents every form in the usage text', () => {
    for (const form of ['worker', '--help', '-h', '--version', '-v']) assert.ok(USAGE.includes(form), form)
  })

  void it('reads the version from package.json', () => {
    assert.equal(packageVersion(), version)
  })
})

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `node --import tsx app/main.ts <args>` to its end; these arguments make it exit before connecting anywhere. */
const runMain = (args: readonly string[]): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts', ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })

void describe('mqtt-kafka-connect command line', () => {
  void it('prints the usage to stdout and exits 0 for --help, the version for --version, and exits 2 with the usage on stderr for --bogus', async () => {
    const [help, versionRun, bogus] = await Promise.all([runMain(['--help']), runMain(['--version']), runMain(['--bogus'])])
    assert.deepEqual(help, { code: 0, stdout: USAGE, stderr: '' })
    assert.deepEqual(versionRun, { code: 0, stdout: `${version}\n`, stderr: '' })
    assert.equal(bogus.code, 2)
    assert.equal(bogus.stdout, '')
    assert.equal(bogus.stderr, `mqtt-kafka-connect: unknown option: --bogus\n\n${USAGE}`)
    assert.doesNotMatch(bogus.stderr, /\n\s+at /, 'no stack trace')
  })
})
