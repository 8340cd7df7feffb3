/**
 * The renderer's only way out: a `DropdeckApi` over whichever transport is present, Electron's
 * preload bridge or the headless host's WebSocket. Failures come back as `DropdeckError`s with the
 * contract's stable codes, so react-query can retry only what is `retryable`.
 */
import type { DropdeckApi, DropdeckBridge, EventName, MethodName, RpcEnvelope } from '../../../shared/contract'
import { DropdeckError, RpcErrorSchema } from '../../../shared/errors'
import { createWebSocketBridge, type ConnectionState } from './websocket-bridge'

export function createClient(bridge: DropdeckBridge): DropdeckApi {
  return {
    async call(method: MethodName, params?: unknown) {
      const envelope = (await bridge.invoke(method, params as never)) as RpcEnvelope
      if (envelope.ok) return envelope.result as never
      const parsed = RpcErrorSchema.safeParse(envelope.error)
      if (!parsed.success) throw new DropdeckError('INTERNAL', 'The service answered with an unreadable error.')
      const { code, message, retryable, data } = parsed.data
      throw new DropdeckError(code, message, { retryable, data })
    },
    on(event: EventName, listener: (payload: unknown) => void) {
      return bridge.on(event, listener)
    }
  } as DropdeckApi
}

/** Electron gives us `window.dropdeck`; the headless host gives us a token in the page URL. */
export function connectDefault(onState?: (state: ConnectionState, detail?: string) => void): DropdeckApi {
  if (window.dropdeck) return createClient(window.dropdeck)
  const token = takeToken()
  const url = new URL('/rpc', window.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  url.search = token ? `?token=${encodeURIComponent(token)}` : ''
  return createClient(createWebSocketBridge(url.toString(), onState))
}

/** Read the launch token, keep it for reloads of this tab, and take it out of the address bar. */
function takeToken(): string | null {
  const params = new URLSearchParams(window.location.search)
  const fromUrl = params.get('token')
  if (fromUrl) {
    sessionStorage.setItem('dropdeck.token', fromUrl)
    params.delete('token')
    const rest = params.toString()
    history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`)
    return fromUrl
  }
  return sessionStorage.getItem('dropdeck.token')
}
