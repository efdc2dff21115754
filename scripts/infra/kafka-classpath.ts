import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { findExecutable } from './executables.ts'
import { cachePath, projectRoot } from './paths.ts'

const execFileAsync = promisify(execFile)

const pomFile = join(projectRoot, 'scripts', 'kafka', 'pom.xml')
const cacheFile = cachePath('kafka', 'classpath.txt')
const installHint = 'install them with: apt-get install -y openjdk-17-jre-headless maven'

function missingToolError(tools: readonly string[]): Error {
  const subject = tools.join(' and ')
  return new Error(
    `${subject} ${tools.length === 1 ? 'is' : 'are'} not on PATH; running Kafka locally needs Java 17+ and Maven, ${installHint}`,
  )
}

/** The `java` executable, or a clear error saying how to install it. */
export function requireJava(): string {
  const java = findExecutable('java')
  if (java === undefined) throw missingToolError(findExecutable('mvn') === undefined ? ['java', 'mvn'] : ['java'])
  return java
}

function cachedClasspath(): string | undefined {
  if (!existsSync(cacheFile)) return undefined
  if (statSync(cacheFile).mtimeMs < statSync(pomFile).mtimeMs) return undefined
  const classpath = readFileSync(cacheFile, 'utf8').trim()
  if (classpath === '') return undefined
  // ~/.m2 can be wiped independently of the repository.
  const allJarsPresent = classpath.split(':').every((jar) => existsSync(jar))
  return allJarsPresent ? classpath : undefined
}

async function classpathFromMaven(mvn: string): Promise<string> {
  mkdirSync(dirname(cacheFile), { recursive: true })
  // Written aside and renamed so a concurrent reader never sees half a classpath.
  const partial = `${cacheFile}.${process.pid}.tmp`
  process.stderr.write('Resolving the Kafka broker jars with Maven (slow only the first time)...\n')
  try {
    await execFileAsync(
      mvn,
      ['-q', '-B', '-Dstyle.color=never', '-f', pomFile, 'dependency:build-classpath', `-Dmdep.outputFile=${partial}`],
      { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 },
    )
  } catch (error) {
    rmSync(partial, { force: true })
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n')
    throw new Error(`Maven could not resolve the Kafka classpath from ${pomFile}:\n${output}`)
  }
  renameSync(partial, cacheFile)
  return readFileSync(cacheFile, 'utf8').trim()
}

/**
 * Classpath of the Kafka broker declared in scripts/kafka/pom.xml.
 * Maven runs only when the cached classpath is missing, older than the pom, or names a jar that is gone.
 */
export async function resolveKafkaClasspath(): Promise<string> {
  requireJava()
  const cached = cachedClasspath()
  if (cached !== undefined) return cached
  const mvn = findExecutable('mvn')
  if (mvn === undefined) throw missingToolError(['mvn'])
  return classpathFromMaven(mvn)
}
