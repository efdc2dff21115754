import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A fresh directory for one test's files. Under `npm test` it lives inside the run's temp dir
 * (TEST_TMPDIR, set by test/run.ts), which is deleted even when the run is interrupted.
 */
export function makeTestTempDir(prefix: string): Promise<string> {
  const root = process.env.TEST_TMPDIR
  return mkdtemp(join(root !== undefined && root !== '' ? root : tmpdir(), prefix))
}
