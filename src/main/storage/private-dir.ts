/**
 * The data folder holds tokens' neighbours (hosts, tunnels, the audit log): only its owner may list or
 * read it. New folders are made 0700; a folder made by an older Dropdeck (0755) is tightened once per
 * process, the first time something is written into it.
 */
import { chmod, mkdir } from 'node:fs/promises'
import path from 'node:path'

const tightened = new Set<string>()

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/** Creates `dir` (and any missing parents) 0700, or chmods an existing one to 0700. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const resolved = path.resolve(dir)
  const created = await mkdir(resolved, { recursive: true, mode: PRIVATE_DIR_MODE })
  if (created !== undefined || tightened.has(resolved)) return
  // Windows has no POSIX modes: chmod there only toggles read-only, so leave the folder to its ACLs.
  if (process.platform !== 'win32') await chmod(resolved, PRIVATE_DIR_MODE)
  tightened.add(resolved)
}
