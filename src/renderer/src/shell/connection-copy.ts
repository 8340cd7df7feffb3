/** What each connection phase is called, and what to do about it, in the operator's words. */
import type { ConnectionPhase } from '../rpc/connection-state'

export const connectionCopy: Record<ConnectionPhase, { label: string; detail: string }> = {
  connecting: { label: 'Connecting…', detail: 'Reaching the Dropdeck host.' },
  connected: { label: 'Connected', detail: 'Connected to the Dropdeck host; changes arrive as they happen.' },
  reconnecting: { label: 'Reconnecting…', detail: 'The connection to the Dropdeck host dropped. Retrying; what you do now is sent once it is back.' },
  refused: { label: 'Refused', detail: 'The host token is wrong — open the URL printed by `npm run host`.' }
}
