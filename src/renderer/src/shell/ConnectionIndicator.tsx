/** A dot and a word for the transport's state; the tooltip says what it means. */
import * as Tooltip from '@radix-ui/react-tooltip'
import { useConnectionStatus } from '../rpc/api-context'
import { connectionCopy } from './connection-copy'

export function ConnectionIndicator() {
  const { phase } = useConnectionStatus()
  const copy = connectionCopy[phase]
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>
        {/* A button so keyboard users can reach the explanation too. */}
        <button type="button" className={`connection connection-${phase}`} aria-label={`Connection: ${copy.label}`}>
          <span className="connection-dot" aria-hidden="true" />
          <span>{copy.label}</span>
        </button>
      </Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tooltip" side="bottom" align="end" sideOffset={6}>
          {copy.detail}
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  )
}
