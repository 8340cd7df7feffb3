// docs/api.md stays the contract's reference, method by method: every method has a heading that
// names it (`### \`a.b\`` or `### \`a.b\` / \`a.c\``), every event is described somewhere, and no
// heading names a method or event the contract does not have.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { events, methods } from '../../src/shared/contract'

const doc = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/api.md'), 'utf8')
const headingLines = doc.split('\n').filter((line) => /^#{2,4} /.test(line))
/** Every `name` in a heading that looks like a contract name (dotted, lower-case first). */
const headed = new Set(headingLines.flatMap((line) => [...line.matchAll(/`([a-z][\w]*(?:\.[\w]+)+)`/g)].map((m) => m[1])))

describe('docs/api.md', () => {
  it('has a heading for every contract method', () => {
    expect(Object.keys(methods).filter((m) => !headed.has(m))).toEqual([])
  })

  it('describes every event', () => {
    expect(Object.keys(events).filter((e) => !doc.includes(`\`${e}\``))).toEqual([])
  })

  it('heads no method or event the contract does not have', () => {
    expect([...headed].filter((name) => !Object.hasOwn(methods, name) && !Object.hasOwn(events, name))).toEqual([])
  })
})
