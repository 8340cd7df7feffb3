/**
 * The built preload, run the way Electron's sandbox runs it (security review #2): it may require only
 * what a sandboxed preload can (electron, events, timers, url), and in a vm context offering only those
 * modules (a recording contextBridge and ipcRenderer) it exposes exactly the contract's bridge.
 * The file is `npm run build`'s out/preload/index.cjs, or a fresh build with the same config when out/ is
 * older than its sources (test/support/built-preload.ts).
 */
import { createContext, runInContext } from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { eventChannel, eventNames, methodNames } from '../../src/shared/contract'
import { builtPreload, type BuiltPreload } from '../support/built-preload'

/** Electron's sandbox: https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts */
const SANDBOX_MODULES = ['electron', 'events', 'timers', 'url']

interface IpcCall {
  kind: 'invoke' | 'on' | 'removeListener'
  channel: string
  arg?: unknown
}

/** The sandbox as the preload sees it: a fresh global, a require that knows four modules, recorders for electron. */
function runPreload(source: string) {
  const exposed = new Map<string, unknown>()
  const ipc: IpcCall[] = []
  const required: string[] = []
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        exposed.set(key, api)
      }
    },
    ipcRenderer: {
      invoke(channel: string, arg: unknown) {
        ipc.push({ kind: 'invoke', channel, arg })
        return Promise.resolve({ ok: true, result: { echoed: channel } })
      },
      on(channel: string, listener: (...args: unknown[]) => void) {
        ipc.push({ kind: 'on', channel })
        if (!listeners.has(channel)) listeners.set(channel, new Set())
        listeners.get(channel)!.add(listener)
      },
      removeListener(channel: string, listener: (...args: unknown[]) => void) {
        ipc.push({ kind: 'removeListener', channel })
        listeners.get(channel)?.delete(listener)
      }
    }
  }
  const requireInSandbox = (name: string): unknown => {
    required.push(name)
    if (name === 'electron') return electron
    if (SANDBOX_MODULES.includes(name)) return {}
    // Electron's own words when a sandboxed preload asks for anything else.
    throw new Error(`module not found: ${name}`)
  }
  const context = createContext({})
  const globalsBefore = new Set(Reflect.ownKeys(runInContext('globalThis', context) as object))
  const wrapper = runInContext(`(function (exports, require, module) {\n${source}\n})`, context, { filename: 'preload/index.cjs' }) as (e: unknown, r: unknown, m: unknown) => void
  const module = { exports: {} }
  wrapper(module.exports, requireInSandbox, module)
  const globalsAfter = Reflect.ownKeys(runInContext('globalThis', context) as object).filter((k) => !globalsBefore.has(k))
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'the IpcRendererEvent' }, payload)
  }
  return { exposed, ipc, required, globalsAfter, emit }
}

let preload: BuiltPreload

beforeAll(async () => {
  preload = await builtPreload()
})

describe('the built sandboxed preload', () => {
  it(`requires nothing but ${SANDBOX_MODULES.join(', ')}`, () => {
    const calls = [...preload.source.matchAll(/\brequire\s*\(([^)]*)\)/g)].map((m) => m[1].trim())
    expect(calls.length).toBeGreaterThan(0)
    for (const arg of calls) {
      const name = /^["'`]([^"'`]+)["'`]$/.exec(arg)?.[1]
      expect(name, `a require(${arg}) that is not a plain module name`).toBeDefined()
      expect(SANDBOX_MODULES, `require("${name}") in ${preload.path} (${preload.origin})`).toContain(name)
    }
  })

  it('loads in a sandbox offering only those modules and exposes one object, window.dropdeck', () => {
    const run = runPreload(preload.source)
    expect(run.required.filter((name) => !SANDBOX_MODULES.includes(name))).toEqual([])
    expect([...run.exposed.keys()]).toEqual(['dropdeck'])
    const bridge = run.exposed.get('dropdeck') as Record<string, unknown>
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on'])
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true)
    // The preload's own global is an isolated world the page never sees; zod keeps its registry there, nothing else.
    expect(run.globalsAfter.map(String).sort()).toEqual(['__zod_globalConfig', '__zod_globalRegistry'])
  })

  it("forwards every contract method to ipcRenderer.invoke on the method's own channel, and nothing else", async () => {
    const run = runPreload(preload.source)
    const bridge = run.exposed.get('dropdeck') as { invoke(m: string, p?: unknown): Promise<unknown> }
    for (const method of methodNames) await expect(bridge.invoke(method, { probe: method })).resolves.toEqual({ ok: true, result: { echoed: method } })
    expect(run.ipc).toEqual(methodNames.map((method) => ({ kind: 'invoke', channel: method, arg: { probe: method } })))
    for (const stray of ['constructor', '__proto__', 'toString', 'event:settings.changed', 'secrets.token', '']) {
      await expect(bridge.invoke(stray)).resolves.toMatchObject({ ok: false, error: { code: 'METHOD_NOT_FOUND', retryable: false } })
    }
    expect(run.ipc).toHaveLength(methodNames.length)
  })

  it('subscribes to every contract event on its event channel, hands the listener only the payload, and unsubscribes', () => {
    const run = runPreload(preload.source)
    const bridge = run.exposed.get('dropdeck') as { on(e: string, l: (...args: unknown[]) => void): () => void }
    for (const event of eventNames) {
      const received: unknown[][] = []
      const off = bridge.on(event, (...args) => received.push(args))
      run.emit(eventChannel(event), { event })
      off()
      run.emit(eventChannel(event), { event, after: 'unsubscribed' })
      expect(received, event).toEqual([[{ event }]])
    }
    expect(run.ipc).toEqual(eventNames.flatMap((event) => [{ kind: 'on', channel: eventChannel(event) }, { kind: 'removeListener', channel: eventChannel(event) }]))
    for (const stray of ['constructor', 'settings.get', 'event:settings.changed', '']) expect(() => bridge.on(stray, () => {}), stray).toThrow(/Unknown event/)
  })
})
