/**
 * The response head splitter behind DockerEngine.stream: the head may arrive in any pieces, the body
 * passes through untouched, and what is not an HTTP response fails the response rather than hanging.
 * (The whole path runs against the real dockerd in containers.test.ts and test/logs/streams.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { ResponseHeadSplitter } from '../../src/main/docker/raw-stream'

async function feed(pieces: Buffer[]): Promise<{ status: number; body: string }> {
  const splitter = new ResponseHeadSplitter()
  const chunks: Buffer[] = []
  splitter.on('data', (c: Buffer) => chunks.push(c))
  const ended = new Promise((resolve) => splitter.on('end', resolve))
  for (const piece of pieces) splitter.write(piece)
  splitter.end()
  const { status } = await splitter.response
  await ended
  return { status, body: Buffer.concat(chunks).toString('utf8') }
}

describe('ResponseHeadSplitter', () => {
  const response = Buffer.from('HTTP/1.0 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\nline one\nline two\n')

  it('reads the status and passes the body through, whatever the pieces', async () => {
    expect(await feed([response])).toEqual({ status: 200, body: 'line one\nline two\n' })
    const bytes = [...response].map((b) => Buffer.from([b]))
    expect(await feed(bytes)).toEqual({ status: 200, body: 'line one\nline two\n' })
    const cut = response.indexOf('\r\n\r\n') + 2 // inside the blank line
    expect(await feed([response.subarray(0, cut), response.subarray(cut)])).toEqual({ status: 200, body: 'line one\nline two\n' })
  })

  it('gives the status of an error answer with its body', async () => {
    expect(await feed([Buffer.from('HTTP/1.0 404 Not Found\r\n\r\n{"message":"No such container: x"}')])).toEqual({ status: 404, body: '{"message":"No such container: x"}' })
  })

  it('fails the response for something that is not HTTP, an endless head, or a channel that closes first', async () => {
    const notHttp = new ResponseHeadSplitter()
    notHttp.on('error', () => undefined)
    notHttp.write(Buffer.from('docker: command not found\r\n\r\n'))
    await expect(notHttp.response).rejects.toThrow(/not an HTTP response/)

    const endless = new ResponseHeadSplitter()
    endless.on('error', () => undefined)
    endless.write(Buffer.alloc(70 * 1024, 'a'))
    await expect(endless.response).rejects.toThrow(/over 64 KiB/)

    const early = new ResponseHeadSplitter()
    early.on('error', () => undefined)
    early.write(Buffer.from('HTTP/1.0 200'))
    early.destroy(new Error('the connection to docker dropped'))
    await expect(early.response).rejects.toThrow(/dropped/)
  })
})
