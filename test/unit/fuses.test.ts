/**
 * The fuse settings, flipped by @electron/fuses itself on a file that carries an Electron fuse wire
 * (the sentinel, version, length and one byte per fuse, as in every Electron binary since 12).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { flipDropdeckFuses } from '../../build/fuses'
import { expectDropdeckFuses, FUSE_SENTINEL, writeFakeElectron } from '../support/fuse-wire'

describe('Electron fuses', () => {
  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on asar-only loading with integrity', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dropdeck-fuses-'))
    const binary = join(dir, 'electron')
    await writeFakeElectron(binary, 9) // Electron ships these enabled or at defaults
    try {
      await flipDropdeckFuses(binary)
      await expectDropdeckFuses(binary)
      expect((await readFile(binary)).length).toBe(4096 * 2 + FUSE_SENTINEL.length + 2 + 9)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
