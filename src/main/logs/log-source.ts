/** What a log source (docker, journal, file) gives the stream that runs it. */
import type { LogLine } from '../../shared/contract/logs'

export interface SourceSink {
  line(line: LogLine): void
  /** The source is connected and following (emitted once per run). */
  following(): void
  /** What to pause while the client is behind (the channel or response being read); undefined when the run ends. */
  flow(control: FlowControl | undefined): void
}

export interface FlowControl {
  pause(): void
  resume(): void
}

/** How a run of a source ended: the source itself ended (a stopped container), or the channel dropped. */
export type RunOutcome = 'ended' | 'lost'

export interface SourceRunner {
  /** Whether a resumed run fetches again the lines written while it was down. */
  readonly recovers: boolean
  /** Time (epoch ms) of the last line seen, for the gap notice. */
  readonly lastTs: number | undefined
  /**
   * Follows until the source ends or its channel drops; `resume` after a drop picks up where the
   * last run stopped. Throws a DropdeckError for failures that retrying will not fix.
   */
  run(sink: SourceSink, signal: AbortSignal, resume: boolean): Promise<RunOutcome>
}

/** Single-quotes a word for the remote POSIX shell. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}
