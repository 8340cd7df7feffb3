/**
 * Components never call the contract themselves: a read or write goes through the data layer
 * (rpc/contract-queries.ts and the area hooks built on it), so each method's cache key, freshness and
 * stale reads live in one place (rpc/method-options.ts). This scans every component file for a direct
 * call, and proves the scan catches the forms such a call takes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const RENDERER = join(__dirname, '../../src/renderer/src')

/**
 * Folders still being moved onto the data layer by their owners. The lead empties this list once
 * they land; a folder listed here is not scanned.
 */
const NOT_YET_CONVERTED: string[] = []

/** `api.call(…)`, `api\n  .call(…)`, or `.call('area.method', …)` on any other name for the client. */
const DIRECT_CALL = /\bapi\s*\.\s*call\s*\(|\.\s*call\s*\(\s*['"`][a-z][a-zA-Z]*\.[a-zA-Z.]+['"`]/g

/** The lines (1-based) where a direct call starts; comment lines are blanked first, keeping the count. */
function directCalls(source: string): number[] {
  const code = source
    .split('\n')
    .map((line) => (/^\s*(\/\/|\/?\*)/.test(line) ? '' : line))
    .join('\n')
  return [...code.matchAll(DIRECT_CALL)].map((match) => code.slice(0, match.index).split('\n').length)
}

function componentFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return componentFiles(path)
    return entry.name.endsWith('.tsx') ? [path] : []
  })
}

describe('the renderer data layer boundary', () => {
  it('finds the forms a direct contract call takes, and not the data layer hooks', () => {
    expect(directCalls(`const x = await api.call('hosts.list')`)).toEqual([1])
    expect(directCalls(`void api\n  .call('containers.prune', { hostId })`)).toEqual([1])
    expect(directCalls(`useApi().call('files.read', { hostId, path })`)).toEqual([1])
    expect(directCalls(`const read = useContractCall('files.read')\nconst list = useContractQuery('hosts.list')`)).toEqual([])
    expect(directCalls(`fn.call(this, 'x')`)).toEqual([])
  })

  it('no component file calls the contract directly', () => {
    const files = componentFiles(RENDERER).filter((file) => !NOT_YET_CONVERTED.some((folder) => relative(RENDERER, file).startsWith(folder)))
    expect(files.length).toBeGreaterThan(50)
    const offenders = files.flatMap((file) => directCalls(readFileSync(file, 'utf8')).map((line) => `${relative(RENDERER, file)}:${line}`))
    expect(offenders, 'use useContractQuery / useContractMutation / useContractCall (rpc/contract-queries.ts) or an area hook instead').toEqual([])
  })
})
