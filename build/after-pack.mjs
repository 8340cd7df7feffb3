/**
 * electron-builder's afterPack hook (electron-builder.yml), run on each packed app before it is
 * signed, so the signature covers what it changes:
 * - flips build/fuses.ts's fuse set on the Electron binary with @electron/fuses (one list of fuses,
 *   the one test/unit/fuses.test.ts checks; electron-builder's own `electronFuses` would be a second);
 * - makes node-pty's spawn-helper executable: the npm tarball ships it 0644, and macOS then fails
 *   every terminal with `posix_spawnp failed` (node-pty#850).
 * Plain JavaScript because electron-builder loads it with Node; it imports fuses.ts through Node's
 * type stripping (Node >= 22.18).
 */
import { chmod, readdir } from 'node:fs/promises'
import path from 'node:path'
import { flipFuses } from '@electron/fuses'
import { dropdeckFuses } from './fuses.ts'

/**
 * The packed Electron binary (or .app), named as electron-builder names it.
 * @param {{ appOutDir: string, electronPlatformName: string, packager: { appInfo: { productFilename: string }, executableName?: string } }} context
 */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${packager.appInfo.productFilename}.app`)
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`)
  return path.join(appOutDir, packager.executableName ?? packager.appInfo.productFilename)
}

/** @param {Parameters<typeof electronBinaryPath>[0]} context */
function unpackedDir(context) {
  const resources = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas' ? path.join(electronBinaryPath(context), 'Contents', 'Resources') : path.join(context.appOutDir, 'resources')
  return path.join(resources, 'app.asar.unpacked')
}

/**
 * chmod 0755 every node-pty spawn-helper under an app.asar.unpacked folder; returns their paths.
 * @param {string} unpacked
 */
export async function makeSpawnHelpersExecutable(unpacked) {
  const ptyRoot = path.join(unpacked, 'node_modules', 'node-pty')
  const dirs = [path.join(ptyRoot, 'build', 'Release')]
  const prebuilds = await readdir(path.join(ptyRoot, 'prebuilds')).catch(() => [])
  for (const name of prebuilds) dirs.push(path.join(ptyRoot, 'prebuilds', name))
  const done = []
  for (const dir of dirs) {
    const helper = path.join(dir, 'spawn-helper')
    try {
      await chmod(helper, 0o755)
      done.push(helper)
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'ENOENT') throw err
    }
  }
  return done
}

/** electron-builder's Arch enum value for arm64 (builder-util: ia32 0, x64 1, armv7l 2, arm64 3). */
const ARM64 = 3

/** @param {Parameters<typeof electronBinaryPath>[0] & { arch: number }} context */
export default async function afterPack(context) {
  // An unsigned arm64 macOS binary must keep a valid ad-hoc signature or it will not start.
  const resetAdHocDarwinSignature = context.electronPlatformName === 'darwin' && context.arch === ARM64
  await flipFuses(electronBinaryPath(context), { ...dropdeckFuses, resetAdHocDarwinSignature })
  if (context.electronPlatformName !== 'win32') await makeSpawnHelpersExecutable(unpackedDir(context))
}
