// @vitest-environment jsdom
// The log session hangs off `window` only under the test harness's flag (test/support/browser.ts sets
// it in Chromium): a shipped page exposes nothing.
import './setup-dom'
import { afterEach, describe, expect, it } from 'vitest'
import { useLogSession } from '../../src/renderer/src/logs/use-log-session'
import { createFakeApi } from './fake-api'

type HookedWindow = Window & { __dropdeckTestHooks?: boolean; __dropdeckLogs?: unknown }
const w = window as HookedWindow

afterEach(() => {
  delete w.__dropdeckTestHooks
  delete w.__dropdeckLogs
})

describe('test hooks', () => {
  it('a page without the flag does not expose the log session', () => {
    // useLogSession keeps no React state: it can be called outside a component
    useLogSession(createFakeApi().api)
    expect('__dropdeckLogs' in window).toBe(false)
  })

  it('with the flag set before the page starts, the log session is on window for the E2E and the bench', () => {
    w.__dropdeckTestHooks = true
    const session = useLogSession(createFakeApi().api)
    expect(w.__dropdeckLogs).toBe(session)
  })
})
