import type { DropdeckBridge } from '../shared/contract'

declare global {
  interface Window {
    /** Present in Electron (the preload); absent in the headless host, where the renderer uses WebSocket. */
    readonly dropdeck?: DropdeckBridge
  }
}

export {}
