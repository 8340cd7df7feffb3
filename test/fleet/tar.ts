// A minimal POSIX ustar writer: enough to hand Docker a root filesystem (`docker import`)
// without depending on the host's tar binary or a package.
export type TarEntry =
  | { type: 'dir'; name: string; mode?: number }
  | { type: 'file'; name: string; data: Buffer | string; mode?: number }
  | { type: 'symlink'; name: string; target: string }

const BLOCK = 512

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8')
  if (bytes.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`)
  bytes.copy(buf, offset)
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  writeString(buf, offset, length, value.toString(8).padStart(length - 1, '0') + '\0')
}

function header(name: string, typeflag: string, size: number, mode: number, linkname = ''): Buffer {
  const h = Buffer.alloc(BLOCK)
  let prefix = ''
  if (Buffer.byteLength(name) > 100) {
    // ustar splits long paths at a '/' into prefix (155) + name (100)
    const cut = name.lastIndexOf('/', 155)
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`tar: path too long: ${name}`)
    prefix = name.slice(0, cut)
    name = name.slice(cut + 1)
  }
  writeString(h, 0, 100, name)
  writeOctal(h, 100, 8, mode)
  writeOctal(h, 108, 8, 0) // uid root
  writeOctal(h, 116, 8, 0) // gid root
  writeOctal(h, 124, 12, size)
  writeOctal(h, 136, 12, 1_700_000_000) // fixed mtime: identical input, identical image
  h.fill(' ', 148, 156) // checksum is computed with its own field as spaces
  writeString(h, 156, 1, typeflag)
  writeString(h, 157, 100, linkname)
  writeString(h, 257, 6, 'ustar\0')
  writeString(h, 263, 2, '00')
  writeString(h, 265, 32, 'root')
  writeString(h, 297, 32, 'root')
  writeString(h, 345, 155, prefix)
  let sum = 0
  for (const b of h) sum += b
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ')
  return h
}

/** Build a complete tar archive in memory. */
export function tar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = []
  for (const e of entries) {
    const name = e.name.replace(/^\/+/, '')
    if (e.type === 'dir') parts.push(header(name.endsWith('/') ? name : `${name}/`, '5', 0, e.mode ?? 0o755))
    else if (e.type === 'symlink') parts.push(header(name, '2', 0, 0o777, e.target))
    else {
      const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data
      parts.push(header(name, '0', data.length, e.mode ?? 0o644), data)
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK
      if (pad) parts.push(Buffer.alloc(pad))
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2)) // end-of-archive marker
  return Buffer.concat(parts)
}
