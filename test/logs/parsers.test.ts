// Unit tests for the byte-level parts of log streaming: docker's frame demultiplexer (frames cut
// anywhere), the bounded line splitter (1 MB lines, invalid UTF-8, binary garbage), the journal JSON
// parser on real captured journalctl output, docker timestamps, and level detection.
import { describe, expect, it } from 'vitest'
import { DockerDemux } from '../../src/main/logs/docker-demux'
import { sinceParam, splitDockerTimestamp } from '../../src/main/logs/docker-source'
import { parseJournalLine } from '../../src/main/logs/journal-parser'
import { levelOfPriority, levelOfText } from '../../src/main/logs/level'
import { LineSplitter } from '../../src/main/logs/line-splitter'
import { MAX_LINE_BYTES } from '../../src/main/logs/line-text'
import { INCUS_OSD_READY, NGINX_STARTING, PODMAN_BYTES, PODMAN_NULL } from './journal-capture'

function frame(stream: 1 | 2, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload
  const head = Buffer.alloc(8)
  head[0] = stream
  head.writeUInt32BE(body.length, 4)
  return Buffer.concat([head, body])
}

function demuxAll(chunks: Buffer[]): { out: string; err: string; mid: boolean } {
  const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] }
  const d = new DockerDemux((s, b) => got[s].push(Buffer.from(b)))
  for (const c of chunks) d.push(c)
  return { out: Buffer.concat(got.stdout).toString(), err: Buffer.concat(got.stderr).toString(), mid: d.midFrame }
}

describe('docker frame demultiplexer', () => {
  const stream = Buffer.concat([frame(1, 'one\n'), frame(2, 'boom\n'), frame(1, 'two\nthr'), frame(1, 'ee\n')])

  it('splits stdout and stderr frames however the chunks are cut, byte by byte included', () => {
    for (const size of [1, 3, 7, 8, 9, 13, stream.length]) {
      const chunks: Buffer[] = []
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size))
      expect(demuxAll(chunks)).toEqual({ out: 'one\ntwo\nthree\n', err: 'boom\n', mid: false })
    }
  })

  it('says a stream stopped mid-frame, inside a header or a payload, without throwing', () => {
    expect(demuxAll([stream.subarray(0, 5)]).mid).toBe(true)
    expect(demuxAll([stream.subarray(0, 10)])).toEqual({ out: 'on', err: '', mid: true })
    expect(demuxAll([stream]).mid).toBe(false)
  })
})

describe('line splitter', () => {
  const split = (chunks: Buffer[], max?: number) => {
    const lines: string[] = []
    const s = new LineSplitter((l) => lines.push(l), max)
    for (const c of chunks) s.push(c)
    s.flush()
    return lines
  }

  it('keeps a character split across chunks whole, and strips CR of CRLF', () => {
    const euro = Buffer.from('price: 5€\r\n')
    expect(split([euro.subarray(0, 9), euro.subarray(9)])).toEqual(['price: 5€'])
  })

  it('cuts a 1 MB line to the limit with a marker giving its length, and goes on with the next line', () => {
    const big = Buffer.alloc(1024 * 1024, 'x')
    const lines = split([Buffer.from('before\n'), big.subarray(0, 300_000), big.subarray(300_000), Buffer.from('\nafter\n')])
    expect(lines).toHaveLength(3)
    expect(lines[0]).toBe('before')
    expect(lines[1].startsWith('x'.repeat(MAX_LINE_BYTES) + ' … [line cut: 1,048,576 bytes')).toBe(true)
    expect(lines[1].length).toBeLessThan(MAX_LINE_BYTES + 100)
    expect(lines[2]).toBe('after')
  })

  it('does not cut a multi-byte character in half at the limit', () => {
    const [line] = split([Buffer.from('é'.repeat(20) + '\n')], 9)
    expect(line.startsWith('éééé … [line cut: 40 bytes, first 8 shown]')).toBe(true)
  })

  it('shows invalid UTF-8 as U+FFFD and binary garbage escaped', () => {
    const [bad, bin] = split([Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0x21, 0x0a, 0x00, 0x01, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x09, 0x41, 0x7f, 0x0a])])
    expect(bad).toBe('ok\uFFFD\uFFFD!')
    expect(bin).toBe('\\x00\\x01\\x1b[31m\tA\\x7f')
  })
})

