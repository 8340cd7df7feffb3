/**
 * The three states every react-query result is shown in before its data: loading, failed (with the
 * operator's words and a Retry), and empty. Views pass what to say; the data arrives to `children`
 * only once it is there, so no view writes the ternary ladder itself.
 */
import type { ReactNode } from 'react'
import { ErrorNotice } from './ErrorNotice'

/**
 * Where the states sit: `view` fills a view's main area; `section` is one host's part of a view;
 * `detail` is a panel inside a row or a card; `drawer` is a side drawer's body.
 */
export type QueryStateLayout = 'view' | 'section' | 'detail' | 'drawer'

/** The part of a react-query result this reads (useQuery's result has all of it). */
export interface QueryLike<T> {
  data: T | undefined
  isError: boolean
  error: unknown
  refetch: () => unknown
}

const LOADING_CLASS: Record<QueryStateLayout, string> = { view: 'fleet-loading', section: 'fleet-loading', detail: 'faint small', drawer: 'faint drawer-empty' }
const ERROR_WRAP: Record<QueryStateLayout, string | undefined> = { view: 'fleet-message', section: undefined, detail: undefined, drawer: 'drawer-empty' }

export function QueryState<T>({
  query,
  loading,
  failed,
  layout = 'section',
  isEmpty,
  empty,
  children
}: {
  query: QueryLike<T>
  /** What is happening while there is no data yet ("Loading tunnels…"). */
  loading: string
  /** The title of the failure ("Tunnels could not be loaded"). */
  failed: string
  layout?: QueryStateLayout
  /** With `empty`: when the data has nothing to show. */
  isEmpty?: (data: T) => boolean
  empty?: ReactNode
  children: (data: T) => ReactNode
}) {
  const data = query.data
  if (data === undefined || data === null) {
    if (query.isError) {
      const notice = <ErrorNotice error={query.error} title={failed} onRetry={() => void query.refetch()} />
      const wrap = ERROR_WRAP[layout]
      return wrap ? <div className={wrap}>{notice}</div> : notice
    }
    return (
      <p className={LOADING_CLASS[layout]} role="status">
        {loading}
      </p>
    )
  }
  if (empty !== undefined && isEmpty?.(data)) return <>{empty}</>
  return <>{children(data)}</>
}
