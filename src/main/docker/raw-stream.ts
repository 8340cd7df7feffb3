/**
 * A long Engine API response read without node:http. The request goes out as HTTP/1.0, so docker
 * (Go's net/http) answers with a plain body that ends when the connection closes instead of chunked
 * encoding: a followed log arrives as the bytes docker wrote, in the channel's own chunks, rather
 * than one HTTP chunk (one parser callback and one 'data' event) per log line.
 */
import { Transform, type TransformCallback } from 'node:stream'
import type { ClientChannel } from 'ssh2'

const HEAD_LIMIT = 64 * 1024

export interface RawRequestOptions {
  /** Ask docker to hijack the connection (exec start with a TTY); `body` goes as JSON. */
  upgrade?: boolean
  body?: unknown
  /** More request headers (e.g. X-Registry-Auth for a pull); values must be single-line. */
  headers?: Record<string, string>
}

export interface RawHead {
  status: number
}

/** Passes the body through once the response head (status line and headers) has been read off. */
export class ResponseHeadSplitter extends Transform {
  private head: Buffer | undefined = Buffer.alloc(0)
  readonly response: Promise<RawHead>
  private settle!: { resolve: (head: RawHead) => void; reject: (err: Error) => void }

  constructor() {
    super()
    this.response = new Promise<RawHead>((resolve, reject) => {
      this.settle = { resolve, reject }
    })
    this.response.catch(() => undefined)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.head === undefined) return done(null, chunk)
    const all = this.head.length ? Buffer.concat([this.head, chunk]) : chunk
    const end = all.indexOf('\r\n\r\n')
    if (end === -1) {
      if (all.length > HEAD_LIMIT) return done(this.fail(new Error('the response head is over 64 KiB')))
      this.head = all
      return done()
    }
    this.head = undefined
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(all.subarray(0, Math.min(end, 64)).toString('latin1'))
    if (!status) return done(this.fail(new Error(`not an HTTP response: ${JSON.stringify(all.subarray(0, 40).toString('latin1'))}`)))
    this.settle.resolve({ status: Number(status[1]) })
    const body = all.subarray(end + 4)
    done(null, body.length ? body : undefined)
  }

  override _flush(done: TransformCallback): void {
    if (this.head !== undefined) return done(this.fail(new Error('the channel closed before a response')))
    done()
  }

  override _destroy(err: Error | null, done: (error: Error | null) => void): void {
    if (this.head !== undefined) this.settle.reject(err ?? new Error('the channel closed before a response'))
    done(err)
  }

  private fail(err: Error): Error {
    this.settle.reject(err)
    return err
  }
}

/** Writes the request and returns the splitter the channel is piped into. */
export function requestRaw(channel: ClientChannel, method: string, path: string, options: RawRequestOptions = {}): ResponseHeadSplitter {
  const splitter = new ResponseHeadSplitter()
  splitter.on('error', () => undefined) // the response promise carries it
  // A close-delimited body cannot say whether it ended or was cut; the dial command's exit status can:
  // 0 when docker ended the response, none when the connection dropped or the process was killed.
  let exitCode: number | null = null
  channel.on('exit', (code: number | null) => {
    exitCode = typeof code === 'number' ? code : null
  })
  channel.pipe(splitter, { end: false })
  channel.once('close', () => {
    if (exitCode === 0) splitter.end()
    else splitter.destroy(new Error('the connection to docker dropped before the response ended'))
  })
  if (options.upgrade) {
    // An attach (exec start): HTTP/1.1 asking to upgrade, so docker answers 101 and hands the
    // connection over to the process's raw TTY both ways, which then ends with the process.
    const payload = Buffer.from(JSON.stringify(options.body ?? {}), 'utf8')
    channel.write(
      `${method} ${path} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`
    )
    channel.write(payload)
  } else {
    const extra = Object.entries(options.headers ?? {})
      .map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, '')}\r\n`)
      .join('')
    channel.write(`${method} ${path} HTTP/1.0\r\nHost: docker\r\nAccept: application/json\r\n${extra}\r\n`)
  }
  return splitter
}
