/** A failure as a callout: the title, the provider's message, the request id, and the fix (Settings, or Retry when the caller can try again). */
import { providerErrorCopy } from '../rpc/provider-errors'
import { Callout } from './Callout'

export function ErrorNotice({ error, title, onDismiss, onRetry }: { error: unknown; title?: string; onDismiss?: () => void; onRetry?: () => void }) {
  const copy = providerErrorCopy(error)
  const actions =
    copy.settings || onDismiss || onRetry ? (
      <>
        {copy.settings && (
          <a className="button button-small" href="#/settings">
            Open Settings
          </a>
        )}
        {onRetry && (
          <button type="button" className="button button-small" onClick={onRetry}>
            Retry
          </button>
        )}
        {onDismiss && (
          <button type="button" className="button button-small" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </>
    ) : undefined
  return (
    <Callout tone="danger" title={title ?? copy.title} actions={actions}>
      {copy.detail}
      {copy.requestId && !copy.detail.includes(copy.requestId) && <span className="request-id"> Request id {copy.requestId}.</span>}
    </Callout>
  )
}
