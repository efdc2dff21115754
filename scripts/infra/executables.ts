import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Finds `name` on PATH, then at the given absolute fallbacks
 * (Debian puts daemons such as mosquitto in /usr/sbin, which is not on every user's PATH).
 */
export function findExecutable(name: string, fallbacks: readonly string[] = []): string | undefined {
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
  return [...onPath, ...fallbacks].find(isExecutable)
}
