/**
 * Provider failures in the operator's words: what happened, the provider's own message and request
 * id, and what to do next. Branches on the stable codes, never on message text.
 */
import { errorData, providerRequestId } from '../../../shared/error-data'
import { DropdeckError } from '../../../shared/errors'
import { errorMessage } from './errors'

export interface ErrorCopy {
  title: string
  detail: string
  /** The fix is in Settings (a refused token). */
  settings?: boolean
  requestId?: string
}

export function providerErrorCopy(error: unknown): ErrorCopy {
  if (!(error instanceof DropdeckError)) return { title: 'Something went wrong', detail: errorMessage(error) }
  const requestId = providerRequestId(error)
  switch (error.code) {
    case 'AUTH_FAILED':
      return { title: 'The provider refused the token', detail: `${error.message} Replace the token in Settings.`, settings: true, requestId }
    case 'RATE_LIMITED': {
      const resetAt = errorData(error, 'RATE_LIMITED')?.resetAt
      const when = resetAt ? ` The budget refills at ${new Date(resetAt).toLocaleTimeString()}.` : ''
      return { title: 'API rate limit reached', detail: `${error.message}${when} Try again then.`, requestId }
    }
    case 'CONFIRMATION_REQUIRED':
      return { title: 'Confirmation required', detail: error.message, requestId }
    case 'UPSTREAM':
      return { title: 'The provider answered with an error', detail: error.message, requestId }
    case 'TIMEOUT':
      return { title: 'No answer in time', detail: error.message, requestId }
    case 'KEYCHAIN_UNAVAILABLE':
      return { title: 'The OS keychain is not available', detail: error.message, settings: true }
    case 'BAD_REQUEST':
      return { title: 'Not accepted', detail: error.message, requestId }
    default:
      return { title: 'Something went wrong', detail: error.message, requestId }
  }
}

/** One line for badges and tooltips. */
export function providerErrorLine(error: unknown): string {
  const copy = providerErrorCopy(error)
  return copy.detail
}
