/**
 * The operator's explicit way past token verification: secrets.set refuses to store a token its
 * provider refused (or could not be asked about), so a working token is never replaced by mistake.
 * This button stores it anyway (`verify: false`), shown only after such a refusal.
 */
import { errorData } from '../../../shared/error-data'

/** True when secrets.set left the stored token as it was because the provider refused or could not check the new one. */
export function tokenNotStored(error: unknown): boolean {
  const reason = (errorData(error, 'AUTH_FAILED') ?? errorData(error, 'UPSTREAM'))?.reason
  return reason === 'token-refused' || reason === 'token-unverified'
}

export function StoreUncheckedButton({ error, busy, onStore }: { error: unknown; busy: boolean; onStore: () => void }) {
  if (!tokenNotStored(error)) return null
  return (
    <button type="button" className="button" disabled={busy} onClick={onStore}>
      Store without checking
    </button>
  )
}
