// The event bus: an event outside the contract is logged and dropped (services emit from timers and
// stream callbacks, where a throw would take the process down), and a client's subscription gets the
// shared events and its own streams' events, never another client's.
import { describe, expect, it } from 'vitest'
import { createCallContext } from '../../src/main/rpc/context'
import { EventBus } from '../../src/main/rpc/event-bus'
import type { EventPayload } from '../../src/shared/contract'

describe('EventBus', () => {
  it('logs and drops a payload outside the contract instead of throwing', () => {
    const lines: string[] = []
    const bus = new EventBus((line) => lines.push(line))
    const seen: string[] = []
    bus.subscribe((event) => seen.push(event))
    expect(() => bus.emit('terminals.data', { id: 't', data: 'x' } as unknown as EventPayload<'terminals.data'>)).not.toThrow()
    expect(seen).toEqual([])
    expect(lines.join('\n')).toMatch(/dropped a terminals\.data outside the contract.*bytes/)
    bus.emit('terminals.data', { id: 't', data: 'x', bytes: 1 })
    expect(seen).toEqual(['terminals.data'])
  })

  it('delivers a context\'s events to that client only, shared events to all', async () => {
    const bus = new EventBus()
    const got = { a: [] as string[], b: [] as string[] }
    bus.subscribeClient('a', (event, payload) => got.a.push(`${event}:${JSON.stringify(payload)}`))
    bus.subscribeClient('b', (event) => got.b.push(event))
    const a = createCallContext('a', bus)
    a.emit('logs.state', { id: 's', state: 'following' })
    bus.emit('terminals.commands.changed', { hostId: '*' })
    expect(got.a).toEqual(['logs.state:{"id":"s","state":"following"}', 'terminals.commands.changed:{"hostId":"*"}'])
    expect(got.b).toEqual(['terminals.commands.changed'])
    // what a client owns is disposed with it, unless it was released because it ended by itself
    const ended: string[] = []
    const kept = a.own({ dispose: () => void ended.push('kept') })
    const released = a.own({ dispose: () => void ended.push('released') })
    released.release()
    await a.dispose()
    expect(ended).toEqual(['kept'])
    kept.release() // after the end: harmless
    a.own({ dispose: () => void ended.push('late') })
    expect(ended).toEqual(['kept', 'late']) // a client already gone disposes at once
  })
})
