/**
 * Under a list that merges providers: one notice per provider (or DigitalOcean team) that could
 * not be read, while the list shows what the others answered.
 */
import type { ProviderListError } from '../rpc/provider-queries'
import { Callout } from '../ui/Callout'
import { providerNames } from './format'

export function ProviderListErrors({ errors, what }: { errors: ProviderListError[] | undefined; what: string }) {
  if (!errors?.length) return null
  return (
    <div className="provider-list-errors">
      {errors.map((error) => (
        <Callout key={`${error.provider}:${error.team ?? ''}`} tone="warning" title={`${providerNames[error.provider]}${error.team && error.team !== 'default' ? ` (team ${error.team})` : ''}: ${what} could not be loaded`}>
          {error.message}
        </Callout>
      ))}
    </div>
  )
}
