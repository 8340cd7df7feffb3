/**
 * The keychain helper process: the only place @napi-rs/keyring runs. Its Linux backend does
 * blocking D-Bus I/O with select() on the calling thread, and select() cannot watch an fd numbered
 * 1024 or more (it then spins forever). Here, in a small process of its own, a call cannot block
 * the app's main thread, and the fd numbers stay low whatever the app holds open.
 *
 * Started by child_process.fork (headless host) or Electron's utilityProcess.fork; it speaks the
 * same messages over either channel. Kept free of project imports so plain Node can run the source.
 */
import { AsyncEntry } from '@napi-rs/keyring'

interface Request {
  id: number
  op: 'get' | 'set' | 'delete'
  service: string
  account: string
  value?: string
}

type Reply = { id: number; ok: true; value?: string | null } | { id: number; ok: false; message: string }

interface ParentPort {
  on(event: 'message', listener: (event: { data: Request }) => void): void
  postMessage(message: Reply): void
}

// One entry per account: each entry holds its own D-Bus connection, so building one per call left
// a connection (an fd) behind per call until GC. A failed entry is dropped and rebuilt next time.
const entries = new Map<string, AsyncEntry>()
const MAX_ENTRIES = 256

function entryFor(service: string, account: string): AsyncEntry {
  const key = `${service}\u0000${account}`
  let entry = entries.get(key)
  if (!entry) {
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string)
    // Only the Secret Service on Linux: the default falls back to the kernel keyring, which keeps
    // nothing across a reboot and would make a missing Secret Service look like a working one.
    entry = new AsyncEntry(service, account, { linux: { store: 'secret-service' } })
    entries.set(key, entry)
  }
  return entry
}

async function handle(request: Request): Promise<Reply> {
  const key = `${request.service}\u0000${request.account}`
  try {
    const entry = entryFor(request.service, request.account)
    if (request.op === 'get') return { id: request.id, ok: true, value: await entry.getPassword() }
    if (request.op === 'set') await entry.setPassword(request.value ?? '')
    else await entry.deletePassword()
    return { id: request.id, ok: true }
  } catch (err) {
    entries.delete(key)
    return { id: request.id, ok: false, message: (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300) }
  }
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
if (parentPort) {
  parentPort.on('message', (event) => void handle(event.data).then((reply) => parentPort.postMessage(reply)))
} else {
  // A reply can outlive the app (it quit, or dropped this helper as hung): send only while connected, and
  // let a send that races the disconnect fail quietly rather than crash with an unhandled EPIPE.
  process.on('message', (request: Request) => void handle(request).then((reply) => process.connected && process.send?.(reply, undefined, undefined, () => {})))
  // The app went away (or dropped us as hung): nothing is left to answer.
  process.on('disconnect', () => process.exit(0))
}
