/**
 * The installer configuration (electron-builder.yml), checked here because no installer can be built
 * on this machine (no Electron binary to download): a change that breaks one of these fails CI.
 * - electron-builder's own loader reads the file and its JSON schema accepts it (and refuses a typo);
 * - npmRebuild off; every .node file and node-pty's spawn-helper unpacked; ssh2's OpenSSL binding and
 *   cpu-features left out; each OS ships only its own keyring package;
 * - the targets: dmg + zip for arm64 and x64, nsis, AppImage and deb;
 * - updates from a generic feed whose address comes from the build's environment, with the Windows
 *   signer check on; checks only in installed builds;
 * - the afterPack hook, run on fake packed apps (Linux and macOS layouts), flips build/fuses.ts's fuses
 *   on the binary's real fuse wire and makes spawn-helper executable, and build/check-fuses.mjs (the
 *   release workflow's check of each packed app) tells a flipped binary from one left as Electron ships it;
 * - the release workflow builds on macOS, Windows and Linux runners with signing read from secrets.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Configuration } from 'electron-builder'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import afterPack, { electronBinaryPath } from '../../build/after-pack.mjs'
import { fuseMismatches } from '../../build/check-fuses.mjs'
import { dropdeckFuses } from '../../build/fuses'
import { updateDecision } from '../../src/main/updates/update-policy'
import { expectDropdeckFuses, writeFakeElectron } from '../support/fuse-wire'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const require = createRequire(path.join(repoRoot, 'package.json'))
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Configuration>
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

let config: Configuration
beforeAll(async () => {
  config = await getConfig(repoRoot, 'electron-builder.yml', null)
})

/** The patterns of a `files` setting, as the loader normalises it ({filter: [...]}). */
function patterns(files: unknown): string[] {
  const list = Array.isArray(files) ? files : [files]
  return list.flatMap((f) => (typeof f === 'string' ? [f] : ((f as { filter?: string[] })?.filter ?? [])))
}

type TargetList = Array<{ target: string; arch?: string[] }>

