/**
 * Choosing a file to upload from the machine Dropdeck runs on. The headless host's page is a browser
 * tab, which can hand over a file's bytes but never its path; the host reads the file itself, so the
 * picker lists this machine's folders through files.local.list. A file or the folder shown can be picked.
 */
import { ArrowUp, File, Folder } from 'lucide-react'
import { useState } from 'react'
import { useContractQuery } from '../rpc/contract-queries'
import { Drawer } from '../ui/Drawer'
import { ErrorNotice } from '../ui/ErrorNotice'
import { formatBytes } from '../ui/format'
import { joinPath, parentOf } from './file-list'

export function LocalFilePicker({ open, onOpenChange, onPick, target }: { open: boolean; onOpenChange: (open: boolean) => void; onPick: (path: string) => void; target: string }) {
  const [dir, setDir] = useState<string | undefined>(undefined)
  const listing = useContractQuery('files.local.list', dir ? { path: dir } : {}, { enabled: open })
  const here = listing.data?.path ?? dir ?? ''
  const entries = [...(listing.data?.entries ?? [])].filter((e) => !e.name.startsWith('.')).sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name))
  return (
    <Drawer open={open} onOpenChange={onOpenChange} title="Upload a file">
      <p className="files-picker-target">
        To <span className="mono">{target}</span>
      </p>
      <div className="files-picker-path">
        <button type="button" className="icon-button" aria-label="Up one folder here" disabled={here === '/'} onClick={() => setDir(parentOf(here))}>
          <ArrowUp size={15} aria-hidden="true" />
        </button>
        <span className="mono">{here}</span>
        <button type="button" className="button button-small files-picker-folder" disabled={!here || here === '/'} onClick={() => onPick(here)}>
          Upload this folder
        </button>
      </div>
      {listing.isError && <ErrorNotice error={listing.error} title="This folder cannot be read" />}
      <ul className="files-picker-list" aria-label="Files on this machine">
        {entries.map((e) => (
          <li key={e.name}>
            <button type="button" className="files-picker-item" onClick={() => (e.type === 'dir' ? setDir(joinPath(here, e.name)) : onPick(joinPath(here, e.name)))}>
              {e.type === 'dir' ? <Folder size={15} aria-hidden="true" /> : <File size={15} aria-hidden="true" />}
              <span>{e.name}</span>
              {e.type !== 'dir' && <span className="files-picker-size">{formatBytes(e.size, 'iec')}</span>}
            </button>
          </li>
        ))}
      </ul>
    </Drawer>
  )
}
