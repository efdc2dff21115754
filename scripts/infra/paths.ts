import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

/** Absolute path of the repository root, independent of the caller's working directory. */
export const projectRoot: string = fileURLToPath(new URL('../..', import.meta.url))

/** A path under the git-ignored `.cache/` folder, where local infrastructure keeps its state. */
export function cachePath(...segments: string[]): string {
  return join(projectRoot, '.cache', ...segments)
}
