/**
 * Hooks for the E2E tests and benchmarks, which read a page's internals (the log session's counters)
 * from Chromium. Exposed only when the test harness set the flag before the page's scripts ran
 * (test/support/browser.ts openPage, through an init script); a shipped app never sets it, so
 * nothing of the page hangs off `window` there.
 */
const FLAG = '__dropdeckTestHooks'

export function exposeForTests(name: `__dropdeck${string}`, value: unknown): void {
  const w = window as unknown as Record<string, unknown>
  if (w[FLAG] === true) w[name] = value
}
