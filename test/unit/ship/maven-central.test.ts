import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { kafkaLockFile, kafkaPomFile } from '../../../scripts/infra/kafka-classpath.ts'
import { downloadArtifacts, formatArtifactLock, parseArtifactLock, sha256Of, type LockedArtifact } from '../../../scripts/infra/maven-central.ts'

const digest = (algorithm: 'sha1' | 'sha256', bytes: string): string => createHash(algorithm).update(bytes).digest('hex')

/** A Maven repository on 127.0.0.1 serving `files` (path → body); 404 for anything else. */
const repository = (files: Record<string, string>): Promise<{ url: string; server: Server; requests: string[] }> =>
  new Promise((resolve) => {
    const requests: string[] = []
    const server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url!, 'http://x').pathname.replace(/^\/maven2\//, ''))
      requests.push(path)
      const body = files[path]
      response.writeHead(body === undefined ? 404 : 200).end(body)
    })
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number }
      resolve({ url: `http://127.0.0.1:${address.port}/maven2`, server, requests })
    })
  })

const jar = (name: string, body: string, checksums: { sha1?: string; sha256?: string }): Record<string, string> => {
  const path = `org/example/${name}/1.0/${name}-1.0.jar`
  return {
    [path]: body,
    ...(checksums.sha1 !== undefined && { [`${path}.sha1`]: checksums.sha1 }),
    ...(checksums.sha256 !== undefined && { [`${path}.sha256`]: checksums.sha256 }),
  }
}
const locked = (name: string, body: string): LockedArtifact => ({ path: `org/example/${name}/1.0/${name}-1.0.jar`, sha256: digest('sha256', body) })

describe('downloading jars without Maven', () => {
  const files = {
    ...jar('good', 'good bytes', { sha256: digest('sha256', 'good bytes'), sha1: 'not consulted when a .sha256 is there' }),
    ...jar('sha1-only', 'old bytes', { sha1: `${digest('sha1', 'old bytes')}  sha1-only-1.0.jar\n` }),
    ...jar('tampered', 'evil bytes', { sha256: digest('sha256', 'good bytes') }),
    ...jar('unchecked', 'any bytes', {}),
    ...jar('repinned', 'new bytes', { sha256: digest('sha256', 'new bytes') }),
  }
  let repo: Awaited<ReturnType<typeof repository>>
  let target: string

  before(async () => {
    repo = await repository(files)
    target = mkdtempSync(join(tmpdir(), 'maven-central-test-'))
  })
  after(() => {
    repo.server.close()
    rmSync(target, { recursive: true, force: true })
  })

  const download = (artifacts: LockedArtifact[]): Promise<string[]> => downloadArtifacts(artifacts, { repositoryUrl: repo.url, targetDir: target, concurrency: 2 })

  it("keeps a jar whose bytes match the repository's .sha256 and the lock, in Maven's layout, in lock order", async () => {
    const paths = await download([locked('good', 'good bytes'), locked('sha1-only', 'old bytes')])
    assert.deepEqual(paths, [join(target, 'org/example/good/1.0/good-1.0.jar'), join(target, 'org/example/sha1-only/1.0/sha1-only-1.0.jar')])
    assert.equal(readFileSync(paths[0]!, 'utf8'), 'good bytes')
    assert.equal(readFileSync(paths[1]!, 'utf8'), 'old bytes', 'checked against .sha1 where the repository has no .sha256')
  })

  it('does not fetch again a jar that is already there with the pinned sha256', async () => {
    repo.requests.length = 0
    await download([locked('good', 'good bytes')])
    assert.deepEqual(repo.requests, [])
  })

  it("refuses a jar whose bytes do not match the repository's checksum, and leaves nothing of it behind", async () => {
    await assert.rejects(download([{ path: 'org/example/tampered/1.0/tampered-1.0.jar', sha256: digest('sha256', 'evil bytes') }]), /tampered-1\.0\.jar: its sha256 is \w+, but the repository's \.sha256 says/)
    assert.deepEqual(readdirSync(join(target, 'org/example/tampered/1.0')), [])
  })

  it('refuses a jar that matches the repository but not the sha256 the lock pins', async () => {
    await assert.rejects(download([{ path: 'org/example/repinned/1.0/repinned-1.0.jar', sha256: digest('sha256', 'old bytes') }]), /but the lock file pins/)
    assert.ok(!existsSync(join(target, 'org/example/repinned/1.0/repinned-1.0.jar')))
  })

  it('refuses a jar without a checksum beside it, and a jar that is missing', async () => {
    await assert.rejects(download([locked('unchecked', 'any bytes')]), /has neither a \.sha256 nor a \.sha1/)
    await assert.rejects(download([locked('absent', 'x')]), /absent-1\.0\.jar/)
  })
})

describe('scripts/kafka/jars.lock', () => {
  it('reads back what it writes', () => {
    const lock = { pomSha256: 'a'.repeat(64), artifacts: [{ path: 'g/a/1/a-1.jar', sha256: 'b'.repeat(64) }] }
    assert.deepEqual(parseArtifactLock(formatArtifactLock(lock, ['a comment'])), lock)
  })

  it('refuses a line that is not "<sha256>  <path>" or a path that leaves the repository', () => {
    const pom = `# pom sha256: ${'a'.repeat(64)}\n`
    assert.throws(() => parseArtifactLock(`${pom}abc  g/a.jar\n`), /:2: expected/)
    assert.throws(() => parseArtifactLock(`${pom}${'b'.repeat(64)}  ../../etc/passwd\n`), /:2: expected/)
    assert.throws(() => parseArtifactLock(`${'b'.repeat(64)}  g/a.jar\n`), /no "# pom sha256/)
  })

  it('was made from the current scripts/kafka/pom.xml (after changing the pom, run npm run kafka:lock)', () => {
    const lock = parseArtifactLock(readFileSync(kafkaLockFile, 'utf8'), kafkaLockFile)
    assert.equal(lock.pomSha256, sha256Of(kafkaPomFile))
    const kafkaVersion = /<kafka\.version>([^<]+)</.exec(readFileSync(kafkaPomFile, 'utf8'))?.[1]
    assert.ok(lock.artifacts.some(({ path }) => path === `org/apache/kafka/kafka_2.13/${kafkaVersion}/kafka_2.13-${kafkaVersion}.jar`))
  })
})
