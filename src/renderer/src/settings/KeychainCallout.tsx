/** Tokens can only be stored in the OS keychain; when it is unreachable, say so and how to fix it. */
import { useQueryClient } from '@tanstack/react-query'
import { queryKeys, useKeychainStatus } from '../rpc/queries'
import { Callout } from '../ui/Callout'
import { TextWithCode } from '../ui/TextWithCode'

export function KeychainCallout() {
  const keychain = useKeychainStatus()
  const client = useQueryClient()
  if (!keychain.data || keychain.data.available) return null
  return (
    <Callout
      tone="warning"
      title={`${keychain.data.backend} is not available — tokens cannot be saved`}
      actions={
        <button
          type="button"
          className="button button-small"
          disabled={keychain.isFetching}
          onClick={() => {
            void client.invalidateQueries({ queryKey: queryKeys.keychain })
            void client.invalidateQueries({ queryKey: queryKeys.secretsStatus })
          }}
        >
          {keychain.isFetching ? 'Checking…' : 'Check again'}
        </button>
      }
    >
      <TextWithCode text={keychain.data.message ?? 'The OS keychain did not answer.'} />
    </Callout>
  )
}
