// Downloads jars from a Maven repository over HTTPS, for machines without Maven: each file is checked against the
// checksum the repository serves beside it (`.sha256`, else `.sha1`) and against the sha256 pinned in a lock file.
import { createHash } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream } from 'node:stream/web'

export const MAVEN_CENTRAL_URL = 'https://repo.maven.apache.org/maven2'

/** One file of a lock: its path in the Maven repository layout and its pinned sha256. */
export interface LockedArtifact {
  /** e.g. `org/apache/kafka/kafka_2.13/4.3.1/kafka_2.13-4.3.1.jar` */
  readonly path: string
  readonly sha256: string
}

export interface ArtifactLock {
  /** sha256 of the pom the lock was made from, so that a stale lock is noticed. */
  readonly pomSha256: string
  /** In classpath order. */
  readonly artifacts: readonly LockedArtifact[]
}

const HEX_64 = /^[0-9a-f]{64}$/

/**
 * Reads a lock file: `# pom sha256: <hex>` once, then one `<sha256>  <path>` line per artifact (sha256sum's format),
 * `#` comments and blank lines ignored.
 */
export function parseArtifactLock(text: string, source = 'lock file'): ArtifactLock {
  let pomSha256: string | undefined
  const artifacts: LockedArtifact[] = []
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    const pom = /^#\s*pom sha256:\s*([0-9a-f]{64})$/.exec(line)
    if (pom !== null) pomSha256 = pom[1]
    if (line === '' || line.startsWith('#')) continue
    const [sha256, path, ...rest] = line.split(/\s+/)
    if (sha256 === undefined || !HEX_64.test(sha256) || path === undefined || rest.length > 0 || path.startsWith('/') || path.split('/').includes('..')) {
      throw new Error(`${source}:${index + 1}: expected "<sha256>  <path in the repository>", got: ${line}`)
    }
    artifacts.push({ path, sha256 })
  }
  if (pomSha256 === undefined) throw new Error(`${source} has no "# pom sha256: <hex>" line`)
  return { pomSha256, artifacts }
}

export function formatArtifactLock(lock: ArtifactLock, header: readonly string[]): string {
  return [...header.map((line) => `# ${line}`), `# pom sha256: ${lock.pomSha256}`, ...lock.artifacts.map(({ sha256, path }) => `${sha256}  ${path}`), ''].join('\n')
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

export interface DownloadOptions {
  /** Base URL of the repository; default Maven Central. */
  repositoryUrl?: string
  /** Files land at `<targetDir>/<path>`; one already there with the pinned sha256 is not fetched again. */
  targetDir: string
  /** Downloads at a time. */
  concurrency?: number
  /** For one file, checksum included. */
  timeoutMs?: number
  onProgress?: (done: number, total: number, bytes: number) => void
}

/** Bytes of `url`, streamed to `file` while hashing; returns both digests. */
async function fetchToFile(url: string, file: string, signal: AbortSignal): Promise<{ sha1: string; sha256: string; bytes: number }> {
  const response = await fetch(url, { signal })
  if (!response.ok || response.body === null) throw new Error(`GET ${url}: HTTP ${response.status}`)
  const sha1 = createHash('sha1')
  const sha256 = createHash('sha256')
  let bytes = 0
  const body = Readable.fromWeb(response.body as ReadableStream<Uint8Array>)
  body.on('data', (chunk: Buffer) => {
    sha1.update(chunk)
    sha256.update(chunk)
    bytes += chunk.length
  })
  await pipeline(body, createWriteStream(file), { signal })
  return { sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), bytes }
}

