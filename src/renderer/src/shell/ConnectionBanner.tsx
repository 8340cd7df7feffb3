/** A refused connection blocks everything, so it gets a banner, not only the indicator. */
import { useConnectionStatus } from '../rpc/api-context'
import { Callout } from '../ui/Callout'

export function ConnectionBanner() {
  const { phase } = useConnectionStatus()
  if (phase !== 'refused') return null
  return (
    <div className="connection-banner">
      <Callout tone="danger" title="The Dropdeck host refused this window">
        The host token is wrong — open the URL printed by <code>npm run host</code>. A new token is printed each time the host starts.
      </Callout>
    </div>
  )
}
