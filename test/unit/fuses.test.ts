/**
 * The fuse settings, flipped by @electron/fuses itself on a file that carries an Electron fuse wire
 * (the sentinel, version, length and one byte per fuse, as in every Electron binary since 12).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import { flipDropdeckFuses } from '../../build/fuses'

/** The marker Electron puts before its fuse wire (@electron/fuses does not export it from its entry). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

describe('Electron fuses', () => {
  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on asar-only loading with integrity', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dropdeck-fuses-'))
    const binary = join(dir, 'electron')
    const wire = Buffer.from('1'.repeat(9)) // Electron ships these enabled or at defaults
    await writeFile(binary, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), wire, Buffer.alloc(4096, 0x90)]))
    try {
      await flipDropdeckFuses(binary)
      const fuses = await getCurrentFuseWire(binary)
      expect(fuses[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE)
      expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE)
      expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE)
      expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE)
      expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE)
      expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE)
      expect((await readFile(binary)).length).toBe(4096 * 2 + SENTINEL.length + 2 + 9)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
