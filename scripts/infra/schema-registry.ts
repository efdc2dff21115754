// A real Confluent-compatible schema registry for local use and tests: Apicurio Registry, resolved from Maven Central
// (scripts/schema-registry/pom.xml), run from .cache/ with in-memory storage. Its Confluent API is /apis/ccompat/v7.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { findExecutable } from './executables.ts'
import { requireJava } from './kafka-classpath.ts'
import { lastLines, fileSize } from './logs.ts'
import { cachePath, projectRoot } from './paths.ts'
import { isAlive, spawnLogged, stopProcess } from './processes.ts'
import { waitFor } from './wait.ts'

const execFileAsync = promisify(execFile)

const host = '127.0.0.1'
const pomFile = join(projectRoot, 'scripts', 'schema-registry', 'pom.xml')
const readyTimeoutMs = 120_000
const stopGraceMs = 15_000
/** Where the Confluent-compatible API lives on an Apicurio Registry. */
export const CONFLUENT_API_PATH = '/apis/ccompat/v7'

export interface SchemaRegistryOptions {
  port: number
  /** The registry's working directory (it keeps its data in memory, so nothing lasting is written here). */
  dataDir: string
  logFile: string
  /** true: the registry outlives this process; false: it is killed when this process exits (tests). */
  detached: boolean
}

export interface RunningSchemaRegistry {
  /** Base URL of the Confluent Schema Registry API, as `schema.registry.url` takes it. */
  url: string
  pid: number
  stop(): Promise<void>
}

/** The Apicurio version the pom names: one place to change it. */
function apicurioVersion(): string {
  const match = /<apicurio\.version>([^<]+)<\/apicurio\.version>/.exec(readFileSync(pomFile, 'utf8'))
  if (match?.[1] === undefined) throw new Error(`${pomFile} does not declare <apicurio.version>`)
  return match[1].trim()
}

function runnerJarIn(home: string): string | undefined {
  if (!existsSync(home)) return undefined
  const jar = readdirSync(home).find((name) => name.endsWith('-runner.jar'))
  return jar === undefined || !existsSync(join(home, 'lib')) ? undefined : join(home, jar)
}

function commandOutput(error: unknown): string {
  const { stdout = '', stderr = '', message = '' } = error as { stdout?: string; stderr?: string; message?: string }
  return `${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n') || message
}

/**
 * Makes sure the registry application is unpacked under .cache/ and returns its runner jar. The first call downloads
 * about 105 MiB into ~/.m2 with Maven and unpacks it with tar; later calls only look.
 */
export async function resolveSchemaRegistryJar(): Promise<string> {
  requireJava()
  const version = apicurioVersion()
  const home = cachePath('schema-registry', `apicurio-registry-${version}`)
  const cached = runnerJarIn(home)
  if (cached !== undefined) return cached

  const mvn = findExecutable('mvn')
  if (mvn === undefined) {
    throw new Error('mvn is not on PATH; running the schema registry locally needs Java 17+ and Maven, install them with: apt-get install -y openjdk-17-jre-headless maven')
  }
  const tar = findExecutable('tar')
  if (tar === undefined) throw new Error('tar is not on PATH; it unpacks the schema registry (apt-get install -y tar)')

  // Unpacked aside and renamed, so a concurrent caller never runs half an application.
  const partial = `${home}.${process.pid}.tmp`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true })
  const download = join(partial, 'download')
  process.stderr.write(`Fetching Apicurio Registry ${version} with Maven (about 105 MiB, only the first time)...\n`)
  try {
    await execFileAsync(
      mvn,
      ['-q', '-B', '-Dstyle.color=never', '-f', pomFile, 'dependency:copy', `-Dregistry.download=${download}`],
      { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 },
    )
  } catch (error) {
    rmSync(partial, { recursive: true, force: true })
    throw new Error(`Maven could not fetch Apicurio Registry ${version} (${pomFile}):\n${commandOutput(error)}`)
  }
  try {
    await execFileAsync(tar, ['-xzf', join(download, 'apicurio-registry.tar.gz'), '-C', partial])
  } catch (error) {
    rmSync(partial, { recursive: true, force: true })
    throw new Error(`unpacking Apicurio Registry ${version} failed:\n${commandOutput(error)}`)
  }
  rmSync(download, { recursive: true, force: true })
  try {
    renameSync(partial, home)
  } catch (error) {
    // Another process unpacked it first: theirs is as good as ours.
    rmSync(partial, { recursive: true, force: true })
    if (runnerJarIn(home) === undefined) throw error
  }
  const jar = runnerJarIn(home)
  if (jar === undefined) throw new Error(`no *-runner.jar with a lib/ folder in ${home} after unpacking Apicurio Registry`)
  return jar
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) })
    await response.body?.cancel()
    return response.ok
  } catch {
    return false
  }
}

/** Starts the registry on `host:port` and resolves once its Confluent API answers. */
export async function startSchemaRegistry(options: SchemaRegistryOptions): Promise<RunningSchemaRegistry> {
  const jar = await resolveSchemaRegistryJar()
  const java = requireJava()
  mkdirSync(options.dataDir, { recursive: true })
  mkdirSync(dirname(options.logFile), { recursive: true })
  const url = `http://${host}:${options.port}${CONFLUENT_API_PATH}`
  const logOffset = fileSize(options.logFile)
  const pid = await spawnLogged({
    command: java,
    args: [
      '-Xmx384m',
      // C1 only: the registry starts in about half the time, and a test load never needs C2's peak speed.
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      `-Dquarkus.http.host=${host}`,
      `-Dquarkus.http.port=${options.port}`,
      '-Dquarkus.http.access-log.enabled=false',
      '-Dquarkus.banner.enabled=false',
      '-jar',
      jar,
    ],
    logFile: options.logFile,
    detached: options.detached,
    cwd: options.dataDir,
  })

  let exited = false
  const ready = await waitFor(
    async () => {
      if (!isAlive(pid)) {
        exited = true
        return true
      }
      return answers(url)
    },
    { timeoutMs: readyTimeoutMs, intervalMs: 250 },
  )
  if (exited || !ready) {
    await stopProcess(pid, stopGraceMs)
    const what = exited ? 'exited during startup' : `did not answer on ${url} within ${readyTimeoutMs / 1000} s`
    throw new Error(`The schema registry ${what} (log: ${options.logFile}). Last log lines:\n${lastLines(options.logFile, 20, logOffset)}`)
  }
  return { url, pid, stop: () => stopProcess(pid, stopGraceMs) }
}
