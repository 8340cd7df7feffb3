/**
 * Splits a byte stream into lines, holding at most MAX_LINE_BYTES of a line that has not ended yet:
 * a 1 MB line costs 16 KiB, not 1 MB, and arrives cut with a marker. Works on bytes, so a UTF-8
 * character split across chunks is decoded whole.
 */
import { MAX_LINE_BYTES, lineText, utf8Boundary } from './line-text'

export class LineSplitter {
  private parts: Buffer[] = []
  private held = 0
  /** Bytes of the current line seen so far, including what was dropped past the limit. */
  private seen = 0

  constructor(
    /** `bytes`: the line's length in the stream, without its newline (before any cut or decoding). */
    private readonly onLine: (text: string, bytes: number) => void,
    private readonly maxBytes = MAX_LINE_BYTES
  ) {}

  push(chunk: Buffer): void {
    let start = 0
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start)
      const end = nl === -1 ? chunk.length : nl
      this.keep(chunk.subarray(start, end))
      if (nl === -1) return
      this.emit()
      start = nl + 1
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  flush(): void {
    if (this.seen > 0) this.emit()
  }

  private keep(piece: Buffer): void {
    this.seen += piece.length
    const room = this.maxBytes + 4 - this.held // a few bytes over, so the cut can fall on a character boundary
    if (room <= 0 || piece.length === 0) return
    const part = piece.length > room ? piece.subarray(0, room) : piece
    this.parts.push(part)
    this.held += part.length
  }

  private emit(): void {
    const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.held)
    const bytes = this.seen > this.maxBytes ? all.subarray(0, utf8Boundary(all, this.maxBytes)) : all
    this.onLine(lineText(bytes, this.seen > this.maxBytes ? this.seen : bytes.length), this.seen)
    this.parts = []
    this.held = 0
    this.seen = 0
  }
}
