import { describe, expect, it } from 'vitest'
import { createShutdown } from '../../src/main/app/shutdown'

describe('createShutdown', () => {
  it('runs the steps once, in order, each awaited before the next', async () => {
    const done: string[] = []
    const shutdown = createShutdown(
      [
        { name: 'transport', run: async () => { await new Promise((r) => setImmediate(r)); done.push('transport') } },
        { name: 'services', run: () => { done.push('services') } }
      ],
      { stepTimeoutMs: 10_000, log: () => {} }
    )
    expect(shutdown.finished).toBe(false)
    const first = shutdown.run()
    expect(shutdown.run()).toBe(first)
    await first
    expect(done).toEqual(['transport', 'services'])
    expect(shutdown.finished).toBe(true)
    await shutdown.run()
    expect(done).toEqual(['transport', 'services'])
  })

  it('logs a step that throws and still runs the next', async () => {
    const lines: string[] = []
    const done: string[] = []
    const shutdown = createShutdown(
      [
        { name: 'transport', run: () => { throw new Error('already closed') } },
        { name: 'services', run: () => { done.push('services') } }
      ],
      { stepTimeoutMs: 10_000, log: (line) => lines.push(line) }
    )
    await shutdown.run()
    expect(done).toEqual(['services'])
    expect(lines).toEqual(['shutdown: transport failed: already closed'])
  })

  it('gives up on a step that never finishes, so quitting cannot hang', async () => {
    const lines: string[] = []
    const done: string[] = []
    const shutdown = createShutdown(
      [
        { name: 'services', run: () => new Promise(() => {}) },
        { name: 'after', run: () => { done.push('after') } }
      ],
      { stepTimeoutMs: 1, log: (line) => lines.push(line) }
    )
    await shutdown.run()
    expect(done).toEqual(['after'])
    expect(lines[0]).toContain('services did not finish')
  })
})
