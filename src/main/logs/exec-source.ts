/**
 * The sources that follow a remote command's output: a file (`tail -F`, which follows rotation and
 * waits for a file that does not exist yet) and a systemd unit (`journalctl -u UNIT -f -o json`,
 * resumed after a drop with `--after-cursor`). stderr lines (tail's "file truncated", journalctl's
 * permission hints) are shown as lines of stream `stderr`.
 */
import { randomBytes } from 'node:crypto'
import type { Client } from 'ssh2'
import type { LogLevel, LogLine } from '../../shared/contract/logs'
import { DropdeckError } from '../../shared/errors'
import { followChannel, openExec, withWatchdog } from './exec-follow'
import { parseJournalLine } from './journal-parser'
import { levelOfText } from './level'
import { LineSplitter } from './line-splitter'
import { MAX_LINE_BYTES } from './line-text'
import { shellQuote, type RunOutcome, type SourceRunner, type SourceSink } from './log-source'

interface ExecSourceDeps {
  hostId: string
  acquire(): Promise<Client>
}

abstract class ExecSource implements SourceRunner {
  abstract readonly recovers: boolean
  lastTs: number | undefined

  constructor(protected readonly deps: ExecSourceDeps) {}

  protected abstract command(resume: boolean): string
  /** `bytes`: the line's length in the output, newline excluded. */
  protected abstract stdoutLine(text: string, sink: SourceSink, bytes: number): void
  /** False when the source says `following` itself, once its command has told it where it starts. */
  protected readonly followingOnOpen: boolean = true
  protected abstract describeFailure(code: number, stderr: string): string
  /** The longest stdout line kept whole. */
  protected readonly stdoutMaxBytes: number = MAX_LINE_BYTES

  async run(sink: SourceSink, signal: AbortSignal, resume: boolean): Promise<RunOutcome> {
    const client = await this.deps.acquire()
    const channel = await openExec(client, this.deps.hostId, withWatchdog(this.command(resume)))
    if (this.followingOnOpen) sink.following()
    sink.flow({ pause: () => channel.pause(), resume: () => channel.resume() })
    const out = new LineSplitter((text, bytes) => this.stdoutLine(text, sink, bytes), this.stdoutMaxBytes)
    const err = new LineSplitter((text) => {
      const ts = Date.now()
      sink.line(withLevel({ ts, stream: 'stderr', text }, levelOfText(text) ?? 'warn'))
    })
    const result = await followChannel(channel, signal, (c) => out.push(c), (c) => err.push(c))
    sink.flow(undefined)
    if (signal.aborted) return 'ended'
    if (result.code === null) return 'lost' // dropped connection, or killed on the host: resume
    out.flush()
    err.flush()
    if (result.code === 0) return 'ended'
    throw new DropdeckError('UPSTREAM', this.describeFailure(result.code, result.stderrTail.trim().split('\n').slice(-3).join(' ').slice(0, 400)))
  }
}

function withLevel(line: LogLine, level: LogLevel | undefined): LogLine {
  return level ? { ...line, level } : line
}

/**
 * A file, followed by byte offset so that a dropped stream resumes exactly where it stopped: the
 * remote script first says the file's size (with a per-run nonce nobody's log contains), prints the
 * last N lines before that size, says where following starts, then runs `tail -c +OFFSET -F`. On
 * resume it starts from the byte after the last one delivered, so lines written while down arrive
 * too; if the file shrank meanwhile (rotated or truncated) it starts from the new file's beginning and
 * the gap says lines may be missing.
 */
export class FileSource extends ExecSource {
  protected override readonly followingOnOpen = false
  /** Bytes of the file delivered so far (absolute offset), once the first run has said its start. */
  private offset: number | undefined
  private phase: 'header' | 'dump' | 'follow' = 'header'
  private nonce = ''
  private resumedExactly = false

  constructor(deps: ExecSourceDeps, private readonly path: string, private readonly tail: number) {
    super(deps)
  }

  get recovers(): boolean {
    return this.resumedExactly
  }

