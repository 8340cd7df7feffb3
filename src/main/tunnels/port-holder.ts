/**
 * Who holds a local TCP port, where the OS tells (Linux: the LISTEN socket's inode in
 * /proc/net/tcp{,6}, then the process whose fd links to `socket:[inode]`), and a free port to offer.
 */
import { readdir, readFile, readlink } from 'node:fs/promises'
import net from 'node:net'

export interface PortHolder {
  pid: number
  command: string
}

const LISTEN = '0A'

async function listenInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>()
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length < 10 || cols[3] !== LISTEN) continue
      const localPort = parseInt(cols[1].split(':')[1] ?? '', 16)
      if (localPort === port && cols[9] !== '0') inodes.add(cols[9])
    }
  }
  return inodes
}

/** The process listening on `port`, or undefined when the OS does not say (not Linux, or not ours to see). */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  if (process.platform !== 'linux') return undefined
  const inodes = await listenInodes(port)
  if (!inodes.size) return undefined
  const targets = new Set([...inodes].map((i) => `socket:[${i}]`))
  let pids: string[]
  try {
    pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d))
  } catch {
    return undefined
  }
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = await readdir(`/proc/${pid}/fd`)
    } catch {
      continue // another user's process, or gone
    }
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
      if (targets.has(link)) return { pid: Number(pid), command: await commandOf(pid) }
    }
  }
  return undefined
}

async function commandOf(pid: string): Promise<string> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
  const words = cmdline.split('\0').filter(Boolean)
  if (words.length) return words.join(' ').slice(0, 300)
  return (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim()
}

/** Can we listen on 127.0.0.1:port right now? */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.once('error', () => resolve(false))
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)))
  })
}

/** A nearby free port (port+1..port+20), else one the kernel picks. */
export async function suggestFreePort(port: number, host = '127.0.0.1'): Promise<number> {
  for (let p = port + 1; p <= Math.min(65535, port + 20); p++) if (await isPortFree(p, host)) return p
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const addr = srv.address() as net.AddressInfo
      srv.close(() => resolve(addr.port))
    })
  })
}
