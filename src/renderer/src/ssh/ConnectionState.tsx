/** A connection state as a dot and a word, with the error on hover; hosts and tunnels share it. */
interface ConnectionStateProps {
  state: string
  error?: { code: string; message: string }
  /** CSS modifier prefix: '' for hosts, 't-' for tunnels (their 'up' and 'stopped' colour differently). */
  kind?: '' | 't-'
}

export function ConnectionState({ state, error, kind = '' }: ConnectionStateProps) {
  return (
    <span className={`sstate sstate-${kind}${state}`} title={error ? `${error.code}: ${error.message}` : undefined}>
      <span className="sstate-dot" aria-hidden="true" />
      {state}
    </span>
  )
}