  protected command(resume: boolean): string {
    this.nonce = `dropdeck-${randomBytes(8).toString('hex')}`
    this.phase = 'header'
    const n = this.nonce
    const size = `s=$(stat -L -c %s -- "$f" 2>/dev/null || echo 0)`
    const script =
      resume && this.offset !== undefined
        ? `f=${shellQuote(this.path)}; o=${this.offset}; ${size}; if [ "$s" -ge "$o" ]; then echo "${n} $o 1"; else o=0; echo "${n} 0 0"; fi; ` +
          `echo "${n} follow"; exec tail -c +$((o+1)) -F -- "$f"`
        : // sed '$a\' ends a last line still being written, so the marker after it stands on its own line.
          `f=${shellQuote(this.path)}; ${size}; echo "${n} $s 1"; if [ "$s" -gt 0 ]; then head -c "$s" -- "$f" | tail -n ${this.tail} | sed '$a\\'; fi; ` +
          `echo "${n} follow"; exec tail -c +$((s+1)) -F -- "$f"`
    return `sh -c ${shellQuote(script)}`
  }

  protected stdoutLine(text: string, sink: SourceSink, bytes: number): void {
    if (this.phase === 'header') {
      const m = new RegExp(`^${this.nonce} (\\d+) ([01])$`).exec(text)
      if (m) {
        this.offset = Number(m[1])
        this.resumedExactly = m[2] === '1'
        this.phase = 'dump'
        sink.following()
        return
      }
      this.phase = 'follow' // not our script's header: show everything as it comes
      sink.following()
    } else if (this.phase === 'dump') {
      if (text === `${this.nonce} follow`) {
        this.phase = 'follow'
        return
      }
    } else if (this.offset !== undefined) {
      this.offset += bytes + 1
    }
    const ts = Date.now()
    this.lastTs = ts
    sink.line(withLevel({ ts, stream: 'file', text }, levelOfText(text)))
  }

  protected describeFailure(code: number, stderr: string): string {
    return `${this.deps.hostId}: tail ${this.path} failed (exit ${code}${stderr ? `: ${stderr}` : ''}). Check the path and that the SSH user may read it.`
  }
}

export class JournalSource extends ExecSource {
  readonly recovers = true
  private cursor: string | undefined
  // A JSON entry must arrive whole to be parsed; journald's own LineMax is 48K, so this is ample.
  protected override readonly stdoutMaxBytes = 512 * 1024

  constructor(deps: ExecSourceDeps, private readonly unit: string, private readonly tail: number, private readonly sinceMs: number | undefined) {
    super(deps)
  }

  protected command(resume: boolean): string {
    const base = `journalctl -u ${shellQuote(this.unit)} -f -o json --no-pager`
    if (resume && this.cursor) return `${base} -n all --after-cursor=${shellQuote(this.cursor)}`
    const since = this.sinceMs !== undefined ? ` --since=@${Math.floor(this.sinceMs / 1000)}` : ''
    return `${base} -n ${this.sinceMs !== undefined ? 'all' : this.tail}${since}`
  }

  protected stdoutLine(text: string, sink: SourceSink): void {
    const entry = parseJournalLine(text)
    if (!entry) {
      if (text.startsWith('{')) sink.line({ ts: Date.now(), stream: 'journal', text: `[a journal entry of more than 512 KiB was left out]`, level: 'warn' })
      return
    }
    if (entry.cursor) this.cursor = entry.cursor
    this.lastTs = entry.ts
    sink.line(withLevel({ ts: entry.ts, stream: 'journal', text: entry.text }, entry.level))
  }

  protected describeFailure(code: number, stderr: string): string {
    if (code === 127) return `${this.deps.hostId}: journalctl is not installed (exit 127). This host does not run systemd's journal; follow a log file instead.`
    return `${this.deps.hostId}: journalctl -u ${this.unit} failed (exit ${code}${stderr ? `: ${stderr}` : ''}). If it says "insufficient permissions", add the SSH user to the systemd-journal group.`
  }
}
