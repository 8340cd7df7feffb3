// Root filesystems for the bench's images, built from the host's static busybox (Debian's
// busybox-static) because no registry is reachable: a base image, and "web" images whose
// busybox httpd serves /health, one per deploy tag (seed 004 tags images `deploy_<id8>`).
import { readFileSync, openSync, readSync, closeSync, existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import type { TarEntry } from './tar'

/** True if the ELF file has no PT_INTERP program header, i.e. needs no dynamic loader. */
export function isStaticElf(file: string): boolean {
  const fd = openSync(file, 'r')
  try {
    const ident = Buffer.alloc(64)
    readSync(fd, ident, 0, 64, 0)
    if (ident.readUInt32BE(0) !== 0x7f454c46) return false // "\x7fELF"
    const is64 = ident[4] === 2
    const le = ident[5] === 1
    const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o))
    const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o))
    const phoff = is64 ? Number(le ? ident.readBigUInt64LE(0x20) : ident.readBigUInt64BE(0x20)) : u32(ident, 0x1c)
    const phentsize = u16(ident, is64 ? 0x36 : 0x2a)
    const phnum = u16(ident, is64 ? 0x38 : 0x2c)
    const ph = Buffer.alloc(phentsize * phnum)
    readSync(fd, ph, 0, ph.length, phoff)
    for (let i = 0; i < phnum; i++) if (u32(ph, i * phentsize) === 3 /* PT_INTERP */) return false
    return true
  } finally {
    closeSync(fd)
  }
}

/** The host's static busybox; containers have no libc, so a dynamic one would not run. */
export function findStaticBusybox(): string {
  const candidates = [process.env.DROPDECK_BUSYBOX, '/bin/busybox', '/usr/bin/busybox'].filter((p): p is string => !!p)
  for (const p of candidates) if (existsSync(p) && isStaticElf(p)) return p
  throw new Error(`no statically linked busybox found (looked at ${candidates.join(', ')}); install Debian/Ubuntu's busybox-static or set DROPDECK_BUSYBOX`)
}

/** The base filesystem: /bin/busybox, a symlink per applet, and the few files a shell expects. */
export function baseRootfs(busyboxPath: string): TarEntry[] {
  const applets = execFileSync(busyboxPath, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .map((a) => a.trim())
    .filter((a) => a && a !== 'busybox' && /^[\w.[\]-]+$/.test(a))
  return [
    ...['bin', 'etc', 'root', 'proc', 'sys', 'dev', 'var', 'var/log', 'www'].map((name): TarEntry => ({ type: 'dir', name })),
    { type: 'dir', name: 'tmp', mode: 0o1777 },
    { type: 'file', name: 'bin/busybox', data: readFileSync(busyboxPath), mode: 0o755 },
    ...applets.map((a): TarEntry => ({ type: 'symlink', name: `bin/${a}`, target: 'busybox' })),
    { type: 'file', name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' },
    { type: 'file', name: 'etc/group', data: 'root:x:0:\nnogroup:x:65534:\n' },
  ]
}

export interface WebVersion {
  /** The deploy tag, `deploy_<id8>`. */
  tag: string
  builtAt: string
  /** A broken build ships without /health, so its containers go unhealthy (rollback material). */
  healthy: boolean
}

export const WEB_VERSIONS: WebVersion[] = [
  { tag: 'deploy_aaaaaaaa', builtAt: '2026-02-09T14:03:11Z', healthy: true },
  { tag: 'deploy_bbbbbbbb', builtAt: '2026-02-16T09:47:52Z', healthy: true },
  { tag: 'deploy_cccccccc', builtAt: '2026-02-23T17:20:05Z', healthy: false },
]

/** The web image's filesystem: base plus the site for one version. */
export function webRootfs(base: TarEntry[], v: WebVersion): TarEntry[] {
  const site: TarEntry[] = [
    { type: 'file', name: 'www/index.html', data: `<!doctype html><title>web ${v.tag}</title><h1>web</h1><p>version ${v.tag}, built ${v.builtAt}</p>\n` },
    { type: 'file', name: 'www/version', data: `${v.tag}\n` },
  ]
  if (v.healthy) site.push({ type: 'file', name: 'www/health', data: JSON.stringify({ status: 'ok', version: v.tag }) + '\n' })
  return [...base, ...site]
}
