// Browsing over SFTP on the pooled connection of a real sshd: listings with owner and group names,
// modes and symlinks; mkdir, rename, chmod, delete (folders only with their name typed), each in the
// audit log; bookmarks with the seed's defaults. Then a non-root login user: a folder it may not read
// gives the permission error in words, and with a NOPASSWD rule for find the listing comes through
// `sudo -n`.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { chmodSync, mkdirSync, symlinkSync, writeFileSync, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { SSHD_PATH } from '../fleet/sshd'
import { findExecutable } from '../fleet/proc'
import { testUser } from '../fleet/test-user'
import { decodeFileListing } from '../../src/shared/contract/files'
import { startFilesFleet, type FilesFleet } from './files-bench-fleet'

const isRoot = process.getuid?.() === 0
const ready = existsSync(SSHD_PATH)

describe.skipIf(!ready)('files.* browsing against a real sshd', () => {
  let fleet: FilesFleet
  let root: string
  const host = 'browse-droplet'

  beforeAll(async () => {
    fleet = await startFilesFleet({ baseAddress: '127.0.171.20', name: host })
    root = path.join(fleet.dir, 'site')
    mkdirSync(path.join(root, 'sites-available'), { recursive: true })
    writeFileSync(path.join(root, 'sites-available', 'e2i-app'), 'server { listen 80; }\n')
    mkdirSync(path.join(root, 'sites-enabled'))
    symlinkSync('../sites-available/e2i-app', path.join(root, 'sites-enabled', 'e2i-app'))
    symlinkSync('/nonexistent/target', path.join(root, 'dangling'))
    writeFileSync(path.join(root, '.env'), 'SECRET=1\n', { mode: 0o600 })
  }, 60_000)

  afterAll(async () => {
    await fleet?.stop()
  })

  it('lists a folder with types, sizes, modes, owner and group names, and symlinks with their targets', async () => {
    const { entries, access } = decodeFileListing(await fleet.call('files.list', { hostId: host, path: root }))
    expect(access).toBe('sftp')
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]))
    expect(Object.keys(byName).sort()).toEqual(['.env', 'dangling', 'sites-available', 'sites-enabled'])
    const me = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim()
    const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()
    expect(byName['.env']).toMatchObject({ type: 'file', size: 9, mode: 0o600, owner: me, group })
    expect(byName['sites-available']).toMatchObject({ type: 'dir', owner: me })
    expect(byName.dangling).toMatchObject({ type: 'symlink', target: '/nonexistent/target' })
    expect(byName.dangling.targetType).toBeUndefined()

    const linked = decodeFileListing(await fleet.call('files.list', { hostId: host, path: path.join(root, 'sites-enabled') }))
    expect(linked.entries).toEqual([expect.objectContaining({ name: 'e2i-app', type: 'symlink', target: '../sites-available/e2i-app', targetType: 'file' })])
    const st = await fleet.call('files.stat', { hostId: host, path: path.join(root, 'sites-enabled', 'e2i-app') })
    expect(st).toMatchObject({ type: 'symlink', targetType: 'file', owner: me })
  })

  it('says in words when a path does not exist or is not a folder', async () => {
    const missing = await fleet.failure('files.list', { hostId: host, path: path.join(root, 'nope') })
    expect(missing.code).toBe('NOT_FOUND')
    expect(missing.message).toBe(`${path.join(root, 'nope')} does not exist on ${host}.`)
  })

  it('mkdir, rename, chmod and delete, each audited; a folder is deleted only with its name typed', async () => {
    const dir = path.join(root, 'backups')
    expect(await fleet.call('files.mkdir', { hostId: host, path: dir })).toMatchObject({ name: 'backups', type: 'dir' })
    writeFileSync(path.join(dir, 'dump.sql'), 'select 1;\n')
    const moved = await fleet.call('files.rename', { hostId: host, from: path.join(dir, 'dump.sql'), to: path.join(dir, 'dump-1.sql') })
    expect(moved).toMatchObject({ name: 'dump-1.sql', type: 'file' })
    const taken = await fleet.failure('files.rename', { hostId: host, from: path.join(root, '.env'), to: path.join(dir, 'dump-1.sql') })
    expect(taken.code).toBe('BAD_REQUEST')
    expect(await fleet.call('files.chmod', { hostId: host, path: path.join(dir, 'dump-1.sql'), mode: 0o640 })).toMatchObject({ mode: 0o640 })
    expect(statSync(path.join(dir, 'dump-1.sql')).mode & 0o777).toBe(0o640)

    const unconfirmed = await fleet.failure('files.delete', { hostId: host, path: dir })
    expect(unconfirmed.code).toBe('CONFIRMATION_REQUIRED')
    expect(unconfirmed.data).toEqual({ expected: 'backups' })
    expect(existsSync(dir)).toBe(true)
    expect(await fleet.call('files.delete', { hostId: host, path: dir, confirm: 'backups' })).toEqual({ deleted: true })
    expect(existsSync(dir)).toBe(false)

    const audit = await fleet.call('audit.list', { limit: 20 })
    expect(audit.map((a) => [a.action, a.result]).reverse()).toEqual([
      ['files.mkdir', 'ok'],
      ['files.rename', 'ok'],
      ['files.rename', 'error'],
      ['files.chmod', 'ok'],
      ['files.delete', 'ok']
    ])
    expect(audit.find((a) => a.action === 'files.chmod')?.message).toBe('mode 0640')
  })

  it('bookmarks: the defaults until set, then what was set (kept in the data folder)', async () => {
    const defaults = await fleet.call('files.bookmarks.list', { hostId: host })
    expect(defaults.bookmarks[0]).toEqual({ path: '/etc/nginx/sites-enabled', label: 'nginx sites' })
    expect(defaults.bookmarks.at(-1)).toEqual({ path: '/var/log', label: 'logs' })
    expect(defaults.bookmarks.slice(1, -1).every((b) => b.path.startsWith('/opt'))).toBe(true)
    await fleet.call('files.bookmarks.set', { hostId: host, bookmarks: [{ path: root, label: 'site' }, { path: root }] })
    expect(await fleet.call('files.bookmarks.list', { hostId: host })).toEqual({ bookmarks: [{ path: root, label: 'site' }] })
  })
})