describe('journal JSON parser on captured journalctl output', () => {
  it('reads the old spaced format: µs timestamp to ms, PRIORITY 6 as info, cursor', () => {
    expect(parseJournalLine(NGINX_STARTING)).toEqual({
      ts: 1422990364739,
      text: 'Starting A high performance web server and a reverse proxy server...',
      level: 'info',
      cursor: 's=13a21661cf4948289c63075db6c25c00;i=116f1;b=81b58db8fd9046ab9f847ddb82a2fa2d;m=19f0daa;t=50e33c33587ae;x=e307daadb4858635'
    })
  })

  it('reads the compact format of systemd 257', () => {
    const e = parseJournalLine(INCUS_OSD_READY)!
    expect(e.ts).toBe(1762272421322)
    expect(new Date(e.ts).toISOString()).toBe('2025-11-04T16:07:01.322Z')
    expect(e.text).toBe('2025-11-04 16:07:01 INFO System is ready release=202511041601')
    expect(e.cursor).toMatch(/^s=55e9886cc9024eb7ad4367e9061be6ce;i=7a6;/)
  })

  it('decodes a MESSAGE given as bytes (escape shown, tab kept, trailing newline dropped) and a null MESSAGE', () => {
    expect(parseJournalLine(PODMAN_BYTES)).toEqual({ ts: 1790516152035, text: '\\x1b[32mINFO\tdone' })
    expect(parseJournalLine(PODMAN_NULL)!.text).toMatch(/left it out/)
  })

  it('maps priorities and skips what is not an entry', () => {
    expect([0, 3, 4, 5, 6, 7].map((p) => levelOfPriority(String(p)))).toEqual(['error', 'error', 'warn', 'info', 'info', 'debug'])
    expect(parseJournalLine('-- No entries --')).toBeUndefined()
    expect(parseJournalLine('{"MESSAGE":')).toBeUndefined()
    expect(parseJournalLine('{"MESSAGE":[104,105,255],"PRIORITY":"3"}')).toMatchObject({ text: 'hi\uFFFD', level: 'error' })
  })
})

describe('docker timestamps and levels', () => {
  it('keeps nanoseconds exactly for resuming with since', () => {
    const t = splitDockerTimestamp('2026-11-29T09:10:11.123456789Z GET /health 200')!
    expect(t.text).toBe('GET /health 200')
    expect(t.ms).toBe(Date.parse('2026-11-29T09:10:11.123Z'))
    expect(sinceParam(t)).toBe(`${Date.parse('2026-11-29T09:10:11Z') / 1000}.123456789`)
    // a shorter fraction and an offset take the slow path, to the same result
    const u = splitDockerTimestamp('2026-11-29T10:10:11.5+01:00 x')!
    expect([u.text, u.ms, sinceParam(u)]).toEqual(['x', Date.parse('2026-11-29T09:10:11.500Z'), `${Date.parse('2026-11-29T09:10:11Z') / 1000}.500000000`])
    expect(splitDockerTimestamp('no timestamp here')).toBeUndefined()
  })

  it('guesses levels from common line heads', () => {
    expect(levelOfText('2024/01/01 [error] 12#12: connect() failed')).toBe('error')
    expect(levelOfText('time="x" level=warning msg="slow"')).toBe('warn')
    expect(levelOfText('INFO  Started server')).toBe('info')
    expect(levelOfText('DEBUG pool size 4')).toBe('debug')
    expect(levelOfText('GET /health 200')).toBeUndefined()
  })
})
