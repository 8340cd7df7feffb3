/**
 * The local audit log: one JSON object per line in `audit.jsonl` in the data folder, append-only (so
 * not a JsonFile: a torn last line costs one entry, never the log), 0600 in the 0700 data folder.
 * Every mutation Dropdeck makes at a provider is written here (who, what, target, result, request id).
 */
import { randomUUID } from 'node:crypto'
import { appendFile, readFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import type { z } from 'zod'
import { AuditEntrySchema } from '../../../shared/contract'
import type { CallContext } from '../../rpc/context'
import type { EventBus } from '../../rpc/event-bus'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../storage/private-dir'

export type AuditEntry = z.infer<typeof AuditEntrySchema>

export interface AuditInput {
  action: string
  target: string
  result: AuditEntry['result']
  requestId?: string
  message?: string
}

export class AuditLog {
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly dataDir: string,
    private readonly bus: EventBus,
    private readonly log: (line: string) => void = () => {}
  ) {}

  get file(): string {
    return join(this.dataDir, 'audit.jsonl')
  }

  /**
   * Who, in the operator's words: the OS user and where they acted, "alice (app window 2)" or "alice
   * (headless host, browser 3)", rather than the transport's id ("alice via ws:3"). Other callers
   * (tests, tools) keep "user via id".
   */
  static actor(ctx: Pick<CallContext, 'clientId'>): string {
    let user = 'unknown'
    try {
      user = userInfo().username
    } catch {
      // no passwd entry (containers): keep "unknown"
    }
    const where = /^(ws|ipc):(\d+)$/.exec(ctx.clientId)
    if (!where) return `${user} via ${ctx.clientId}`
    return where[1] === 'ws' ? `${user} (headless host, browser ${where[2]})` : `${user} (app window ${where[2]})`
  }

  async append(ctx: Pick<CallContext, 'clientId'>, input: AuditInput): Promise<AuditEntry> {
    const entry = AuditEntrySchema.parse({
      id: randomUUID(),
      at: new Date().toISOString(),
      actor: AuditLog.actor(ctx),
      ...input,
      ...(input.message ? { message: input.message.slice(0, 1000) } : {})
    })
    const line = `${JSON.stringify(entry)}\n`
    // Serialise appends so concurrent mutations never interleave inside a line.
    this.writing = this.writing.then(async () => {
      await ensurePrivateDir(this.dataDir)
      // The mode applies when the file is created; the folder's 0700 keeps an older 0644 file private.
      await appendFile(this.file, line, { mode: PRIVATE_FILE_MODE })
    })
    try {
      await this.writing
    } catch (err) {
      this.log(`audit: could not write ${this.file}: ${(err as Error).message}`)
      this.writing = Promise.resolve()
    }
    this.bus.emit('audit.appended', entry)
    return entry
  }

  /** Newest first. A line that does not parse (a torn write, a hand edit) is skipped and logged. */
  async list(limit = 200): Promise<AuditEntry[]> {
    await this.writing
    let raw: string
    try {
      raw = await readFile(this.file, 'utf8')
    } catch {
      return []
    }
    const entries: AuditEntry[] = []
    const lines = raw.split('\n')
    for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
      const line = lines[i].trim()
      if (!line) continue
      try {
        const parsed = AuditEntrySchema.safeParse(JSON.parse(line))
        if (parsed.success) entries.push(parsed.data)
        else this.log(`audit: line ${i + 1} of ${this.file} is not an audit entry; skipped`)
      } catch {
        this.log(`audit: line ${i + 1} of ${this.file} is not JSON; skipped`)
      }
    }
    return entries
  }
}
