// Capabilities composed by the app: every contract method answered exactly once, and disposal in
// reverse order of creation (a capability goes only after everything built on it), each awaited.
import os from 'node:os'
import path from 'node:path'
import { mkdtemp, rm } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { methods, type MethodName } from '../../src/shared/contract'
import { composeCapabilities, resource, type Capability } from '../../src/main/app/capability'
import { createServices } from '../../src/main/app/services'
import type { Handlers } from '../../src/main/rpc/router'
import { memoryKeychain } from '../ssh/support/ssh-env'

const names = Object.keys(methods) as MethodName[]
const answer = () => ({}) as never
/** Handlers for `list`, as one capability would hold them. */
const handlersFor = (list: MethodName[]): Partial<Handlers> => Object.fromEntries(list.map((m) => [m, answer]))

describe('composeCapabilities', () => {
  it('disposes in reverse order of creation, each awaited before the next, a failing one logged', async () => {
    const done: string[] = []
    const lines: string[] = []
    const slow = (name: string): Capability => ({
      name,
      handlers: {},
      dispose: async () => {
        await new Promise((r) => setTimeout(r, 5))
        done.push(name)
      }
    })
    const composed = composeCapabilities(
      [
        { name: 'all', handlers: handlersFor(names), dispose: () => void done.push('all') },
        slow('pool'),
        resource('broken', () => {
          throw new Error('already closed')
        }),
        slow('tunnels')
      ],
      (line) => lines.push(line)
    )
    await Promise.all([composed.dispose(), composed.dispose()])
    expect(done).toEqual(['tunnels', 'pool', 'all'])
    expect(lines).toEqual(['shutdown: broken failed to dispose: already closed'])
  })

  it('refuses a method answered twice or one outside the contract; one answered by nobody is logged and refused with INTERNAL', async () => {
    const [first, ...rest] = names
    expect(() => composeCapabilities([{ name: 'a', handlers: handlersFor(names), dispose: () => {} }, { name: 'b', handlers: handlersFor([first]), dispose: () => {} }])).toThrow(
      `${first} has two handlers (a and b)`
    )
    const lines: string[] = []
    const partial = composeCapabilities([{ name: 'a', handlers: handlersFor(rest), dispose: () => {} }], (line) => lines.push(line))
    expect(partial.missing).toEqual([first])
    expect(lines).toEqual([`capabilities: no handler for ${first}; every contract method needs one (a Dropdeck bug).`])
    expect(() => (partial.handlers[first] as () => unknown)()).toThrow(`${first} has no handler in this build`)
    expect(() => composeCapabilities([{ name: 'a', handlers: { ...handlersFor(names), 'nope.nothing': answer } as Partial<Handlers>, dispose: () => {} }])).toThrow(
      'a has a handler for nope.nothing, which is not in the contract'
    )
  })

  it("the app's capabilities answer every contract method exactly once", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'dropdeck-capabilities-'))
    try {
      // createServices composes with composeCapabilities, which throws on a doubled method and logs a missing one.
      const lines: string[] = []
      const services = createServices({ dataDir: root, version: '0.0.0-test', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: path.join(root, 'no-ssh-config') }, log: (line) => lines.push(line) })
      await services.dispose()
      expect(lines.filter((line) => line.startsWith('capabilities:'))).toEqual([])
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })
})