const userReady = ready && isRoot && Boolean(findExecutable('sudo') && findExecutable('useradd'))

describe.skipIf(!userReady)('files.* for a non-root login user (real user, sudo and sshd)', () => {
  const user = testUser('ddfiles', { shell: '/bin/bash' })
  let fleet: FilesFleet
  let secret: string
  const host = 'user-droplet'

  beforeAll(async () => {
    user.create()
    fleet = await startFilesFleet({ baseAddress: '127.0.171.30', name: host, user: user.name })
    user.shareAuthorizedKeys(path.join(fleet.dir, 'ssh'))
    chmodSync(fleet.dir, 0o755)
    secret = path.join(fleet.dir, 'root-only')
    mkdirSync(secret, { mode: 0o700 })
    writeFileSync(path.join(secret, 'app.conf'), 'listen 80;\n')
  }, 60_000)

  afterAll(async () => {
    await fleet?.stop()
    user.remove()
  })

  it('without sudo: the permission error in words, naming the user, the folder and that sudo -n was refused', async () => {
    const err = await fleet.failure('files.list', { hostId: host, path: secret })
    expect(err.code).toBe('PERMISSION_DENIED')
    expect(err.message).toBe(
      `${user.name} on ${host} is not allowed to read the folder ${secret}. Ask for access (the file's owner, group or mode), or use a login user that has it. Sudo -n was refused (no NOPASSWD rule allows it; Dropdeck never types a password).`
    )
    const read = await fleet.failure('files.read', { hostId: host, path: path.join(secret, 'app.conf') })
    expect(read.code).toBe('PERMISSION_DENIED')
  })

  it('with a NOPASSWD rule for find and cat: the listing and the read come through sudo -n', async () => {
    const find = findExecutable('find')!
    const cat = findExecutable('cat')!
    const stat = findExecutable('stat')!
    user.allowSudo(`${user.name} ALL=(root) NOPASSWD: ${find}, ${cat}, ${stat}\n`)
    const listed = decodeFileListing(await fleet.call('files.list', { hostId: host, path: secret }))
    expect(listed.access).toBe('sudo')
    expect(listed.entries).toEqual([expect.objectContaining({ name: 'app.conf', type: 'file', size: 11, owner: 'root', mode: 0o644 })])
    const read = await fleet.call('files.read', { hostId: host, path: path.join(secret, 'app.conf') })
    expect(read).toMatchObject({ content: 'listen 80;\n', access: 'sudo', owner: 'root' })
  })
})
