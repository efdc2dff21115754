import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { promisify } from 'node:util'
import { findExecutable } from './executables.ts'
import { downloadArtifacts, MAVEN_CENTRAL_URL, parseArtifactLock, sha256Of } from './maven-central.ts'
import { cachePath, projectRoot } from './paths.ts'
import { SetupError } from './setup-error.ts'

const execFileAsync = promisify(execFile)

export const kafkaPomFile = join(projectRoot, 'scripts', 'kafka', 'pom.xml')
/** The jars Maven resolves for the pom, with their sha256: what a machine without Maven downloads. */
export const kafkaLockFile = join(projectRoot, 'scripts', 'kafka', 'jars.lock')
const cacheFile = cachePath('kafka', 'classpath.txt')
/** Jars downloaded without Maven, in Maven's repository layout. */
const downloadDir = cachePath('kafka', 'repository')

/** The `java` executable, or a clear error saying how to install it. */
export function requireJava(): string {
  const java = findExecutable('java')
  if (java === undefined) {
    throw new SetupError('java is not on PATH; running Kafka locally needs Java 17+', 'Install it with: apt-get install -y openjdk-17-jre-headless')
  }
  return java
}

function cachedClasspath(): string | undefined {
  if (!existsSync(cacheFile)) return undefined
  const cachedAt = statSync(cacheFile).mtimeMs
  if (cachedAt < statSync(kafkaPomFile).mtimeMs || cachedAt < statSync(kafkaLockFile).mtimeMs) return undefined
  const classpath = readFileSync(cacheFile, 'utf8').trim()
  if (classpath === '') return undefined
  // ~/.m2 can be wiped independently of the repository.
  const allJarsPresent = classpath.split(':').every((jar) => existsSync(jar))
  return allJarsPresent ? classpath : undefined
}

/**
 * Maven's classpath for the pom, jars as absolute paths in the local repository, or with that repository's path
 * replaced by `localRepoPlaceholder`.
 */
export async function mavenClasspath(mvn: string, localRepoPlaceholder?: string): Promise<string> {
  mkdirSync(dirname(cacheFile), { recursive: true })
  const output = `${cacheFile}.${process.pid}.mvn`
  const placeholder = localRepoPlaceholder === undefined ? [] : [`-Dmdep.localRepoProperty=${localRepoPlaceholder}`]
  try {
    await execFileAsync(
      mvn,
      ['-q', '-B', '-Dstyle.color=never', '-f', kafkaPomFile, 'dependency:build-classpath', `-Dmdep.outputFile=${output}`, ...placeholder],
      { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 },
    )
    return readFileSync(output, 'utf8').trim()
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    const text = `${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n')
    throw new Error(`Maven could not resolve the Kafka classpath from ${kafkaPomFile}:\n${text}`)
  } finally {
    rmSync(output, { force: true })
  }
}

/** Written aside and renamed so a concurrent reader never sees half a classpath. */
function cacheClasspath(classpath: string): string {
  mkdirSync(dirname(cacheFile), { recursive: true })
  const partial = `${cacheFile}.${process.pid}.tmp`
  writeFileSync(partial, `${classpath}\n`)
  renameSync(partial, cacheFile)
  return classpath
}

async function classpathFromMaven(mvn: string): Promise<string> {
  process.stderr.write('Resolving the Kafka broker jars with Maven (slow only the first time)...\n')
  return cacheClasspath(await mavenClasspath(mvn))
}

/** The jars of scripts/kafka/jars.lock, downloaded and verified without Maven. */
async function classpathFromMavenCentral(): Promise<string> {
  const lock = parseArtifactLock(readFileSync(kafkaLockFile, 'utf8'), kafkaLockFile)
  if (lock.pomSha256 !== sha256Of(kafkaPomFile)) {
    throw new SetupError(
      `${relative(projectRoot, kafkaLockFile)} was made from another ${relative(projectRoot, kafkaPomFile)}`,
      'Run `npm run kafka:lock` on a machine with Maven to bring it up to date, or install Maven (apt-get install -y maven).',
    )
  }
  const repositoryUrl = process.env.MAVEN_REPOSITORY_URL ?? MAVEN_CENTRAL_URL
  const started = Date.now()
  process.stderr.write(
    `Maven is not installed: downloading the ${lock.artifacts.length} Kafka broker jars of ${relative(projectRoot, kafkaLockFile)} ` +
      `from ${repositoryUrl} into ${relative(projectRoot, downloadDir)}/, checking each against its checksums (only the first time)...\n`,
  )
  let reported = 0
  let jars: string[]
  try {
    jars = await downloadArtifacts(lock.artifacts, {
      repositoryUrl,
      targetDir: downloadDir,
      onProgress: (done, total, bytes) => {
        // A line per quarter: enough to show it is moving, without flooding the terminal.
        if (done === total || done >= reported + Math.ceil(total / 4)) {
          reported = done
          process.stderr.write(`  ${done}/${total} jars, ${(bytes / 1024 / 1024).toFixed(1)} MiB downloaded\n`)
        }
      },
    })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new SetupError(
      `Downloading the Kafka jars failed: ${reason}`,
      `Check that ${repositoryUrl} is reachable (MAVEN_REPOSITORY_URL names a mirror), or install Maven (apt-get install -y maven), ` +
        'then run it again: the jars already verified are kept, and only the rest is fetched.',
      { cause: error },
    )
  }
  process.stderr.write(`Kafka jars ready in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`)
  return cacheClasspath(jars.join(':'))
}

/**
 * Classpath of the Kafka broker declared in scripts/kafka/pom.xml: resolved by Maven when it is installed, else
 * downloaded from Maven Central as scripts/kafka/jars.lock lists it. Either runs only when the cached classpath is
 * missing, older than the pom or the lock, or names a jar that is gone.
 */
export async function resolveKafkaClasspath(): Promise<string> {
  requireJava()
  const cached = cachedClasspath()
  if (cached !== undefined) return cached
  const mvn = findExecutable('mvn')
  return mvn === undefined ? classpathFromMavenCentral() : classpathFromMaven(mvn)
}
