/** Transfers in flight and finished: direction, file, bytes, rate, state, cancel. */
import { ArrowDownToLine, ArrowUpFromLine, X } from 'lucide-react'
import { useSyncExternalStore } from 'react'
import { formatByteRate, formatBytes } from '../ui/format'
import type { TransfersStore } from './transfers-store'

const STATE_WORDS: Record<string, string> = {
  queued: 'Queued',
  running: 'Copying',
  reconnecting: 'Reconnecting…',
  verifying: 'Verifying sha256',
  done: 'Done',
  error: 'Failed',
  cancelled: 'Cancelled'
}

export function TransfersPanel({ store }: { store: TransfersStore }) {
  const transfers = useSyncExternalStore(store.subscribe, store.getSnapshot)
  if (transfers.length === 0) return null
  return (
    <section className="files-transfers" aria-label="Transfers">
      <header className="files-transfers-header">
        <h3>Transfers</h3>
        <button type="button" className="button button-small" onClick={() => store.clearFinished()}>
          Clear finished
        </button>
      </header>
      <ul>
        {transfers.map((t) => {
          const pct = t.total > 0 ? Math.min(100, (t.bytes / t.total) * 100) : 0
          const active = !['done', 'error', 'cancelled'].includes(t.state)
          const name = (t.direction === 'upload' ? t.remotePath : t.localPath).split('/').pop()
          return (
            <li key={t.id} className={`files-transfer is-${t.state}`} data-transfer={name}>
              {t.direction === 'upload' ? <ArrowUpFromLine size={14} aria-label="Upload" /> : <ArrowDownToLine size={14} aria-label="Download" />}
              <div className="files-transfer-main">
                <div className="files-transfer-line">
                  <span className="files-transfer-name" title={`${t.localPath} ${t.direction === 'upload' ? '→' : '←'} ${t.hostId}:${t.remotePath}`}>
                    {name}
                  </span>
                  <span className="files-transfer-state">
                    {STATE_WORDS[t.state]}
                    {t.resumes > 0 && ` · resumed ${t.resumes}×`}
                  </span>
                </div>
                <div className="files-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-label={`${name} progress`}>
                  <div className="files-progress-bar" style={{ width: `${pct}%` }} />
                </div>
                <div className="files-transfer-line files-transfer-meta">
                  <span>
                    {formatBytes(t.bytes, 'iec')} of {formatBytes(t.total, 'iec')}
                  </span>
                  {active && t.rate > 0 && <span>{formatByteRate(t.rate, 'iec')}</span>}
                  {t.state === 'done' && t.sha256 && <span title={t.sha256}>sha256 {t.sha256.slice(0, 12)}…</span>}
                </div>
                {t.direction === 'download' && (
                  <p className="files-transfer-message">
                    To <span className="mono">{t.localPath}</span>
                  </p>
                )}
                {t.message && t.state !== 'done' && <p className="files-transfer-message">{t.message}</p>}
                {t.state === 'error' && t.code === 'BAD_REQUEST' && /already exists/.test(t.message ?? '') && (
                  <div className="files-transfer-line">
                    <button type="button" className="button button-small" onClick={() => void store.retryExisting(t.id, 'overwrite')}>
                      Overwrite
                    </button>
                    <button type="button" className="button button-small" onClick={() => void store.retryExisting(t.id, 'rename')}>
                      Keep both (new name)
                    </button>
                  </div>
                )}
              </div>
              {active && (
                <button type="button" className="icon-button" aria-label={`Cancel ${name}`} onClick={() => void store.cancel(t.id)}>
                  <X size={14} aria-hidden="true" />
                </button>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
