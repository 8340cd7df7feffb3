/** Starts the real headless host (real services, real keychain) on a free loopback port for a test. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { WebSocket } from 'ws'
import { createServices, type Services } from '../../src/main/app/services'
import { startHost, type Host } from '../../src/main/host/server'

export const repoRoot = resolve(import.meta.dirname, '../..')

export interface RunningHost {
  host: Host
  services: Services
  dataDir: string
  stop(): Promise<void>
}

export async function runHost(options: { rendererDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningHost> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dropdeck-host-'))
  const services = createServices({ dataDir, version: '0.0.0-test', ...(options.env ? { env: options.env } : {}) })
  // DROPDECK_RENDERER_DIR: a renderer built somewhere else than out/renderer (what `npm run build` makes).
  const host = await startHost({ services, rendererDir: options.rendererDir ?? (process.env.DROPDECK_RENDERER_DIR || join(repoRoot, 'out/renderer')) })
  return {
    host,
    services,
    dataDir,
    async stop() {
      await host.close()
      await services.dispose()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}

/** A JSON-RPC client over a real WebSocket, collecting every frame it receives. */
export class RpcSocket {
  readonly frames: unknown[] = []
  private waiters: Array<() => void> = []
  private nextId = 1

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()))
      for (const wake of this.waiters.splice(0)) wake()
    })
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<RpcSocket> {
    return new Promise((resolveOpen, reject) => {
      const ws = new WebSocket(url, { headers })
      ws.once('open', () => resolveOpen(new RpcSocket(ws)))
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })))
      ws.once('error', reject)
    })
  }

  sendRaw(text: string): void {
    this.ws.send(text)
  }

  async call(method: string, params?: unknown): Promise<Record<string, unknown>> {
    const id = this.nextId++
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }))
    return (await this.waitFor((f) => (f as { id?: unknown }).id === id)) as Record<string, unknown>
  }

  async waitFor(match: (frame: unknown) => boolean, timeoutMs = 5000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.frames.find(match)
      if (found !== undefined) return found
      if (Date.now() > deadline) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`)
      await new Promise<void>((wake) => {
        this.waiters.push(wake)
        setTimeout(wake, 50)
      })
    }
  }

  close(): void {
    this.ws.close()
  }
}
