/** A provider's short mark (CF, DO) with its full name for screen readers. */
import type { Provider } from '../../../shared/contract'
import { providerNames, providerShort } from '../fleet/format'

export function ProviderBadge({ provider }: { provider: Provider }) {
  return (
    <>
      <span className={`provider-badge provider-${provider}`} title={providerNames[provider]} aria-hidden="true">
        {providerShort[provider]}
      </span>
      <span className="visually-hidden">{providerNames[provider]} </span>
    </>
  )
}
