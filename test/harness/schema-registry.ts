import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { findFreePort } from '../../scripts/infra/ports.ts'
import { startSchemaRegistry } from '../../scripts/infra/schema-registry.ts'
import { makeTestTempDir } from './temp.ts'

export interface TestSchemaRegistry {
  /** Base URL of the Confluent Schema Registry API, as `schema.registry.url` takes it. */
  url: string
  /** True when SCHEMA_REGISTRY_URL points at a registry this harness does not control; stop() then does nothing. */
  external: boolean
  /** Stops the registry (its data is in memory and goes with it) and deletes its temp dir; call once in `after()`. */
  stop(): Promise<void>
}

/**
 * A Confluent-compatible schema registry for one test file: the one at SCHEMA_REGISTRY_URL when set, otherwise a
 * private Apicurio Registry on a free port (about 10 s to start; the first run also downloads it, see
 * scripts/infra/schema-registry.ts). Tests share nothing through it but should still use their own subjects.
 */
export async function startTestSchemaRegistry(): Promise<TestSchemaRegistry> {
  const externalUrl = process.env.SCHEMA_REGISTRY_URL
  if (externalUrl !== undefined && externalUrl.trim() !== '') {
    return { url: externalUrl.trim().replace(/\/+$/, ''), external: true, stop: async () => {} }
  }
  const dataDir = await makeTestTempDir('schema-registry-')
  try {
    const registry = await startSchemaRegistry({ port: await findFreePort(), dataDir, logFile: join(dataDir, 'schema-registry.log'), detached: false })
    return {
      url: registry.url,
      external: false,
      stop: async () => {
        await registry.stop()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}
