/**
 * Docker's disk use on a host (containers.df): images, containers, volumes and build cache, with
 * what a prune could free. A full disk (seed 002: 97 %) starts here.
 */
import { useContractQuery } from '../rpc/contract-queries'
import { QueryState } from '../ui/QueryState'
import { formatBytes } from '../ui/format'
import { RefreshButton } from '../ui/RefreshButton'

const KINDS = [
  ['images', 'Images'],
  ['containers', 'Containers'],
  ['volumes', 'Volumes'],
  ['buildCache', 'Build cache']
] as const

export function DiskPanel({ hostId, onPrune }: { hostId: string; onPrune: () => void }) {
  const df = useContractQuery('containers.df', { hostId })
  return (
    <div className="cdisk" role="region" aria-label={`Docker disk use on ${hostId}`}>
      <QueryState query={df} layout="detail" loading="Reading disk use…" failed="Docker's disk use could not be read">
        {(data) => (
        <table className="cdisk-table">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col" className="num">Total</th>
              <th scope="col" className="num">In use</th>
              <th scope="col" className="num">Size</th>
              <th scope="col" className="num">Reclaimable</th>
            </tr>
          </thead>
          <tbody>
            {KINDS.map(([key, label]) => {
              const e = data[key]
              return (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td className="num">{e.count}</td>
                  <td className="num">{e.active}</td>
                  <td className="num">{formatBytes(e.size, 'docker')}</td>
                  <td className="num">
                    {formatBytes(e.reclaimable, 'docker')}
                    {e.size > 0 ? <span className="faint"> ({Math.round((e.reclaimable / e.size) * 100)} %)</span> : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        )}
      </QueryState>
      <div className="cdisk-actions">
        <RefreshButton busy={df.isFetching} onRefresh={() => void df.refetch()} />
        <button type="button" className="button button-small" onClick={onPrune}>
          Prune…
        </button>
      </div>
    </div>
  )
}