/** The checksum the repository serves for `url`: `.sha256` when it has one, else `.sha1`. */
async function servedChecksum(url: string, signal: AbortSignal): Promise<{ algorithm: 'sha256' | 'sha1'; hex: string }> {
  for (const algorithm of ['sha256', 'sha1'] as const) {
    const response = await fetch(`${url}.${algorithm}`, { signal })
    if (response.status === 404) {
      await response.body?.cancel()
      continue
    }
    if (!response.ok) throw new Error(`GET ${url}.${algorithm}: HTTP ${response.status}`)
    // Some files hold "<hex>  <file name>"; the digest is the first word.
    const hex = (await response.text()).trim().split(/\s+/)[0]?.toLowerCase() ?? ''
    if (!/^[0-9a-f]+$/.test(hex) || hex.length !== (algorithm === 'sha256' ? 64 : 40)) throw new Error(`${url}.${algorithm} is not a ${algorithm} checksum`)
    return { algorithm, hex }
  }
  throw new Error(`${url} has neither a .sha256 nor a .sha1 checksum beside it`)
}

/** `<url>: <what went wrong>`, with the network's reason that fetch keeps in `cause` ("fetch failed (ECONNREFUSED)"). */
function describeFailure(error: unknown, url: string): string {
  const message = error instanceof Error ? error.message : String(error)
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined
  const reason = cause?.code ?? cause?.message
  const full = reason === undefined || message.includes(reason) ? message : `${message} (${reason})`
  return full.includes(url) ? full : `${url}: ${full}`
}

async function downloadOne(artifact: LockedArtifact, repositoryUrl: string, targetDir: string, cancel: AbortSignal, timeoutMs: number): Promise<number> {
  const file = join(targetDir, artifact.path)
  if (existsSync(file) && sha256Of(file) === artifact.sha256) return 0
  const signal = AbortSignal.any([cancel, AbortSignal.timeout(timeoutMs)])
  mkdirSync(dirname(file), { recursive: true })
  const url = `${repositoryUrl.replace(/\/+$/, '')}/${artifact.path}`
  // Written aside and renamed once verified, so the cache never holds a partial or unverified jar.
  const partial = `${file}.${process.pid}.part`
  try {
    const served = await servedChecksum(url, signal)
    const got = await fetchToFile(url, partial, signal)
    if (got[served.algorithm] !== served.hex) {
      throw new Error(`${url}: its ${served.algorithm} is ${got[served.algorithm]}, but the repository's .${served.algorithm} says ${served.hex}`)
    }
    if (got.sha256 !== artifact.sha256) throw new Error(`${url}: its sha256 is ${got.sha256}, but the lock file pins ${artifact.sha256}`)
    renameSync(partial, file)
    return got.bytes
  } catch (error) {
    if (cancel.aborted) throw error
    throw new Error(describeFailure(error, url), { cause: error })
  } finally {
    rmSync(partial, { force: true })
  }
}

/**
 * Downloads every artifact of `artifacts` into `targetDir` (Maven's layout), a few at a time, and returns the
 * absolute paths in the same order. The first failure cancels the downloads in flight and is thrown; files already
 * verified stay, so a second try fetches only the rest.
 */
export async function downloadArtifacts(artifacts: readonly LockedArtifact[], options: DownloadOptions): Promise<string[]> {
  const { repositoryUrl = MAVEN_CENTRAL_URL, targetDir, concurrency = 6, timeoutMs = 120_000, onProgress } = options
  const abort = new AbortController()
  let next = 0
  let done = 0
  let bytes = 0
  const worker = async (): Promise<void> => {
    while (next < artifacts.length && !abort.signal.aborted) {
      const artifact = artifacts[next++]!
      const fetched = await downloadOne(artifact, repositoryUrl, targetDir, abort.signal, timeoutMs)
      bytes += fetched
      onProgress?.(++done, artifacts.length, bytes)
    }
  }
  const workers = Array.from({ length: Math.min(concurrency, artifacts.length) }, () =>
    worker().catch((error: unknown) => {
      abort.abort(error)
      throw error
    }),
  )
  const results = await Promise.allSettled(workers)
  // The first failure, not the cancellations it caused in the others.
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failure !== undefined) throw abort.signal.reason ?? failure.reason
  return artifacts.map(({ path }) => join(targetDir, path))
}
