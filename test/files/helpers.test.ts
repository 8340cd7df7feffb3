// The pure parts of files.* in main: which bytes a resume starts from, what `find -printf` and `ls -l`
// lines say, which validator a path gets, and the diff's size.
import { describe, it, expect } from 'vitest'
import { ByteRanges } from '../../src/main/files/byte-ranges'
import { namesFromLongname, parseFindOutput } from '../../src/main/files/remote-listing'
import { nginxConfCandidates, validatorFor } from '../../src/main/files/validators'
import { textDiff } from '../../src/main/files/text-diff'
import { decodeFileListing, encodeFileListing, FileListingSchema, type FileEntry } from '../../src/shared/contract/files'

describe('ByteRanges', () => {
  it('advances only over bytes joined to the start, whatever order pieces land in', () => {
    const r = new ByteRanges()
    r.add(100, 200)
    r.add(300, 400)
    expect(r.contiguous).toBe(0)
    r.add(0, 100)
    expect(r.contiguous).toBe(200)
    r.add(200, 300)
    expect(r.contiguous).toBe(400)
    r.reset(150)
    r.add(400, 500)
    expect(r.contiguous).toBe(150)
  })
})

describe('listings', () => {
  it('reads find -printf records: types, sizes, times, names, octal modes, link targets', () => {
    const out = ['app.conf', 'f', '11', '1764979200.5', 'root', 'adm', '640', '', 'f', 'e2i-app', 'l', '26', '1764979200.0', 'root', 'root', '777', '../sites-available/e2i-app', 'f', 'gone', 'l', '4', '1764979200', 'root', 'root', '777', '/nope', 'N', 'conf.d', 'd', '4096', '1764979200', 'www-data', 'www-data', '2755', '', 'd', ''].join('\0')
    expect(parseFindOutput(out)).toEqual([
      { name: 'app.conf', type: 'file', size: 11, mtime: 1764979200500, owner: 'root', group: 'adm', mode: 0o640 },
      { name: 'e2i-app', type: 'symlink', size: 26, mtime: 1764979200000, owner: 'root', group: 'root', mode: 0o777, target: '../sites-available/e2i-app', targetType: 'file' },
      { name: 'gone', type: 'symlink', size: 4, mtime: 1764979200000, owner: 'root', group: 'root', mode: 0o777, target: '/nope' },
      { name: 'conf.d', type: 'dir', size: 4096, mtime: 1764979200000, owner: 'www-data', group: 'www-data', mode: 0o2755 }
    ])
  })

  it('takes owner and group names from an ls -l line, and nothing from anything else', () => {
    expect(namesFromLongname('drwxr-x---    2 enunez   docker       4096 Dec  6 00:00 opik')).toEqual({ owner: 'enunez', group: 'docker' })
    expect(namesFromLongname('opik')).toEqual({})
  })
})

describe('validators', () => {
  it('picks the validator by path', () => {
    expect(validatorFor('/etc/nginx/sites-available/e2i-app', undefined)).toBe('nginx')
    expect(validatorFor('/srv/site/sites-enabled/app', '/srv/site/nginx.conf')).toBe('nginx')
    expect(validatorFor('/etc/ssh/sshd_config', undefined)).toBe('sshd')
    expect(validatorFor('/etc/ssh/sshd_config.d/50-cloud-init.conf', undefined)).toBe('sshd')
    expect(validatorFor('/opt/e2i_causal_analytics/docker/docker-compose.yml', undefined)).toBe('compose')
    expect(validatorFor('/home/enunez/opik/deployment/docker-compose/compose.override.yaml', undefined)).toBe('compose')
    expect(validatorFor('/etc/systemd/system/e2i-api.service', undefined)).toBe('systemd')
    expect(validatorFor('/opt/e2i_causal_analytics/.env', undefined)).toBeNull()
    expect(nginxConfCandidates('/srv/site/sites-enabled/app')).toEqual(['/srv/site/sites-enabled/nginx.conf', '/srv/site/nginx.conf', '/srv/nginx.conf'])
  })

  it('counts the diff in lines, and an unchanged text has no diff', () => {
    expect(textDiff('/x', 'a\nb\n', 'a\nc\nd\n')).toMatchObject({ added: 2, removed: 1 })
    expect(textDiff('/x', 'a\n', 'a\n')).toEqual({ diff: '', added: 0, removed: 0 })
  })
})

describe('the listing on the wire', () => {
  it('travels as columns and comes back as the same entries; 100,000 entries stay far under the host\'s 16 MB socket cap', () => {
    const entries: FileEntry[] = [
      { name: 'e2i-app', type: 'symlink', size: 26, mtime: 1, owner: 'root', group: 'root', mode: 0o777, target: '../sites-available/e2i-app', targetType: 'file' },
      { name: 'gone', type: 'symlink', size: 4, mtime: 2, owner: 'enunez', group: 'docker', mode: 0o777, target: '/nope' },
      { name: 'logs', type: 'dir', size: 4096, mtime: 3, owner: 'enunez', group: 'adm', mode: 0o2750 },
      { name: 'fifo', type: 'other', size: 0, mtime: 4, owner: '1001', group: '1001', mode: 0o600 }
    ]
    const wire = FileListingSchema.parse(JSON.parse(JSON.stringify(encodeFileListing('/etc/nginx', 'sftp', entries))))
    expect(decodeFileListing(wire)).toEqual({ path: '/etc/nginx', access: 'sftp', entries })
    expect(wire.names).toEqual(['root', 'enunez', '1001', 'docker', 'adm'])

    const many: FileEntry[] = Array.from({ length: 100_000 }, (_, i) => ({ name: `log-${String(i).padStart(5, '0')}.txt`, type: 'file', size: i % 97, mtime: 1764979200000 + i, owner: 'root', group: 'root', mode: 0o644 }))
    const bytes = JSON.stringify(encodeFileListing('/var/log', 'sftp', many)).length
    expect(bytes).toBeLessThan(5_000_000)
    expect(FileListingSchema.safeParse({ ...encodeFileListing('/x', 'sftp', entries), types: 'f' }).success).toBe(false)
  })
})
