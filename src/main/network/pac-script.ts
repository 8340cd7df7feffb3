/**
 * Proxy auto-config for the headless host: the PAC file fetched from its URL (or read from a path) and its
 * `FindProxyForURL` run by `pac-resolver` (the PAC library of the `pac-proxy-agent` family) inside QuickJS
 * compiled to WebAssembly (`quickjs-wasi`): the script sees the PAC functions and nothing of Node, has a
 * memory limit, and is interrupted when it runs too long. Electron evaluates PAC in Chromium instead.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { createPacResolver } from 'pac-resolver'
import { QuickJS } from 'quickjs-wasi'
import { Agent, fetch as undiciFetch } from 'undici'
import { DropdeckError } from '../../shared/errors'

export interface PacScript {
  /** Where it came from (the URL or path as given), for messages. */
  location: string
  /** The raw answer of FindProxyForURL for this URL, e.g. "PROXY proxy.corp:3128; DIRECT". */
  find(url: URL): Promise<string>
  dispose(): void
}

export interface PacLimits {
  /** CAs for a PAC file served over https (the host's trust store: Node's roots, the OS store, DROPDECK_CA_FILE). */
  ca?: () => string[]
  /** The longest one FindProxyForURL may run. Default 2 s. */
  evaluationMs?: number
  /** The longest the PAC file may take to arrive. Default 10 s. */
  fetchMs?: number
}

const MEMORY_LIMIT = 32 * 1024 * 1024
const MAX_PAC_BYTES = 1024 * 1024

let wasm: Promise<Buffer> | undefined
function quickJsWasm(): Promise<Buffer> {
  wasm ??= readFile(createRequire(import.meta.url).resolve('quickjs-wasi/quickjs.wasm'))
  return wasm
}

/** True for what DROPDECK_PAC_URL / the setting take as a URL rather than a file path. */
const isUrl = (location: string) => /^(https?|file):\/\//i.test(location)

export async function loadPacScript(location: string, limits: PacLimits = {}): Promise<PacScript> {
  const text = await readPac(location, limits.fetchMs ?? 10_000, limits.ca)
  if (!/FindProxyForURL/.test(text)) {
    throw new DropdeckError('BAD_REQUEST', `The PAC file at ${location} has no FindProxyForURL function: check the proxy auto-config address in Settings (or DROPDECK_PAC_URL).`)
  }
  const evaluationMs = limits.evaluationMs ?? 2000
  let deadline = Infinity
  const qjs = await QuickJS.create({ wasm: await quickJsWasm(), memoryLimit: MEMORY_LIMIT, interruptHandler: () => Date.now() > deadline })
  let find: (url: string | URL) => Promise<string>
  try {
    find = createPacResolver(qjs, text, { filename: location })
  } catch (err) {
    qjs.dispose()
    throw new DropdeckError('BAD_REQUEST', `The PAC file at ${location} does not run: ${(err as Error).message}. Ask your network team for the right proxy auto-config address.`)
  }
  // One evaluation at a time: the deadline is the VM's, not the call's.
  let queue: Promise<unknown> = Promise.resolve()
  return {
    location,
    find(url) {
      const run = queue.then(async () => {
        deadline = Date.now() + evaluationMs
        try {
          const answer = await find(url)
          if (typeof answer !== 'string') throw new Error(`FindProxyForURL returned ${typeof answer}, not a string`)
          return answer
        } catch (err) {
          const message = (err as Error).message ?? String(err)
          const why = /interrupted/i.test(message) ? `it ran longer than ${evaluationMs / 1000} s` : message
          throw new DropdeckError('BAD_REQUEST', `The PAC file at ${location} failed for ${url.host}: ${why}. Ask your network team, or clear the proxy auto-config address in Settings to use HTTPS_PROXY.`)
        } finally {
          deadline = Infinity
        }
      })
      queue = run.catch(() => undefined)
      return run
    },
    dispose: () => qjs.dispose()
  }
}

async function readPac(location: string, fetchMs: number, ca: (() => string[]) | undefined): Promise<string> {
  try {
    if (isUrl(location) && !/^file:/i.test(location)) {
      // The PAC file itself is fetched directly, as browsers do: it says which proxy to use.
      const dispatcher = ca && /^https:/i.test(location) ? new Agent({ connect: { ca: ca() } }) : undefined
      try {
        const res = await undiciFetch(location, { signal: AbortSignal.timeout(fetchMs), redirect: 'follow', ...(dispatcher ? { dispatcher } : {}) })
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        const body = await res.text()
        if (body.length > MAX_PAC_BYTES) throw new Error(`it is larger than ${MAX_PAC_BYTES / 1024} KiB`)
        return body
      } finally {
        void dispatcher?.close()
      }
    }
    const path = /^file:/i.test(location) ? fileURLToPath(location) : location
    const body = await readFile(path, 'utf8')
    if (body.length > MAX_PAC_BYTES) throw new Error(`it is larger than ${MAX_PAC_BYTES / 1024} KiB`)
    return body
  } catch (err) {
    const e = err as Error & { code?: string; cause?: { code?: string } }
    const why = e.code ?? e.cause?.code ?? (e.name === 'TimeoutError' ? `no answer within ${fetchMs / 1000} s` : e.message)
    throw new DropdeckError('UPSTREAM', `The PAC file at ${location} cannot be read (${why}): check the proxy auto-config address in Settings (or DROPDECK_PAC_URL).`, {
      retryable: true,
      data: { reason: 'PAC_UNREADABLE', pac: location }
    })
  }
}
