// (Here rather than in test/logs: the renderer's code type-checks under tsconfig.web, which takes test/renderer.)
// The renderer's merged log: time order across sources, the ring buffer's bound and count, the
// filtered view kept in step with appends and drops, notices past the filter, a bad regex reported.
import { describe, expect, it } from 'vitest'
import { compileFilter, LogStore, type ViewLine } from '../../src/renderer/src/logs/log-store'

const l = (ts: number, source: number, text = `s${source} t${ts}`): ViewLine => ({ ts, source, stream: 'stdout', text })
const texts = (s: LogStore) => s.viewLines().map((x) => x.text)

describe('log store', () => {
  it('merges batches of two sources into one time-ordered list, equal times in arrival order', () => {
    const s = new LogStore(100)
    s.add([l(1, 0), l(3, 0), l(5, 0)])
    s.add([l(2, 1), l(3, 1), l(6, 1)])
    s.add([l(4, 0)])
    expect(s.viewLines().map((x) => `${x.ts}/${x.source}`)).toEqual(['1/0', '2/1', '3/0', '3/1', '4/0', '5/0', '6/1'])
  })

  it('keeps at most capacity lines, dropping the oldest and counting them', () => {
    const s = new LogStore(1000)
    for (let b = 0; b < 30; b++) s.add(Array.from({ length: 500 }, (_, i) => l(b * 500 + i, b % 2)))
    expect(s.kept).toBe(1000)
    expect(s.dropped).toBe(14_000)
    expect(s.at(0)!.ts).toBe(14_000)
    expect(s.at(999)!.ts).toBe(14_999)
  })

  it('keeps the filtered view in step with new lines and with what the ring drops; notices always shown', () => {
    const s = new LogStore(10)
    s.add([l(1, 0, 'GET /a 200'), l(2, 0, 'GET /b 500'), l(3, 0, 'GET /c 500')])
    s.setFilter(compileFilter('500', false).matcher)
    expect(texts(s)).toEqual(['GET /b 500', 'GET /c 500'])
    s.add([{ ts: 4, source: 0, stream: 'stdout', text: 'the stream was down', notice: 'gap' }, l(5, 0, 'POST /d 500')])
    expect(texts(s)).toEqual(['GET /b 500', 'GET /c 500', 'the stream was down', 'POST /d 500'])
    s.add(Array.from({ length: 8 }, (_, i) => l(10 + i, 1, 'noise')))
    expect(s.kept).toBe(10)
    expect(texts(s)).toEqual(['the stream was down', 'POST /d 500'])
    expect(s.indexAtTime(5)).toBe(1)
    s.setFilter(null)
    expect(s.length).toBe(10)
  })

  it('filters by regex case-insensitively, and reports a bad regex instead of throwing', () => {
    const s = new LogStore(10)
    s.add([l(1, 0, 'level=ERROR db down'), l(2, 0, 'level=info ok')])
    s.setFilter(compileFilter('level=(error|warn)', true).matcher)
    expect(texts(s)).toEqual(['level=ERROR db down'])
    const bad = compileFilter('([unclosed', true)
    expect(bad.matcher).toBeNull()
    expect(bad.error).toMatch(/Invalid regular expression/)
  })
})
