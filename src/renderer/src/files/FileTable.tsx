/**
 * A folder's entries as a virtualized list (100,000 entries stay smooth: only the rows in view are in
 * the DOM), with sortable columns: name, size, modified; then mode, owner and group.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { ArrowDown, ArrowUp, File, FileSymlink, Folder, FolderSymlink } from 'lucide-react'
import { useRef, type KeyboardEvent } from 'react'
import { formatBytes } from '../ui/format'
import { formatTime, isFolder, modeString, type RemoteEntry, type Sort, type SortKey } from './file-list'

const ROW_HEIGHT = 30

interface FileTableProps {
  entries: RemoteEntry[]
  sort: Sort
  onSort: (key: SortKey) => void
  selected: string | null
  onSelect: (name: string) => void
  onOpen: (entry: RemoteEntry) => void
}

function EntryIcon({ entry }: { entry: RemoteEntry }) {
  if (entry.type === 'symlink') return isFolder(entry) ? <FolderSymlink size={15} aria-hidden="true" /> : <FileSymlink size={15} aria-hidden="true" />
  return entry.type === 'dir' ? <Folder size={15} aria-hidden="true" className="files-folder-icon" /> : <File size={15} aria-hidden="true" />
}

export function FileTable({ entries, sort, onSort, selected, onSelect, onOpen }: FileTableProps) {
  const scroller = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- read during render only, never memoized
  const virtualizer = useVirtualizer({ count: entries.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 })

  const header = (key: SortKey, label: string) => (
    <button type="button" className="files-sort" aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'} onClick={() => onSort(key)}>
      {label}
      {sort.key === key && (sort.descending ? <ArrowDown size={12} aria-hidden="true" /> : <ArrowUp size={12} aria-hidden="true" />)}
    </button>
  )

  const onKey = (e: KeyboardEvent) => {
    const i = entries.findIndex((x) => x.name === selected)
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const next = Math.max(0, Math.min(entries.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))
      if (entries[next]) {
        onSelect(entries[next].name)
        virtualizer.scrollToIndex(next)
      }
    } else if (e.key === 'Enter' && i >= 0) onOpen(entries[i])
  }

  return (
    <div className="files-table" role="grid" aria-rowcount={entries.length} aria-label="Folder contents">
      <div className="files-row files-head" role="row">
        <span role="columnheader" className="files-col-name">{header('name', 'Name')}</span>
        <span role="columnheader" className="files-col-size">{header('size', 'Size')}</span>
        <span role="columnheader" className="files-col-time">{header('mtime', 'Modified')}</span>
        <span role="columnheader" className="files-col-mode">Mode</span>
        <span role="columnheader" className="files-col-owner">Owner</span>
      </div>
      <div className="files-scroll" ref={scroller} tabIndex={0} onKeyDown={onKey}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const e = entries[item.index]
            return (
              <div
                key={e.name}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={selected === e.name}
                data-entry={e.name}
                className={`files-row${selected === e.name ? ' is-selected' : ''}${e.name.startsWith('.') ? ' is-hidden' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={() => onSelect(e.name)}
                onDoubleClick={() => onOpen(e)}
              >
                <span role="gridcell" className="files-col-name">
                  <EntryIcon entry={e} />
                  <span className="files-name">{e.name}</span>
                  {e.type === 'symlink' && <span className={`files-link${e.targetType ? '' : ' is-dangling'}`}>→ {e.target ?? '?'}</span>}
                </span>
                <span role="gridcell" className="files-col-size">{isFolder(e) ? '' : formatBytes(e.size, 'iec')}</span>
                <span role="gridcell" className="files-col-time">{formatTime(e.mtime)}</span>
                <span role="gridcell" className="files-col-mode">{modeString(e.type, e.mode)}</span>
                <span role="gridcell" className="files-col-owner">
                  {e.owner}:{e.group}
                </span>
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