describe('packaging config (electron-builder.yml)', () => {
  it("passes electron-builder's schema, which refuses a misspelt key", async () => {
    await validateConfiguration(config, new DebugLogger(false))
    await expect(validateConfiguration({ ...config, npmRebuld: false } as Configuration, new DebugLogger(false))).rejects.toThrow(/unknown property 'npmRebuld'/)
    const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> }
    expect(pkg.devDependencies['electron-builder']).toMatch(/^26\.\d+\.\d+$/)
    expect(pkg.dependencies['electron-updater']).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('never rebuilds native modules, and unpacks every .node file and spawn-helper', () => {
    expect(config.npmRebuild).toBe(false)
    expect(config.nodeGypRebuild).toBe(false)
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/node-pty/prebuilds/*/spawn-helper', 'node_modules/node-pty/build/Release/spawn-helper']))
    expect(config.afterPack).toBe('./build/after-pack.mjs')
    // One fuse list: build/fuses.ts through afterPack, not a second one in the builder's own option.
    expect(config.electronFuses ?? null).toBeNull()
  })

  it("leaves ssh2's OpenSSL binding and cpu-features out, and ships each OS only its own keyring package", () => {
    const common = patterns(config.files)
    expect(common).toEqual(expect.arrayContaining(['out/**', 'package.json', '!node_modules/ssh2/lib/protocol/crypto/build/**', '!node_modules/cpu-features/**']))
    expect(patterns(config.mac?.files)).toContain('!node_modules/@napi-rs/keyring-{linux,win32,freebsd}-*/**')
    expect(patterns(config.win?.files)).toContain('!node_modules/@napi-rs/keyring-{linux,darwin,freebsd}-*/**')
    expect(patterns(config.linux?.files)).toContain('!node_modules/@napi-rs/keyring-{darwin,win32,freebsd}-*/**')
  })

  it('builds dmg and zip for arm64 and x64, nsis, AppImage and deb', () => {
    const targets = (list: unknown) => Object.fromEntries((list as TargetList).map((t) => [t.target, t.arch]))
    expect(targets(config.mac?.target)).toEqual({ dmg: ['arm64', 'x64'], zip: ['arm64', 'x64'] })
    expect(targets(config.win?.target)).toEqual({ nsis: ['x64'] })
    expect(targets(config.linux?.target)).toEqual({ AppImage: ['x64'], deb: ['x64'] })
    expect(config.mac?.hardenedRuntime).toBe(true)
    expect(config.mac?.notarize).toBe(true)
  })

  it('updates from a generic HTTPS feed named at build time, with the Windows signer check on, and only in installed builds', () => {
    expect(config.publish).toEqual({ provider: 'generic', url: '${env.DROPDECK_UPDATE_URL}' })
    expect(config.win?.verifyUpdateCodeSignature).toBe(true)
    expect(config.win?.signtoolOptions?.publisherName).toBeTruthy()
    expect(updateDecision({ isPackaged: false, env: {} })).toEqual({ check: false, reason: 'a development build never checks for updates' })
    expect(updateDecision({ isPackaged: true, env: {} })).toEqual({ check: true })
    expect(updateDecision({ isPackaged: true, env: { DROPDECK_UPDATES: 'off' } })).toMatchObject({ check: false })
  })
})

describe('afterPack hook (build/after-pack.mjs)', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'dropdeck-after-pack-'))
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  /** As many fuses as build/fuses.ts sets (it requires them all), each as Electron ships it. */
  const fuseCount = Object.keys(dropdeckFuses).length - 2

  async function fakeSpawnHelper(unpacked: string, dir: string): Promise<string> {
    const helper = path.join(unpacked, 'node_modules', 'node-pty', dir, 'spawn-helper')
    await mkdir(path.dirname(helper), { recursive: true })
    await writeFile(helper, '#!/bin/sh\n')
    await chmod(helper, 0o644) // as the npm tarball ships it
    return helper
  }

  it('on a Linux app: flips the fuses on the executable and makes spawn-helper executable', async () => {
    const appOutDir = path.join(root, 'linux-unpacked')
    const context = { appOutDir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'dropdeck', appInfo: { productFilename: 'Dropdeck' } } }
    expect(electronBinaryPath(context)).toBe(path.join(appOutDir, 'dropdeck'))
    await writeFakeElectron(path.join(appOutDir, 'dropdeck'), fuseCount)
    // What the release workflow's check says of an app the hook did not run on, and of one it did.
    expect(await fuseMismatches(path.join(appOutDir, 'dropdeck'))).toContain('fuse 0: wanted off, found on')
    const helper = await fakeSpawnHelper(path.join(appOutDir, 'resources', 'app.asar.unpacked'), 'build/Release')
    await afterPack(context)
    await expectDropdeckFuses(path.join(appOutDir, 'dropdeck'))
    expect(await fuseMismatches(path.join(appOutDir, 'dropdeck'))).toEqual([])
    expect(((await stat(helper)).mode & 0o777).toString(8)).toBe('755')
  })

  it('on a macOS app: the binary inside the .app, and every prebuilt spawn-helper in its Resources', async () => {
    const appOutDir = path.join(root, 'mac-x64')
    const context = { appOutDir, electronPlatformName: 'darwin', arch: 1, packager: { appInfo: { productFilename: 'Dropdeck' } } }
    const app = path.join(appOutDir, 'Dropdeck.app')
    expect(electronBinaryPath(context)).toBe(app)
    // @electron/fuses finds a .app's binary at Contents/Frameworks/Electron Framework.framework/Electron Framework.
    const framework = path.join(app, 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework')
    await writeFakeElectron(framework, fuseCount)
    const unpacked = path.join(app, 'Contents', 'Resources', 'app.asar.unpacked')
    const helpers = [await fakeSpawnHelper(unpacked, 'prebuilds/darwin-arm64'), await fakeSpawnHelper(unpacked, 'prebuilds/darwin-x64')]
    await afterPack(context)
    await expectDropdeckFuses(framework)
    for (const helper of helpers) expect(((await stat(helper)).mode & 0o777).toString(8)).toBe('755')
  })
})

describe('release workflow (.github/workflows/release.yml)', () => {
  it('builds every target on hosted macOS, Windows and Linux runners, signing and notarising with secrets', async () => {
    const workflow = await readFile(path.join(repoRoot, '.github/workflows/release.yml'), 'utf8')
    for (const runner of ['macos-', 'windows-', 'ubuntu-']) expect(workflow).toContain(runner)
    for (const flag of ['--mac', '--win', '--linux']) expect(workflow).toContain(flag)
    for (const secret of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD', 'APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER']) {
      expect(workflow).toContain(`\${{ secrets.${secret} }}`)
    }
    expect(workflow).toContain('DROPDECK_UPDATE_URL')
    expect(workflow).toContain('forceCodeSigning=true')
    // Both darwin keyring packages on the macOS runner (npm installs only the runner's own).
    expect(workflow).toMatch(/@napi-rs\/keyring-darwin-x64@\S+ @napi-rs\/keyring-darwin-arm64@/)
  })
})
