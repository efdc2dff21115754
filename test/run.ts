// Test launcher behind `npm test`: `tsx test/run.ts [unit|integration|slow|all]`.
// Integration tests get one Kafka broker for the whole run, started here unless KAFKA_BOOTSTRAP_SERVERS is set.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { constants, tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { startKafka, type RunningKafka } from '../scripts/infra/kafka.ts'
import { projectRoot } from '../scripts/infra/paths.ts'
import { findFreePorts } from '../scripts/infra/ports.ts'
import { sleep } from '../scripts/infra/wait.ts'

// `slow` holds the long fault runs (50k/100k-record crashes, a 30 s Kafka outage): CI runs it after `npm test`.
const suites = { unit: ['test/unit'], integration: ['test/integration'], slow: ['test/slow'], all: ['test/unit', 'test/integration'] } as const
type Selection = keyof typeof suites

function isSelection(value: string): value is Selection {
  return Object.hasOwn(suites, value)
}

async function findTestFiles(folders: readonly string[]): Promise<string[]> {
  const files: string[] = []
  for (const folder of folders) {
    const absolute = join(projectRoot, folder)
    if (!existsSync(absolute)) continue
    const entries = await readdir(absolute, { recursive: true, withFileTypes: true })
    for (const entry of entries) {
      if (entry.isFile() && entry.name.endsWith('.test.ts')) {
        files.push(relative(projectRoot, join(entry.parentPath, entry.name)))
      }
    }
  }
  return files.sort()
}

async function startTestKafka(dir: string): Promise<RunningKafka> {
  const [port, controllerPort] = await findFreePorts(2)
  if (port === undefined || controllerPort === undefined) throw new Error('no free ports for Kafka')
  console.log('Starting Kafka for the integration tests...')
  const kafka = await startKafka({ port, controllerPort, dataDir: dir, logFile: join(dir, 'kafka.log'), detached: false })
  console.log(`Kafka ready at ${kafka.bootstrapServers}`)
  return kafka
}

const noop = (): void => {}

interface TestProcess {
  kill(signal: NodeJS.Signals): void
  exitCode: Promise<number>
}

function runNodeTests(files: readonly string[], env: NodeJS.ProcessEnv): TestProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', '--test-reporter=spec', ...files],
    { cwd: projectRoot, env, stdio: 'inherit' },
  )
  const exitCode = new Promise<number>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal])))
  })
  return { kill: (signal) => child.kill(signal), exitCode }
}

async function main(argument: string | undefined): Promise<number> {
  const selection = argument ?? 'all'
  if (!isSelection(selection)) {
    console.error(`usage: tsx test/run.ts [unit|integration|slow|all] (got "${selection}")`)
    return 2
  }
  const folders = suites[selection]
  const files = await findTestFiles(folders)
  if (files.length === 0) {
    console.error(`no *.test.ts files found under ${folders.join(' or ')}`)
    return 1
  }
  const integrationFiles = await findTestFiles([...suites.integration, ...suites.slow])
  const needsKafka = files.some((file) => integrationFiles.includes(file)) && !process.env.KAFKA_BOOTSTRAP_SERVERS

  // One temp dir per run holds Kafka's data and, through TEST_TMPDIR, the test harness's brokers,
  // so a run cut short by a signal still leaves nothing behind.
  const runDir = await mkdtemp(join(tmpdir(), 'mqtt-kafka-test-'))
  const testTmpDir = join(runDir, 'tmp')
  await mkdir(testTmpDir)
  let kafka: RunningKafka | undefined
  let tests: TestProcess | undefined
  let cleaning: Promise<void> | undefined
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      await kafka?.stop()
      await rm(runDir, { recursive: true, force: true, maxRetries: 3 })
    })())

  const onSignal = (signal: NodeJS.Signals): void => {
    tests?.kill(signal)
    // Test files stop their own brokers on the signal; give them that chance before deleting their dirs.
    // A Kafka still starting up is not in `kafka` yet: the exit hook of scripts/infra/processes.ts kills it.
    const testsGone = tests === undefined ? Promise.resolve() : Promise.race([tests.exitCode.then(noop, noop), sleep(10_000)])
    void testsGone
      .then(cleanUp)
      .finally(() => process.exit(128 + constants.signals[signal]))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  try {
    if (needsKafka) kafka = await startTestKafka(join(runDir, 'kafka'))
    const env = { ...process.env, TEST_TMPDIR: testTmpDir, ...(kafka && { KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers }) }
    tests = runNodeTests(files, env)
    return await tests.exitCode
  } finally {
    await cleanUp()
  }
}

try {
  process.exitCode = await main(process.argv[2])
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
