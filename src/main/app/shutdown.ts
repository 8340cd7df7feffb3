/**
 * Quitting, the same way in every shell: stop taking calls first, then dispose the services (which
 * close SSH connections, tunnels, terminals and flush the stores), each step awaited in order. The
 * headless host does this on SIGINT/SIGTERM; Electron does it on `will-quit`, which it must hold
 * with preventDefault until this is done, or the process exits with writes in flight.
 *
 * A step that throws is logged and the next one still runs; a step that hangs is given up on after
 * `stepTimeoutMs`, so a stuck SSH close never keeps the app from quitting.
 */
export type ShutdownStep = { name: string; run: () => unknown }

export interface Shutdown {
  /** Runs the steps once; later calls get the same promise. Never rejects. */
  run(): Promise<void>
  /** True once every step has finished or been given up on. */
  readonly finished: boolean
}

export function createShutdown(steps: ShutdownStep[], options: { stepTimeoutMs: number; log: (line: string) => void }): Shutdown {
  let running: Promise<void> | undefined
  let finished = false
  const runStep = async (step: ShutdownStep) => {
    let timer: NodeJS.Timeout | undefined
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.stepTimeoutMs)
      timer.unref?.()
    })
    try {
      const outcome = await Promise.race([Promise.resolve().then(step.run), gaveUp])
      if (outcome === 'timeout') options.log(`shutdown: ${step.name} did not finish within ${options.stepTimeoutMs} ms; quitting without it`)
    } catch (err) {
      options.log(`shutdown: ${step.name} failed: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      clearTimeout(timer)
    }
  }
  return {
    run() {
      running ??= (async () => {
        for (const step of steps) await runStep(step)
        finished = true
      })()
      return running
    },
    get finished() {
      return finished
    }
  }
}
