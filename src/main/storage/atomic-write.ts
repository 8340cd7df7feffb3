/**
 * Replacing a file so that a crash at any moment leaves either the old content or the new one, never a
 * mix, and no other writer's update is lost:
 * - each write goes to its own temp file (`<file>.<pid>.<random>.tmp`), so two writers never share
 *   one and a stale one names the process that left it;
 * - the temp file is created 0600 and fsync-ed before the rename, so the rename never publishes
 *   blocks that are not on disk yet (ext4 and APFS may reorder them otherwise);
 * - the folder is fsync-ed after the rename, so the new name itself survives a power cut.
 * write-file-atomic (npm) covers the first two but names temps by a hash, which hides whether their
 * writer is still alive, and does not sync the folder; hence these few lines.
 */
import { randomBytes } from 'node:crypto'
import { chmod, open, readdir, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-dir'

/** `<base>.<pid>.<hex>.tmp`, and the two older forms (`<base>.tmp`, `<base>.<pid>.tmp`). */
function tempPattern(base: string): RegExp {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^${escaped}(?:\\.(\\d+)(?:\\.[0-9a-f]+)?)?\\.tmp$`)
}

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file)
  await ensurePrivateDir(dir)
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(tmp, 'wx', PRIVATE_FILE_MODE)
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } catch (err) {
    await handle.close()
    await unlink(tmp).catch(() => undefined)
    throw err
  }
  await handle.close()
  try {
    await rename(tmp, file)
  } catch (err) {
    await unlink(tmp).catch(() => undefined)
    throw err
  }
  await syncDir(dir)
}

async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a folder as a file; NTFS journals the rename itself.
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Removes the temp files a crashed writer left beside `file`: those of processes that are gone, and
 * this process's own (call it only while no write of `file` is in flight here). Also tightens an
 * existing `file` to 0600 (older versions wrote some files 0644). Returns the names removed.
 */
export async function sweepStaleTemps(file: string): Promise<string[]> {
  const dir = path.dirname(file)
  const pattern = tempPattern(path.basename(file))
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const removed: string[] = []
  for (const name of names) {
    const match = pattern.exec(name)
    if (!match) continue
    const pid = match[1] === undefined ? undefined : Number(match[1])
    if (pid !== undefined && pid !== process.pid && isAlive(pid)) continue
    await unlink(path.join(dir, name)).then(
      () => removed.push(name),
      () => undefined
    )
  }
  if (process.platform !== 'win32') {
    await chmod(file, PRIVATE_FILE_MODE).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err
    })
  }
  return removed
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
