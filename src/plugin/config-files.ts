import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { ConfigError } from './errors.ts'

/** Larger than any CA bundle or key a connector would be given; a file beyond it is a mistake, not a certificate. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/

/**
 * Reads a file a config key names (a CA bundle, a client certificate or key) without ever blocking the worker:
 * the file is opened non-blocking and read only if it is a regular file under `MAX_CONFIG_FILE_BYTES`, so a FIFO,
 * a device such as /dev/zero or a directory is a ConfigError naming `key`, not a frozen event loop.
 * Every problem is thrown as a ConfigError, so validation and task start report it the same way.
 */
export const readConfigFile = async (key: string, path: string, { pem = false }: { readonly pem?: boolean } = {}): Promise<Buffer> => {
  let handle
  try {
    // O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    throw new ConfigError(key, path, openFailure(error))
  }
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) throw new ConfigError(key, path, 'is not a regular file')
    if (stats.size > MAX_CONFIG_FILE_BYTES) throw new ConfigError(key, path, `is larger than ${MAX_CONFIG_FILE_BYTES} bytes`)
    const content = await handle.readFile()
    if (content.length > MAX_CONFIG_FILE_BYTES) throw new ConfigError(key, path, `is larger than ${MAX_CONFIG_FILE_BYTES} bytes`)
    if (pem && !PEM_BLOCK.test(content.toString('latin1'))) throw new ConfigError(key, path, 'is not a PEM file (no -----BEGIN ...----- block)')
    return content
  } finally {
    await handle.close()
  }
}

const openFailure = (error: unknown): string => {
  const code = (error as { code?: unknown }).code
  if (code === 'ENOENT') return 'file not found'
  if (code === 'EACCES' || code === 'EPERM') return 'file is not readable by the worker'
  if (code === 'EISDIR') return 'is a directory, not a file'
  return `cannot be opened (${typeof code === 'string' ? code : 'unknown error'})`
}

/** `readConfigFile` as a validation step: the problem it would throw, or `null` when the file is fine. */
export const configFileProblem = async (key: string, path: string, options?: { readonly pem?: boolean }): Promise<ConfigError | null> => {
  try {
    await readConfigFile(key, path, options)
    return null
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
}
