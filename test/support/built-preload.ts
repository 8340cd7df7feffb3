/**
 * The built sandboxed preload, as `npm run build` makes it: out/preload/index.cjs when it is newer than
 * everything it is built from, else a fresh build with the project's electron-vite config into a temp
 * folder (so a test never rewrites out/ under another test that reads it).
 */
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveConfig } from 'electron-vite'
import { build } from 'vite'
import { repoRoot } from './host-harness'

export interface BuiltPreload {
  path: string
  source: string
  /** 'out' when out/preload was fresh, 'rebuilt' when built for this test. */
  origin: 'out' | 'rebuilt'
}

const inputs = ['electron.vite.config.ts', 'package-lock.json', 'src/preload', 'src/shared']

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)))
  return newest
}

let cached: Promise<BuiltPreload> | undefined

export function builtPreload(): Promise<BuiltPreload> {
  cached ??= locate()
  return cached
}

async function locate(): Promise<BuiltPreload> {
  const outFile = join(repoRoot, 'out/preload/index.cjs')
  const built = await stat(outFile).then((s) => s.mtimeMs, () => 0)
  const newestInput = Math.max(...(await Promise.all(inputs.map((p) => newestMtime(join(repoRoot, p))))))
  if (built > newestInput) return { path: outFile, source: await readFile(outFile, 'utf8'), origin: 'out' }
  return { ...(await buildPreload()), origin: 'rebuilt' }
}

/** Builds only the preload target of electron.vite.config.ts, unchanged but for its output folder. */
async function buildPreload(): Promise<{ path: string; source: string }> {
  const outDir = await mkdtemp(join(tmpdir(), 'dropdeck-preload-'))
  const resolved = await resolveConfig({ root: repoRoot, configFile: join(repoRoot, 'electron.vite.config.ts'), logLevel: 'warn' }, 'build', 'production')
  const preload = resolved.config?.preload
  if (!preload) throw new Error('electron.vite.config.ts has no preload target')
  await build({ ...preload, configFile: false, logLevel: 'warn', build: { ...preload.build, outDir, emptyOutDir: true } })
  const path = join(outDir, 'index.cjs')
  return { path, source: await readFile(path, 'utf8') }
}
