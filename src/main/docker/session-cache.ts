/**
 * Kept-open Engine API sessions, one per host, reused by successive refreshes and closed after a
 * quiet spell. A new dial-stdio channel starts a docker CLI process on the host (tens to hundreds of
 * ms of CPU); a request on an open one is a round trip. A session found broken (docker restarted,
 * the SSH connection replaced) is dropped and the call tried once more on a fresh one.
 */
import type { DockerEngine, EngineSession } from './engine'

const IDLE_MS = 30_000

interface Entry {
  session: Promise<EngineSession>
  idle?: NodeJS.Timeout
}

export class EngineSessions {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly engine: Pick<DockerEngine, 'session'>,
    private readonly idleMs = IDLE_MS
  ) {}

  async use<T>(hostId: string, work: (session: EngineSession) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const entry = this.entry(hostId)
      let session: EngineSession
      try {
        session = await entry.session
      } catch (err) {
        this.drop(hostId, entry)
        throw err
      }
      if (!session.open && attempt === 0) {
        this.drop(hostId, entry)
        continue
      }
      try {
        return await work(session)
      } catch (err) {
        // Only a session that broke under us is worth one more try; an answer from docker is final.
        if (session.open || attempt > 0) throw err
        this.drop(hostId, entry)
      } finally {
        this.touch(hostId, entry)
      }
    }
  }

  closeAll(): void {
    for (const [hostId, entry] of [...this.entries]) this.drop(hostId, entry)
  }

  private entry(hostId: string): Entry {
    let entry = this.entries.get(hostId)
    if (!entry) {
      entry = { session: this.engine.session(hostId) }
      this.entries.set(hostId, entry)
    }
    if (entry.idle) clearTimeout(entry.idle)
    entry.idle = undefined
    return entry
  }

  private touch(hostId: string, entry: Entry): void {
    if (this.entries.get(hostId) !== entry) return
    if (entry.idle) clearTimeout(entry.idle)
    entry.idle = setTimeout(() => this.drop(hostId, entry), this.idleMs)
    entry.idle.unref()
  }

  private drop(hostId: string, entry: Entry): void {
    if (entry.idle) clearTimeout(entry.idle)
    if (this.entries.get(hostId) === entry) this.entries.delete(hostId)
    entry.session.then((s) => s.close(), () => undefined)
  }
}
