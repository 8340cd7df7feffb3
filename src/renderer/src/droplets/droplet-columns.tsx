/** The droplet table's columns: what each shows, how it sorts, how wide it starts. */
import { createColumnHelper, type SortingFn } from '@tanstack/react-table'
import { Lock } from 'lucide-react'
import type { Droplet } from '../rpc/provider-queries'
import { formatAge } from '../ui/format'
import { formatDateTime, formatMoney, formatSize } from '../fleet/format'
import { DropletStatus } from './DropletStatus'

const column = createColumnHelper<Droplet>()

function ipValue(ip: string | null): number {
  if (!ip) return -1
  return ip.split('.').reduce((acc, part) => acc * 256 + (Number(part) || 0), 0)
}

const byIp: SortingFn<Droplet> = (a, b, id) => ipValue(a.getValue<string | null>(id)) - ipValue(b.getValue<string | null>(id))

export const dropletColumns = [
  column.accessor('name', {
    header: 'Name',
    size: 164,
    sortingFn: 'alphanumeric',
    cell: ({ row }) => (
      <span className="dcell-name">
        <span className="truncate">{row.original.name}</span>
        {row.original.readOnly && <Lock size={11} className="dcell-lock" aria-label="read-only" />}
      </span>
    )
  }),
  column.accessor('status', { header: 'Status', size: 72, cell: ({ getValue }) => <DropletStatus status={getValue()} /> }),
  column.accessor('publicIpv4', { header: 'Public IPv4', size: 128, sortingFn: byIp, cell: ({ getValue }) => <span className="mono">{getValue() ?? '—'}</span> }),
  column.accessor('privateIpv4', { header: 'Private IPv4', size: 112, sortingFn: byIp, cell: ({ getValue }) => <span className="mono faint-mono">{getValue() ?? '—'}</span> }),
  column.accessor('region', { header: 'Region', size: 58, cell: ({ row }) => <span title={row.original.regionName}>{row.original.region}</span> }),
  column.accessor((droplet) => droplet.vcpus * 1e9 + droplet.memoryMb * 1e3 + droplet.diskGb, {
    id: 'size',
    header: 'Size',
    size: 146,
    cell: ({ row }) => (
      <span className="small" title={row.original.sizeSlug}>
        {formatSize(row.original)}
      </span>
    )
  }),
  column.accessor('image', { header: 'Image', size: 130, cell: ({ getValue }) => <span className="truncate">{getValue()}</span> }),
  column.accessor((droplet) => droplet.tags.join(' '), {
    id: 'tags',
    header: 'Tags',
    size: 130,
    // Each chip shrinks to an ellipsis rather than the column cutting the last one in half; the
    // cell's title lists them all.
    cell: ({ row }) => (
      <span className="chips chips-fit" title={row.original.tags.join(', ')}>
        {row.original.tags.map((tag) => (
          <span key={tag} className="chip chip-fit" title={tag}>
            <span className="chip-text">{tag}</span>
          </span>
        ))}
      </span>
    )
  }),
  column.accessor('monitoring', {
    header: 'Agent',
    size: 48,
    cell: ({ getValue }) => (getValue() ? <span className="agent-on">on</span> : <span className="faint">—</span>)
  }),
  column.accessor('priceMonthly', {
    header: 'Monthly',
    size: 76,
    meta: { numeric: true },
    cell: ({ getValue }) => <span className="num">{formatMoney(getValue())}</span>
  }),
  column.accessor((droplet) => Date.parse(droplet.createdAt) || 0, {
    id: 'age',
    header: 'Age',
    size: 52,
    // Oldest first reads as "age ascending" backwards; sorting by age means youngest first.
    sortDescFirst: false,
    sortingFn: (a, b) => b.getValue<number>('age') - a.getValue<number>('age'),
    meta: { numeric: true },
    cell: ({ row }) => (
      <span className="num" title={formatDateTime(row.original.createdAt)}>
        {formatAge(row.original.createdAt)}
      </span>
    )
  })
]

/** Filter box matching: name, either IP, a tag, the region slug or name. */
export function dropletMatches(droplet: Droplet, query: string): boolean {
  const q = query.trim().toLowerCase()
  if (!q) return true
  return q.split(/\s+/).every(
    (term) =>
      droplet.name.toLowerCase().includes(term) ||
      (droplet.publicIpv4 ?? '').includes(term) ||
      (droplet.privateIpv4 ?? '').includes(term) ||
      (droplet.publicIpv6 ?? '').toLowerCase().includes(term) ||
      droplet.region.toLowerCase().includes(term) ||
      droplet.regionName.toLowerCase().includes(term) ||
      droplet.tags.some((tag) => tag.toLowerCase().includes(term))
  )
}

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData, TValue> {
    /** Right-aligned, tabular figures. */
    numeric?: boolean
  }
}
