/**
 * The droplet table: TanStack Table for columns and sorting, TanStack Virtual so only the rows in
 * view (plus a few) are in the DOM; 5,000 droplets cost the same to scroll as 50. A real <table>
 * with spacer rows keeps native semantics and column widths. Arrow keys move, Enter opens.
 */
import { flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type Row, type SortingState, type Table } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { ArrowDown, ArrowUp, ChevronsUpDown } from 'lucide-react'
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { Droplet } from '../rpc/provider-queries'
import { dropletColumns } from './droplet-columns'

export const ROW_HEIGHT = 30
/** The sticky header: rows start below it and must not be scrolled under it. */
const HEADER_HEIGHT = 30

interface DropletTableProps {
  droplets: Droplet[]
  selectedId: number | undefined
  onOpen: (droplet: Droplet) => void
  sorting: SortingState
  onSortingChange: (sorting: SortingState) => void
}

export function DropletTable({ droplets, selectedId, onOpen, sorting, onSortingChange }: DropletTableProps) {
  // TanStack Table hands back a stable instance whose methods read the latest state; the compiler
  // cannot know that, so it skips this component, which is what we want anyway.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: droplets,
    columns: dropletColumns,
    state: { sorting },
    onSortingChange: (updater) => onSortingChange(typeof updater === 'function' ? updater(sorting) : updater),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (droplet) => String(droplet.id),
    enableSortingRemoval: false
  })
  const rows = table.getRowModel().rows
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT
  })
  const [activeId, setActiveId] = useState<number | undefined>(undefined)
  const focusPending = useRef(false)

  const activeIndex = activeId === undefined ? -1 : rows.findIndex((row) => row.original.id === activeId)
  const tabStop = activeIndex >= 0 ? activeIndex : 0

  useEffect(() => {
    if (!focusPending.current) return
    const element = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${tabStop}"]`)
    if (element) {
      focusPending.current = false
      element.focus({ preventScroll: true })
    }
  })

  // Bring a droplet opened from elsewhere (the palette, a link, a reload) into view, once per opening.
  const revealed = useRef<number | undefined>(undefined)
  useEffect(() => {
    if (selectedId === undefined || revealed.current === selectedId) return
    const index = rows.findIndex((row) => row.original.id === selectedId)
    if (index < 0) return
    revealed.current = selectedId
    // Centred when it has to move; left alone when it is already in view.
    const visible = virtualizer.getVirtualItems().some((item) => item.index === index && item.start >= virtualizer.scrollOffset! + HEADER_HEIGHT && item.end <= virtualizer.scrollOffset! + (scrollRef.current?.clientHeight ?? 0))
    if (!visible) virtualizer.scrollToIndex(index, { align: 'center' })
  }, [selectedId, rows, virtualizer])

  const moveTo = (index: number) => {
    const clamped = Math.max(0, Math.min(rows.length - 1, index))
    const row = rows[clamped]
    if (!row) return
    setActiveId(row.original.id)
    focusPending.current = true
    virtualizer.scrollToIndex(clamped, { align: 'auto' })
  }

  // Stable handlers, so rows that stay in view are not re-rendered while scrolling.
  const latest = useRef({ rows, onOpen, moveTo: (_index: number) => {} })
  const activate = useCallback((droplet: Droplet, open: boolean) => {
    setActiveId(droplet.id)
    if (open) latest.current.onOpen(droplet)
  }, [])
  const onKeyDown = useCallback((event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const { rows, onOpen, moveTo } = latest.current
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1)
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: rows.length - 1 }
    if (event.key in moves) {
      event.preventDefault()
      moveTo(moves[event.key])
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      onOpen(rows[index].original)
    }
  }, [])
  useEffect(() => {
    latest.current = { rows, onOpen, moveTo }
  })

  const items = virtualizer.getVirtualItems()
  // Item offsets include the header (scrollMargin); the spacer rows sit below it.
  const paddingTop = items.length > 0 ? items[0].start - HEADER_HEIGHT : 0
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1].end - HEADER_HEIGHT) : 0
  const columnCount = table.getVisibleLeafColumns().length
  const minWidth = table.getTotalSize()

  return (
    <div className="dtable-scroll" ref={scrollRef}>
      <table className="dtable" style={{ minWidth }} aria-label="Droplets" aria-rowcount={rows.length + 1}>
        <colgroup>
          {table.getVisibleLeafColumns().map((col) => (
            <col key={col.id} style={{ width: col.getSize() }} />
          ))}
        </colgroup>
        <DropletTableHead table={table} sorting={sorting} />
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true" className="dtable-spacer">
              <td colSpan={columnCount} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index]
            return (
              <DropletRow
                key={row.id}
                row={row}
                index={item.index}
                selected={row.original.id === selectedId}
                tabStop={item.index === tabStop}
                onActivate={activate}
                onKeyDown={onKeyDown}
              />
            )
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" className="dtable-spacer">
              <td colSpan={columnCount} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  )
}

/**
 * The header, rendered again only when the sort changes (`sorting`; the table instance itself is
 * stable): scrolling re-renders the table every frame, and eleven headers with their sort icons
 * were a share of each frame's script (bench:fleet).
 */
const DropletTableHead = memo(function DropletTableHead({ table }: { table: Table<Droplet>; sorting: SortingState }) {
  return (
    <thead>
      {table.getHeaderGroups().map((group) => (
        <tr key={group.id} aria-rowindex={1}>
          {group.headers.map((header) => {
            const sorted = header.column.getIsSorted()
            const numeric = header.column.columnDef.meta?.numeric
            return (
              <th key={header.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'} className={numeric ? 'num' : undefined}>
                <button type="button" className="dtable-sort" onClick={header.column.getToggleSortingHandler()}>
                  <span>{flexRender(header.column.columnDef.header, header.getContext())}</span>
                  {sorted === 'asc' ? <ArrowUp size={12} aria-hidden="true" /> : sorted === 'desc' ? <ArrowDown size={12} aria-hidden="true" /> : <ChevronsUpDown size={12} className="dtable-sort-idle" aria-hidden="true" />}
                </button>
              </th>
            )
          })}
        </tr>
      ))}
    </thead>
  )
})

interface DropletRowProps {
  row: Row<Droplet>
  index: number
  selected: boolean
  tabStop: boolean
  onActivate: (droplet: Droplet, open: boolean) => void
  onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>, index: number) => void
}

const DropletRow = memo(function DropletRow({ row, index, selected, tabStop, onActivate, onKeyDown }: DropletRowProps) {
  const droplet = row.original
  return (
    <tr
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={tabStop ? 0 : -1}
      className={`dtable-row${selected ? ' is-selected' : ''}`}
      onClick={() => onActivate(droplet, true)}
      onFocus={() => onActivate(droplet, false)}
      onKeyDown={(event) => onKeyDown(event, index)}
    >
      {row.getVisibleCells().map((cell) => (
        <td key={cell.id} className={cell.column.columnDef.meta?.numeric ? 'num' : undefined}>
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </td>
      ))}
    </tr>
  )
})
