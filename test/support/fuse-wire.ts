/**
 * A stand-in for an Electron binary: padding around the fuse wire Electron carries since version 12
 * (its sentinel, the wire's version and length, and one byte per fuse), which @electron/fuses reads and
 * flips as in a real build; and the check that Dropdeck's fuse set (build/fuses.ts) is on such a wire.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { expect } from 'vitest'

/** The marker Electron puts before its fuse wire (@electron/fuses does not export it from its entry). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

/** Writes the stand-in with `fuses` fuses, each as Electron ships it ('1'), and `padding` bytes each side. */
export async function writeFakeElectron(file: string, fuses = 9, padding = 4096): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const wire = Buffer.from('1'.repeat(fuses))
  await writeFile(file, Buffer.concat([Buffer.alloc(padding, 0x90), Buffer.from(FUSE_SENTINEL), Buffer.from([1, wire.length]), wire, Buffer.alloc(padding, 0x90)]))
}

/** RunAsNode, NODE_OPTIONS and --inspect off; cookie encryption, asar-only loading and asar integrity on; no extra file:// privileges. */
export async function expectDropdeckFuses(binary: string): Promise<void> {
  const fuses = await getCurrentFuseWire(binary)
  expect(fuses[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
  expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
  expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
  expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE)
  expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
  expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
  expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE)
}
