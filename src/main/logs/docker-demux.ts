/**
 * The Docker Engine API's multiplexed log stream (non-TTY containers): frames of an 8-byte header
 * [stream, 0, 0, 0, size as uint32 big-endian] and `size` bytes of payload. Chunks from the network
 * cut headers and payloads anywhere; this keeps the partial header and forwards payload pieces as
 * they come, so a huge frame is never held whole. A stream that ends inside a frame is reported,
 * not thrown.
 */
export type DockerStream = 'stdout' | 'stderr'

export class DockerDemux {
  private header = Buffer.alloc(8)
  private headerHave = 0
  private remaining = 0
  private stream: DockerStream = 'stdout'

  constructor(private readonly onPayload: (stream: DockerStream, bytes: Buffer) => void) {}

  push(chunk: Buffer): void {
    let i = 0
    while (i < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerHave, chunk.length - i)
        chunk.copy(this.header, this.headerHave, i, i + take)
        this.headerHave += take
        i += take
        if (this.headerHave < 8) return
        this.headerHave = 0
        // 0 stdin (echoed for TTY-less attach), 1 stdout, 2 stderr; 3 is a systemerr from the daemon
        this.stream = this.header[0] === 2 || this.header[0] === 3 ? 'stderr' : 'stdout'
        this.remaining = this.header.readUInt32BE(4)
        continue
      }
      const take = Math.min(this.remaining, chunk.length - i)
      this.onPayload(this.stream, chunk.subarray(i, i + take))
      this.remaining -= take
      i += take
    }
  }

  /** True when the stream stopped inside a header or a payload. */
  get midFrame(): boolean {
    return this.headerHave > 0 || this.remaining > 0
  }
}
