// Where the bench finds the repository and the shared folder beside it.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file lives in <root>/test/fleet/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** ../shared relative to the repo root, or DROPDECK_SHARED_DIR. */
export function sharedDir(): string {
  return process.env.DROPDECK_SHARED_DIR ? path.resolve(process.env.DROPDECK_SHARED_DIR) : path.resolve(repoRoot, '..', 'shared')
}
