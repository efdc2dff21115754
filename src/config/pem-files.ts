import { readConfigFile } from '../plugin/config-files.ts'
import { ConfigError } from '../plugin/errors.ts'
import { PEM_CONVERSION_ADVICE, type PemSource } from './kafka-client-config.ts'

/**
 * The PEM text a key gives, inline or in a file read safely; a file that is not PEM (a JKS or PKCS12 store, most
 * likely) is a ConfigError on that key that says how to convert it.
 */
export const readPemSource = async (source: PemSource): Promise<string> => {
  if ('pem' in source) return source.pem
  try {
    return (await readConfigFile(source.key, source.path, { pem: true })).toString('utf8')
  } catch (error) {
    if (error instanceof ConfigError && error.reason.startsWith('is not a PEM file')) {
      throw new ConfigError(source.key, source.path, `${error.reason}: ${PEM_CONVERSION_ADVICE}`)
    }
    throw error
  }
}
