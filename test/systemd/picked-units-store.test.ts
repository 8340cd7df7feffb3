// The picked-units store on a real temp folder: nothing picked at first, per-host picks, a damaged file, and
// writes that replace the file whole (no temporary file left behind).
import { describe, it, expect, afterEach } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PickedUnitsStore } from '../../src/main/systemd/picked-units-store'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'ddpick-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('picked units store', () => {
  it('has no units picked for a host until one is stored (no fixed default list), and keeps picks per host on disk', async () => {
    const dir = tempDir()
    const store = new PickedUnitsStore(dir)
    expect(await store.get('a')).toEqual([])
    await Promise.all([store.set('a', ['nginx', 'docker', 'nginx']), store.set('b', [])])
    expect(await store.get('a')).toEqual(['nginx', 'docker'])
    expect(await store.get('b')).toEqual([])
    expect(await new PickedUnitsStore(dir).get('a')).toEqual(['nginx', 'docker'])
    expect(JSON.parse(readFileSync(path.join(dir, 'picked-units.json'), 'utf8'))).toEqual({ version: 1, hosts: { a: ['nginx', 'docker'], b: [] } })
    expect(readdirSync(dir)).toEqual(['picked-units.json'])
  })

  it('starts from no units picked, and says so, when the file is damaged', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'picked-units.json'), '{"version":1,"hosts":{"a":["ngi')
    const lines: string[] = []
    const store = new PickedUnitsStore(dir, (l) => lines.push(l))
    expect(await store.get('a')).toEqual([])
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^units: .*picked-units\.json is not a picked-units file \(not valid JSON: .*\); moved it to .*picked-units\.json\.invalid-\S+, starting from no units picked$/)
    await store.set('a', ['nginx'])
    expect(JSON.parse(readFileSync(path.join(dir, 'picked-units.json'), 'utf8')).hosts.a).toEqual(['nginx'])
  })
})
