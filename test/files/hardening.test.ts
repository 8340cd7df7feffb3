// Files against a real sshd where the names are hostile: a symlink planted at a transfer's temporary
// name is never written through, a trailing slash on a folder link deletes the link and not what it
// points at, `/` in any spelling is refused, two saves of one version at once keep both edits apart
// (the second is FILE_CHANGED), every save keeps its own backup, names with a line break work end to
// end, and failures say what is wrong (a name too long, a missing folder, a symlink loop).
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { SSHD_PATH } from '../fleet/sshd'
import { startFilesFleet, type FilesFleet } from './files-bench-fleet'

const ready = existsSync(SSHD_PATH)
const host = 'harden-droplet'

describe.skipIf(!ready)('files.* with hostile names against a real sshd', () => {
  let fleet: FilesFleet
  let dir: string

  beforeAll(async () => {
    fleet = await startFilesFleet({ baseAddress: '127.0.172.10', name: host })
    dir = path.join(fleet.dir, 'x')
    mkdirSync(dir)
  }, 60_000)

  afterAll(async () => {
    await fleet?.stop()
  })

  async function transfer(params: { direction: 'upload' | 'download'; localPath: string; remotePath: string; overwrite?: boolean }) {
    const { id } = await fleet.call('files.transfers.open', { hostId: host, ...params })
    return fleet.next('files.transfers.state', (p) => p.id === id && ['done', 'error', 'cancelled'].includes(p.state))
  }

  it('an upload never writes through a symlink at its temporary name', async () => {
    const victim = path.join(dir, 'victim')
    writeFileSync(victim, 'keep me\n')
    symlinkSync(victim, path.join(dir, '.up.txt.dropdeck-upload'))
    const local = path.join(fleet.dir, 'up-local.txt')
    writeFileSync(local, 'uploaded\n')
    const end = await transfer({ direction: 'upload', localPath: local, remotePath: path.join(dir, 'up.txt') })
    expect(end.state).toBe('done')
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
    expect(lstatSync(path.join(dir, 'up.txt')).isFile()).toBe(true)
    expect(readFileSync(path.join(dir, 'up.txt'), 'utf8')).toBe('uploaded\n')
  })

  it('a download never writes through a symlink at localPath.part', async () => {
    const remote = path.join(dir, 'down-src.txt')
    writeFileSync(remote, 'from the host\n')
    const localDir = path.join(fleet.dir, 'local')
    mkdirSync(localDir)
    const victim = path.join(localDir, 'victim')
    writeFileSync(victim, 'keep me\n')
    const target = path.join(localDir, 'down.txt')
    symlinkSync(victim, `${target}.part`)
    const end = await transfer({ direction: 'download', localPath: target, remotePath: remote })
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
    expect(end.state).toBe('error')
    expect(end.message).toMatch(/\.part .*symlink/)
    expect(existsSync(target)).toBe(false)
  })

  it('deletes a folder link given with a trailing slash as the link, not the folder it points at', async () => {
    const d = path.join(dir, 'd')
    mkdirSync(path.join(d, 'real'), { recursive: true })
    writeFileSync(path.join(d, 'real', 'precious'), 'data\n')
    symlinkSync(path.join(d, 'real'), path.join(d, 'dirlink'))
    // confirm as a folder's delete would ask it: the link must still be removed as a link
    await fleet.call('files.delete', { hostId: host, path: `${d}/dirlink/`, confirm: 'dirlink' })
    expect(existsSync(path.join(d, 'dirlink'))).toBe(false)
    expect(readFileSync(path.join(d, 'real', 'precious'), 'utf8')).toBe('data\n')
    for (const root of ['/', '/.', '//', '/tmp/..', `${d}/../../../../../../../..`]) {
      const refused = await fleet.failure('files.delete', { hostId: host, path: root, confirm: '/' })
      expect(refused.message).toBe('The root folder cannot be deleted from Dropdeck.')
    }
  })

  it('two saves of the same version at once: one is saved, the other is FILE_CHANGED', async () => {
    const file = path.join(dir, 'race.conf')
    writeFileSync(file, 'a = 1\n')
    const { version } = await fleet.call('files.read', { hostId: host, path: file })
    const results = await Promise.allSettled([
      fleet.call('files.save', { hostId: host, path: file, content: 'a = 2\n', expected: version }),
      fleet.call('files.save', { hostId: host, path: file, content: 'a = 3\n', expected: version })
    ])
    const ok = results.filter((r) => r.status === 'fulfilled')
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(ok).toHaveLength(1)
    expect(failed).toHaveLength(1)
    expect(failed[0].reason.code).toBe('FILE_CHANGED')
  })

  it('three saves within a second keep three backups, the original among them', async () => {
    const file = path.join(dir, 'backups.conf')
    writeFileSync(file, 'v0\n')
    for (const next of ['v1\n', 'v2\n', 'v3\n']) {
      const { version } = await fleet.call('files.read', { hostId: host, path: file })
      await fleet.call('files.save', { hostId: host, path: file, content: next, expected: version })
    }
    const backups = readdirSync(dir).filter((n) => n.startsWith('.backups.conf.dropdeck-backup-'))
    expect(backups).toHaveLength(3)
    expect(backups.map((b) => readFileSync(path.join(dir, b), 'utf8')).sort()).toEqual(['v0\n', 'v1\n', 'v2\n'])
  })

  it('names with a line break: uploaded, listed, renamed and deleted', async () => {
    const local = path.join(fleet.dir, 'nl-local.txt')
    writeFileSync(local, 'two\nlines\n')
    const remote = path.join(dir, 'new\nline.txt')
    const end = await transfer({ direction: 'upload', localPath: local, remotePath: remote })
    expect(end.state).toBe('done')
    expect(readFileSync(remote, 'utf8')).toBe('two\nlines\n')
    const renamed = path.join(dir, 'other\nname.txt')
    await fleet.call('files.rename', { hostId: host, from: remote, to: renamed })
    await fleet.call('files.delete', { hostId: host, path: renamed })
    expect(existsSync(renamed)).toBe(false)
  })

  it('says what is wrong: a name too long, a missing folder, a symlink loop', async () => {
    const long = await fleet.failure('files.mkdir', { hostId: host, path: `${dir}/${'n'.repeat(300)}` })
    expect(long.message).toContain('the name is too long (255 bytes at most)')
    writeFileSync(path.join(dir, 'mv-src'), 'x')
    const missing = await fleet.failure('files.rename', { hostId: host, from: path.join(dir, 'mv-src'), to: path.join(dir, 'nope', 'sub', 'mv-dst') })
    expect(missing.message).toContain(`the folder ${dir}/nope does not exist`)
    symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'))
    symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'))
    const loop = await fleet.failure('files.read', { hostId: host, path: path.join(dir, 'loop-a') })
    expect(loop.message).toContain('is a symlink loop')
  })
})
