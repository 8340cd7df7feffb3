// Safe edits against a real sshd and the real nginx: an nginx tree of its own (nginx.conf including
// sites-enabled/*, a site linked from sites-available), edited through the link. A change nginx -t
// refuses is put back and the error says why; one it accepts is saved with a dotfile backup beside
// it, mode kept, the link still a link, and a reload offered; a save after the file changed on the
// host is refused. Each save is in the audit log with the diff's size.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { SSHD_PATH } from '../fleet/sshd'
import { findExecutable } from '../fleet/proc'
import { startFilesFleet, type FilesFleet } from './files-bench-fleet'

const nginx = findExecutable('nginx') ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined)
const ready = existsSync(SSHD_PATH) && Boolean(nginx)
if (!ready) console.warn('[files] skipping safe-edit tests: they need sshd and nginx (scripts/install-system.sh)')

const SITE = `server {
    listen 127.0.171.41:8080;
    server_name eznomics.site;
    location /api/ {
        proxy_pass http://127.0.0.1:8000;
    }
}
`

describe.skipIf(!ready)('files.read / files.save against a real sshd and nginx -t', () => {
  let fleet: FilesFleet
  let conf: string
  let available: string
  let enabled: string
  const host = 'edit-droplet'

  beforeAll(async () => {
    fleet = await startFilesFleet({ baseAddress: '127.0.171.40', name: host })
    conf = path.join(fleet.dir, 'nginx')
    mkdirSync(path.join(conf, 'sites-available'), { recursive: true })
    mkdirSync(path.join(conf, 'sites-enabled'))
    writeFileSync(path.join(conf, 'nginx.conf'), `pid ${conf}/nginx.pid;\nerror_log ${conf}/error.log;\nevents {}\nhttp {\n    access_log off;\n    include sites-enabled/*;\n}\n`)
    available = path.join(conf, 'sites-available', 'e2i-app')
    writeFileSync(available, SITE)
    chmodSync(available, 0o640)
    enabled = path.join(conf, 'sites-enabled', 'e2i-app')
    symlinkSync('../sites-available/e2i-app', enabled)
  }, 60_000)

  afterAll(async () => {
    await fleet?.stop()
  })

  it('reads the text with its version and knows nginx validates it', async () => {
    const file = await fleet.call('files.read', { hostId: host, path: enabled })
    expect(file).toMatchObject({ content: SITE, validator: 'nginx', mode: 0o640, access: 'sftp', version: { size: SITE.length } })
    expect(file.version.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('a dry run shows the diff and writes nothing', async () => {
    const { version } = await fleet.call('files.read', { hostId: host, path: enabled })
    const edited = SITE.replace('8000', '8001')
    const dry = await fleet.call('files.save', { hostId: host, path: enabled, content: edited, expected: version, dryRun: true })
    expect(dry).toMatchObject({ saved: false, added: 1, removed: 1 })
    expect(dry.diff).toContain('-        proxy_pass http://127.0.0.1:8000;')
    expect(dry.diff).toContain('+        proxy_pass http://127.0.0.1:8001;')
    expect(readFileSync(available, 'utf8')).toBe(SITE)
  })

  it('a change nginx -t refuses is put back, and the error says what nginx said', async () => {
    const { version } = await fleet.call('files.read', { hostId: host, path: enabled })
    const broken = SITE.replace('    server_name eznomics.site;\n', '    server_name eznomics.site;\n    proxy_buffering maybe;\n')
    const err = await fleet.failure('files.save', { hostId: host, path: enabled, content: broken, expected: version })
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.message).toMatch(new RegExp(`^nginx -t refused the new ${enabled} on ${host}, so the previous content was put back \\(a copy of it is also at .+\\): .*invalid value "maybe"`))
    expect(err.data).toMatchObject({ validator: 'nginx', restored: true })
    expect(readFileSync(available, 'utf8')).toBe(SITE)
    expect(statSync(available).mode & 0o777).toBe(0o640)
    expect(lstatSync(enabled).isSymbolicLink()).toBe(true)
    // no temporary file left; the backup is a dotfile nginx's include glob does not read
    const names = readdirSync(path.join(conf, 'sites-available'))
    expect(names.filter((n) => !n.startsWith('.e2i-app.dropdeck-backup-'))).toEqual(['e2i-app'])
    expect(readdirSync(path.join(conf, 'sites-enabled'))).toEqual(['e2i-app'])
  })

  it('a change nginx -t accepts is saved atomically with a backup, mode and link kept, and a reload is offered', async () => {
    const { version } = await fleet.call('files.read', { hostId: host, path: enabled })
    const edited = SITE.replace('8000', '8001')
    const saved = await fleet.call('files.save', { hostId: host, path: enabled, content: edited, expected: version })
    expect(saved).toMatchObject({ saved: true, added: 1, removed: 1, validation: { validator: 'nginx', ok: true }, reload: 'nginx' })
    expect(readFileSync(available, 'utf8')).toBe(edited)
    expect(statSync(available).mode & 0o777).toBe(0o640)
    expect(lstatSync(enabled).isSymbolicLink()).toBe(true)
    expect(path.dirname(saved.backupPath!)).toBe(path.join(conf, 'sites-available'))
    expect(readFileSync(saved.backupPath!, 'utf8')).toBe(SITE)
    expect(statSync(saved.backupPath!).mode & 0o777).toBe(0o640)
    const again = await fleet.call('files.read', { hostId: host, path: enabled })
    expect(again.version).toEqual(saved.version)

    const audit = await fleet.call('audit.list', { limit: 10 })
    const edits = audit.filter((a) => a.action === 'files.edit')
    expect(edits.map((a) => a.result)).toEqual(['ok', 'error'])
    expect(edits[0].message).toMatch(/^diff \+1 -1 lines \(\d+ bytes\); backup .+; nginx check passed$/)
    expect(edits[1].message).toMatch(/^diff \+1 -0 lines; nginx -t refused/)
  })

  it('a save is refused when the file changed on the host since it was opened, and nothing is written', async () => {
    const opened = await fleet.call('files.read', { hostId: host, path: enabled })
    const underneath = opened.content.replace('eznomics.site', 'eznomics.site www.eznomics.site')
    writeFileSync(available, underneath)
    const err = await fleet.failure('files.save', { hostId: host, path: enabled, content: opened.content.replace('8001', '8002'), expected: opened.version })
    expect(err.code).toBe('FILE_CHANGED')
    expect(err.message).toMatch(new RegExp(`^${enabled} changed on ${host} since it was opened \\(now ${underneath.length} bytes, modified .+\\); nothing was written\\. Reopen it`))
    expect(readFileSync(available, 'utf8')).toBe(underneath)
  })

  it('refuses binary files and files that are not UTF-8', async () => {
    const bin = path.join(fleet.dir, 'blob.bin')
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]))
    const err = await fleet.failure('files.read', { hostId: host, path: bin })
    expect(err.code).toBe('BAD_REQUEST')
    expect(err.message).toBe(`${bin} on ${host} is a binary file; download it instead of editing it here.`)
  })

  it('sshd_config: a change sshd -t refuses is never written (checked before it takes the file\'s place); one it accepts is saved', async () => {
    const etc = path.join(fleet.dir, 'etc-ssh')
    mkdirSync(etc)
    const config = path.join(etc, 'sshd_config')
    // the bench droplet's own config: its host keys are real, so sshd -t can pass
    copyFileSync(path.join(fleet.dir, 'ssh', host, 'sshd_config'), config)
    const original = readFileSync(config, 'utf8')
    const opened = await fleet.call('files.read', { hostId: host, path: config })
    expect(opened.validator).toBe('sshd')
    const err = await fleet.failure('files.save', { hostId: host, path: config, content: `${original}PermitRootLogin maybe\n`, expected: opened.version })
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.message).toMatch(new RegExp(`^sshd -t refused the new ${config} on ${host}, so it was not written; the file is unchanged: ${config} line \\d+: unsupported option "maybe"`))
    expect(err.data).toMatchObject({ validator: 'sshd', restored: false })
    expect(readFileSync(config, 'utf8')).toBe(original)
    expect(readdirSync(etc)).toEqual(['sshd_config'])

    const saved = await fleet.call('files.save', { hostId: host, path: config, content: `${original}ClientAliveInterval 60\n`, expected: opened.version })
    expect(saved).toMatchObject({ saved: true, validation: { validator: 'sshd', ok: true } })
    expect(saved.reload).toBeUndefined()
    expect(readFileSync(config, 'utf8')).toBe(`${original}ClientAliveInterval 60\n`)
  })

  it.skipIf(!findExecutable('docker-compose') && !findExecutable('docker'))('a Compose file the compose CLI refuses is put back', async () => {
    const project = path.join(fleet.dir, 'opt', 'e2i')
    mkdirSync(project, { recursive: true })
    const compose = path.join(project, 'docker-compose.yml')
    const good = 'services:\n  redis:\n    image: redis:7-alpine\n'
    writeFileSync(compose, good)
    const opened = await fleet.call('files.read', { hostId: host, path: compose })
    expect(opened.validator).toBe('compose')
    const err = await fleet.failure('files.save', { hostId: host, path: compose, content: good.replace('image:', 'imag:'), expected: opened.version })
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(err.message).toMatch(/^docker compose config refused the new .* put back .*: /)
    expect((err.data as { output: string }).output).toContain("'imag'")
    expect(readFileSync(compose, 'utf8')).toBe(good)
  })
})
