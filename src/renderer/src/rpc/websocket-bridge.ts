/**
 * A `DropdeckBridge` over the headless host's JSON-RPC 2.0 WebSocket. Reconnects with backoff
 * when the socket drops; calls made while it is down wait for it (up to a timeout) rather than fail
 * at once, and calls in flight when it drops fail as retryable.
 */
import type { DropdeckBridge, EventName, RpcEnvelope } from '../../../shared/contract'
import type { ErrorCode } from '../../../shared/errors'

interface Pending {
  resolve: (envelope: RpcEnvelope) => void
  timer: ReturnType<typeof setTimeout>
}

const CALL_TIMEOUT_MS = 60_000

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused'

export function createWebSocketBridge(url: string, onState: (state: ConnectionState, detail?: string) => void = () => {}): DropdeckBridge & { close(): void } {
  let socket: WebSocket | undefined
  let nextId = 1
  let attempt = 0
  let closedByUs = false
  let opened = false
  let refused = false
  const pending = new Map<number, Pending>()
  const queue: string[] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  const failure = (code: ErrorCode, message: string, retryable: boolean): RpcEnvelope => ({ ok: false, error: { code, message, retryable } })
  const refusal = () => failure('UNAUTHORIZED', 'The Dropdeck host refused this window: open the URL printed by `npm run host`.', false)

  function connect(): void {
    onState('connecting')
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      attempt = 0
      opened = true
      onState('open')
      for (const frame of queue.splice(0)) ws.send(frame)
    }
    ws.onmessage = (message) => {
      let frame: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string; data?: { code?: ErrorCode; retryable?: boolean; details?: unknown } } }
      try {
        frame = JSON.parse(String(message.data))
      } catch {
        return
      }
      if (frame.method !== undefined && frame.id === undefined) {
        for (const listener of listeners.get(frame.method) ?? []) listener(frame.params)
        return
      }
      const entry = typeof frame.id === 'number' ? pending.get(frame.id) : undefined
      if (!entry || frame.id === undefined) return
      pending.delete(frame.id)
      clearTimeout(entry.timer)
      if (frame.error) {
        const data = frame.error.data ?? {}
        entry.resolve({ ok: false, error: { code: data.code ?? 'INTERNAL', message: frame.error.message, retryable: data.retryable ?? false, ...(data.details === undefined ? {} : { data: data.details }) } })
      } else {
        entry.resolve({ ok: true, result: frame.result })
      }
    }
    ws.onclose = () => {
      socket = undefined
      const wasOpen = opened
      opened = false
      for (const [id, entry] of pending) {
        clearTimeout(entry.timer)
        entry.resolve(failure('UPSTREAM', 'The connection to Dropdeck dropped; try again.', true))
        pending.delete(id)
      }
      if (closedByUs) return
      void (wasOpen ? Promise.resolve('retry' as const) : probe()).then((verdict) => {
        if (verdict === 'refused') {
          // A wrong token never becomes right: it changes at every launch. Stop dialling, and
          // answer what waits (and whatever comes) at once instead of after the call timeout.
          refused = true
          queue.length = 0
          for (const [id, entry] of pending) {
            clearTimeout(entry.timer)
            entry.resolve(refusal())
            pending.delete(id)
          }
          onState('refused')
          return
        }
        onState('closed')
        const delay = Math.min(10_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2)
        attempt += 1
        setTimeout(connect, delay)
      })
    }
  }

  /**
   * A browser never sees why a WebSocket handshake failed, so ask the host over plain HTTP:
   * it answers 401/403 for a refused token or origin, 426 when the same request would be accepted.
   */
  async function probe(): Promise<'refused' | 'retry'> {
    try {
      const httpUrl = new URL(url)
      httpUrl.protocol = httpUrl.protocol === 'wss:' ? 'https:' : 'http:'
      const response = await fetch(httpUrl, { cache: 'no-store' })
      return response.status === 401 || response.status === 403 ? 'refused' : 'retry'
    } catch {
      return 'retry'
    }
  }

  connect()

  return {
    invoke(method, params) {
      const id = nextId++
      const frame = JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })
      return new Promise<RpcEnvelope<never>>((settle) => {
        const resolve = settle as (e: RpcEnvelope) => void
        if (refused) {
          resolve(refusal())
          return
        }
        const timer = setTimeout(() => {
          pending.delete(id)
          resolve(failure('TIMEOUT', `${method} took longer than ${CALL_TIMEOUT_MS / 1000} s.`, true))
        }, CALL_TIMEOUT_MS)
        // The host validated the result against the contract before sending it.
        pending.set(id, { resolve, timer })
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame)
        else queue.push(frame)
      })
    },
    on(event: EventName, listener: (payload: never) => void) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const wrapped = listener as (payload: unknown) => void
      set.add(wrapped)
      return () => set.delete(wrapped)
    },
    close() {
      closedByUs = true
      socket?.close()
    }
  }
}
