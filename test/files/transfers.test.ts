// Transfers against a real sshd: a 200 MB file up and down with the SSH connection cut in the middle
// (the droplet's per-connection sshd processes killed), resumed from where it stopped on the
// reconnected pool, and verified by size and sha256 at both ends; no half file under a final name.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import path from 'node:path'
import { descendants } from '../fleet/proc'
import { createCallContext } from '../../src/main/rpc/context'
import { SSHD_PATH } from '../fleet/sshd'
import { startFilesFleet, type FilesFleet } from './files-bench-fleet'

const SIZE = 200 * 1024 * 1024
const ready = existsSync(SSHD_PATH)

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    createReadStream(file).on('data', (c) => h.update(c)).on('error', reject).on('end', () => resolve(h.digest('hex')))
  })
}

async function writeRandom(file: string, size: number): Promise<void> {
  const fh = await open(file, 'w')
  const block = 4 * 1024 * 1024
  for (let pos = 0; pos < size; pos += block) await fh.write(randomBytes(Math.min(block, size - pos)))
  await fh.close()
}

describe.skipIf(!ready)('files.transfers against a real sshd', () => {
  let fleet: FilesFleet
  let local: string
  let localHash: string
  let remoteDir: string

  beforeAll(async () => {
    fleet = await startFilesFleet({ baseAddress: '127.0.171.10', name: 'files-droplet' })
    local = path.join(fleet.dir, 'dump.bin')
    await writeRandom(local, SIZE)
    localHash = await sha256(local)
    remoteDir = path.join(fleet.dir, 'remote')
    await fleet.call('files.mkdir', { hostId: 'files-droplet', path: remoteDir })
  }, 120_000)

  afterAll(async () => {
    await fleet?.stop()
  })

  /** Kills the droplet's session processes (not its listener) once the transfer is past a third. */
  function cutWhenPastAThird(id: string): Promise<number> {
    return fleet
      .next('files.transfers.data', (p) => p.id === id && p.bytes > SIZE / 3)
      .then((p) => {
        const sshd = fleet.droplets.droplets[0].pid
        for (const pid of descendants(sshd)) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            /* already gone */
          }
        }
        return p.bytes
      })
  }

  it('uploads 200 MB through a cut connection: resumed, same sha256 on the host, no temporary file left', async () => {
    const remote = path.join(remoteDir, 'dump.bin')
    const { id } = await fleet.call('files.transfers.open', { hostId: 'files-droplet', direction: 'upload', localPath: local, remotePath: remote })
    const cutAt = cutWhenPastAThird(id)
    const reconnecting = fleet.next('files.transfers.state', (p) => p.id === id && p.state === 'reconnecting')
    const end = fleet.next('files.transfers.state', (p) => p.id === id && ['done', 'error', 'cancelled'].includes(p.state))
    const cut = await cutAt
    expect(cut).toBeLessThan(SIZE)
    const dropped = await reconnecting
    // it stopped after the cut point, not from zero
    expect(dropped.bytes).toBeGreaterThanOrEqual(SIZE / 3)
    const final = await end
    expect(final).toMatchObject({ state: 'done', bytes: SIZE, total: SIZE, sha256: localHash })
    expect(final.resumes).toBeGreaterThanOrEqual(1)
    // the progress after the resume went on from where it stopped, never back to 0
    const after = fleet.events.filter((e) => e.event === 'files.transfers.data' && (e.payload as { id: string }).id === id).map((e) => (e.payload as { bytes: number }).bytes)
    expect(Math.min(...after.slice(after.findIndex((b) => b >= dropped.bytes)))).toBeGreaterThanOrEqual(dropped.bytes)
    expect(statSync(remote).size).toBe(SIZE)
    expect(await sha256(remote)).toBe(localHash)
    expect(readdirSync(remoteDir)).toEqual(['dump.bin'])
    // the upload is in the audit log
    const audit = await fleet.call('audit.list', { limit: 10 })
    expect(audit.find((a) => a.action === 'files.upload')).toMatchObject({ result: 'ok', target: `files-droplet:${remote}` })
  }, 300_000)

  it('downloads 200 MB through a cut connection: .part until verified, then the file under its name with the same sha256', async () => {
    const remote = path.join(remoteDir, 'dump.bin')
    const target = path.join(fleet.dir, 'dump-copy.bin')
    const { id } = await fleet.call('files.transfers.open', { hostId: 'files-droplet', direction: 'download', localPath: target, remotePath: remote })
    const cutAt = cutWhenPastAThird(id)
    const end = fleet.next('files.transfers.state', (p) => p.id === id && ['done', 'error', 'cancelled'].includes(p.state))
    await cutAt
    // while it runs (and after the cut) only the .part exists
    expect(existsSync(target)).toBe(false)
    const final = await end
    expect(final).toMatchObject({ state: 'done', bytes: SIZE, sha256: localHash })
    expect(final.resumes).toBeGreaterThanOrEqual(1)
    expect(await sha256(target)).toBe(localHash)
    expect(existsSync(`${target}.part`)).toBe(false)
  }, 300_000)

  it('refuses to overwrite unless asked, and a cancelled upload leaves nothing on the host', async () => {
    const remote = path.join(remoteDir, 'dump.bin')
    const { id } = await fleet.call('files.transfers.open', { hostId: 'files-droplet', direction: 'upload', localPath: local, remotePath: remote })
    const refused = await fleet.next('files.transfers.state', (p) => p.id === id && p.state === 'error')
    expect(refused.code).toBe('BAD_REQUEST')
    expect(refused.message).toBe(`${remote} already exists on files-droplet; choose another name or allow overwriting.`)

    const other = path.join(remoteDir, 'other.bin')
    const second = await fleet.call('files.transfers.open', { hostId: 'files-droplet', direction: 'upload', localPath: local, remotePath: other })
    await fleet.next('files.transfers.data', (p) => p.id === second.id && p.bytes > 0)
    const cancelled = fleet.next('files.transfers.state', (p) => p.id === second.id && p.state === 'cancelled')
    await fleet.call('files.transfers.close', { id: second.id })
    await cancelled
    expect(readdirSync(remoteDir).sort()).toEqual(['dump.bin'])
  }, 120_000)

  it('is its client\'s stream: another client sees none of its events, and closing the owner cancels it', async () => {
    const owner = createCallContext('test:files-owner', () => fleet.services.bus)
    const seenByOwner: string[] = []
    const seenByOther: string[] = []
    fleet.services.bus.subscribeClient(owner.clientId, (event) => void (event.startsWith('files.transfers') && seenByOwner.push(event)))
    fleet.services.bus.subscribeClient('test:files-bystander', (event) => void (event.startsWith('files.transfers') && seenByOther.push(event)))
    const remote = path.join(remoteDir, 'owned.bin')
    const { id } = await fleet.call('files.transfers.open', { hostId: 'files-droplet', direction: 'upload', localPath: local, remotePath: remote }, owner)
    await new Promise<void>((resolve) => {
      const off = fleet.services.bus.subscribeClient(owner.clientId, (event, payload) => {
        if (event === 'files.transfers.data' && (payload as { id: string; bytes: number }).id === id && (payload as { bytes: number }).bytes > 0) {
          off()
          resolve()
        }
      })
    })
    const cancelled = new Promise<void>((resolve) => {
      const off = fleet.services.bus.subscribeClient(owner.clientId, (event, payload) => {
        if (event === 'files.transfers.state' && (payload as { state: string }).state === 'cancelled') {
          off()
          resolve()
        }
      })
    })
    await owner.dispose() // the window closed
    await cancelled
    expect(seenByOwner.length).toBeGreaterThan(2)
    expect(seenByOther).toEqual([])
    expect(fleet.events.filter((e) => (e.payload as { id?: string }).id === id)).toEqual([])
    expect(readdirSync(remoteDir).sort()).toEqual(['dump.bin'])
  }, 120_000)

  it('uploads and downloads a folder: its tree recreated, every file verified', async () => {
    const tree = path.join(fleet.dir, 'site')
    mkdirSync(path.join(tree, 'conf.d', 'empty'), { recursive: true })
    writeFileSync(path.join(tree, 'index.html'), '<h1>eznomics</h1>\n')
    writeFileSync(path.join(tree, 'conf.d', 'api.conf'), 'location /api/ { proxy_pass http://127.0.0.1:8000; }\n')
    await writeRandom(path.join(tree, 'conf.d', 'bundle.js'), 12 * 1024 * 1024)
    const remote = path.join(remoteDir, 'site')
    const up = await fleet.call('files.transfers.open', { hostId: 'files-droplet', direction: 'upload', localPath: tree, remotePath: remote })
    const upDone = await fleet.next('files.transfers.state', (p) => p.id === up.id && ['done', 'error'].includes(p.state))
    const treeBytes = ['index.html', 'conf.d/api.conf', 'conf.d/bundle.js'].reduce((n, f) => n + statSync(path.join(tree, f)).size, 0)
    expect(upDone).toMatchObject({ state: 'done', bytes: treeBytes, total: treeBytes, message: '3 files, each verified by size and sha256.' })
    expect(readFileSync(path.join(remote, 'conf.d', 'api.conf'), 'utf8')).toBe(readFileSync(path.join(tree, 'conf.d', 'api.conf'), 'utf8'))
    expect(await sha256(path.join(remote, 'conf.d', 'bundle.js'))).toBe(await sha256(path.join(tree, 'conf.d', 'bundle.js')))
    expect(statSync(path.join(remote, 'conf.d', 'empty')).isDirectory()).toBe(true)

    const back = path.join(fleet.dir, 'site-copy')
    const down = await fleet.call('files.transfers.open', { hostId: 'files-droplet', direction: 'download', localPath: back, remotePath: remote })
    const downDone = await fleet.next('files.transfers.state', (p) => p.id === down.id && ['done', 'error'].includes(p.state))
    expect(downDone).toMatchObject({ state: 'done', message: '3 files, each verified by size and sha256.' })
    expect(readdirSync(path.join(back, 'conf.d')).sort()).toEqual(['api.conf', 'bundle.js', 'empty'])
    expect(await sha256(path.join(back, 'conf.d', 'bundle.js'))).toBe(await sha256(path.join(tree, 'conf.d', 'bundle.js')))
    expect(readFileSync(path.join(back, 'index.html'), 'utf8')).toBe('<h1>eznomics</h1>\n')
  }, 120_000)
})
