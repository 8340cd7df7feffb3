/**
 * Every capability (SSH, tunnels, containers, logs...) is built alike: a factory returns its contract
 * handlers and how to dispose what it holds. The composition root lists them in the order it creates
 * them; `composeCapabilities` checks that together they answer every contract method exactly once
 * (a method two capabilities both answer would otherwise be decided silently by spread order; one
 * nobody answers is logged and answered with INTERNAL) and
 * disposes them in reverse order of creation, so nothing is disposed while something built on it
 * still runs.
 */
import { methods, type MethodName } from '../../shared/contract'
import { DropdeckError } from '../../shared/errors'
import type { Handlers } from '../rpc/router'

export interface Capability {
  /** A name for shutdown logs ("ssh", "tunnels"). */
  readonly name?: string
  readonly handlers: Partial<Handlers>
  dispose(): void | Promise<void>
}

/** A factory's `{handlers, dispose}` under a name, its dispose kept bound to it. */
export function capability(name: string, built: { handlers: Partial<Handlers>; dispose(): void | Promise<void> }): Capability {
  return { name, handlers: built.handlers, dispose: () => built.dispose() }
}

/** Something to dispose that answers no method (a fetch pool, the keychain helper). */
export function resource(name: string, dispose: () => void | Promise<void>): Capability {
  return { name, handlers: {}, dispose }
}

export interface Composed {
  readonly handlers: Handlers
  /** Contract methods no capability answers (each answered with INTERNAL); empty in a correct build. */
  readonly missing: readonly MethodName[]
  /** Disposes every capability, last created first, each awaited; a failing one is logged and the rest still run. */
  dispose(): Promise<void>
}

export function composeCapabilities(capabilities: readonly Capability[], log: (line: string) => void = () => {}): Composed {
  const handlers: Partial<Record<MethodName, unknown>> = {}
  const owner = new Map<string, string>()
  for (const [index, capability] of capabilities.entries()) {
    const name = capability.name ?? `capability #${index}`
    for (const method of Object.keys(capability.handlers)) {
      const first = owner.get(method)
      if (first !== undefined) throw new Error(`${method} has two handlers (${first} and ${name}); a contract method has exactly one.`)
      if (!Object.hasOwn(methods, method)) throw new Error(`${name} has a handler for ${method}, which is not in the contract.`)
      owner.set(method, name)
      handlers[method as MethodName] = capability.handlers[method as MethodName]
    }
  }
  const missing = (Object.keys(methods) as MethodName[]).filter((m) => !owner.has(m))
  if (missing.length) {
    // Logged, not thrown: a method added to the contract before its handler (work in progress) leaves
    // the rest of the app usable; a call to it gets a clear INTERNAL error. The capabilities test fails on it.
    log(`capabilities: no handler for ${missing.join(', ')}; every contract method needs one (a Dropdeck bug).`)
    for (const method of missing) {
      handlers[method] = () => {
        throw new DropdeckError('INTERNAL', `${method} has no handler in this build; this is a Dropdeck bug.`)
      }
    }
  }
  let disposing: Promise<void> | undefined
  return {
    handlers: handlers as Handlers,
    missing,
    dispose() {
      disposing ??= (async () => {
        for (const [index, capability] of [...capabilities.entries()].reverse()) {
          try {
            await capability.dispose()
          } catch (err) {
            log(`shutdown: ${capability.name ?? `capability #${index}`} failed to dispose: ${err instanceof Error ? err.message : String(err)}`)
          }
        }
      })()
      return disposing
    }
  }
}
