/** The provider's rate-limit budget, quietly: "DO API 4,812/5,000", with details in a tooltip. */
import * as Tooltip from '@radix-ui/react-tooltip'
import type { Provider } from '../../../shared/contract'
import { useProviderHealth } from '../rpc/provider-queries'
import { formatInteger, formatTime, providerNames, providerShort } from './format'

export function ApiBudget({ providers }: { providers: Provider[] }) {
  const health = useProviderHealth().data
  const shown = (health ?? []).filter((entry) => providers.includes(entry.provider) && entry.rateLimit)
  if (shown.length === 0) return null
  return (
    <span className="api-budget-group">
      {shown.map((entry) => {
        const limit = entry.rateLimit!
        const low = limit.remaining < limit.limit * 0.1
        const label = `${providerNames[entry.provider]} API budget: ${formatInteger(limit.remaining)} of ${formatInteger(limit.limit)} requests left`
        return (
          <Tooltip.Root key={entry.provider}>
            <Tooltip.Trigger asChild>
              <span className={`api-budget${low ? ' api-budget-low' : ''}`} tabIndex={0} aria-label={label}>
                {shown.length > 1 && <span className="api-budget-provider">{providerShort[entry.provider]}</span>}
                API {formatInteger(limit.remaining)}/{formatInteger(limit.limit)}
              </span>
            </Tooltip.Trigger>
            <Tooltip.Portal>
              <Tooltip.Content className="tooltip" side="bottom" sideOffset={6}>
                <div>{label}.</div>
                {limit.resetAt && <div>Refills at {formatTime(limit.resetAt)}.</div>}
                <div>
                  {formatInteger(entry.requests)} requests this session to {entry.baseUrl}.
                </div>
                {entry.lastError && (
                  <div className="tooltip-danger">
                    Last error {formatTime(entry.lastError.at)}: {entry.lastError.message}
                    {entry.lastError.requestId ? ` (request ${entry.lastError.requestId})` : ''}
                  </div>
                )}
              </Tooltip.Content>
            </Tooltip.Portal>
          </Tooltip.Root>
        )
      })}
    </span>
  )
}
