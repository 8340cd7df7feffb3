/**
 * Files: a host's folders over SFTP on its pooled SSH connection. A path bar with history, bookmarks,
 * a virtualized listing sorted by name, size or modified time (hidden files on demand), transfers with
 * progress that survive a dropped connection, and safe edits of text files (./FileEditorPanel.tsx).
 */
import { useQueryClient } from '@tanstack/react-query'
import { Bookmark, BookmarkPlus, Download, FileEdit, FolderOpen, FolderPlus, KeyRound, Pencil, ScrollText, SquareTerminal, Trash2, Upload, X } from 'lucide-react'
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { Result } from '../../../shared/contract'
import { decodeFileListing } from '../../../shared/contract/files'
import { EmptyState } from '../areas/EmptyState'
import { useLogSession } from '../logs/use-log-session'
import { goTo } from '../navigation/use-hash-path'
import { useApi } from '../rpc/api-context'
import { contractKey, contractKeyMatching, useContractCall, useContractQuery } from '../rpc/contract-queries'
import { useHosts } from '../ssh/ssh-queries'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { ErrorNotice } from '../ui/ErrorNotice'
import { QueryState } from '../ui/QueryState'
import { requestTerminal } from '../terminals/terminal-requests'
import { TypedConfirmDialog } from '../ui/TypedConfirmDialog'
import { FileEditorPanel } from './FileEditorPanel'
import { FileTable } from './FileTable'
import { parseFilesHash } from './files-links'
import { isFolder, joinPath, looksEditable, parentOf, sortEntries, type RemoteEntry, type Sort, type SortKey } from './file-list'
import { LocalFilePicker } from './LocalFilePicker'
import { PathBar } from './PathBar'
import { PromptDialog } from './PromptDialog'
import { TransfersPanel } from './TransfersPanel'
import { transfersFor } from './transfers-store'

interface Nav {
  stack: string[]
  index: number
}

function subscribeHash(listener: () => void): () => void {
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

type Ask = { kind: 'mkdir' } | { kind: 'rename'; entry: RemoteEntry } | { kind: 'chmod'; entry: RemoteEntry } | { kind: 'delete'; entry: RemoteEntry } | null

export function FilesView() {
  const api = useApi()
  const client = useQueryClient()
  const hosts = useHosts()
  const hostList = hosts.data ?? []
  const [hostId, setHostId] = useState<string>('')
  const host = hostId || hostList.find((h) => h.state === 'connected')?.id || hostList[0]?.id || ''
  const [nav, setNav] = useState<Record<string, Nav>>({})
  const [sort, setSort] = useState<Sort>({ key: 'name', descending: false })
  const [showHidden, setShowHidden] = useState(false)
  const [selected, setSelected] = useState<string | null>(null)
  const [ask, setAsk] = useState<Ask>(null)
  const [picking, setPicking] = useState(false)
  const [failure, setFailure] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [editing, setEditing] = useState<Result<'files.read'> | null>(null)
  const transfers = transfersFor(api)
  const logSession = useLogSession(api)

  // A link from another area (#/files/<host>?path=…): show that host at that folder, as a step in its
  // history. Applied while rendering, once per hash (React's pattern for state that follows an input).
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash)
  const [appliedHash, setAppliedHash] = useState<string | null>(null)
  if (hash !== appliedHash) {
    setAppliedHash(hash)
    const target = parseFilesHash(hash)
    if (target) {
      setHostId(target.hostId)
      setSelected(null)
      setEditing(null)
      setNav((all) => {
        const cur = all[target.hostId] ?? { stack: [], index: -1 }
        if (cur.stack[cur.index] === target.path) return all
        const stack = [...cur.stack.slice(0, cur.index + 1), target.path].slice(-100)
        return { ...all, [target.hostId]: { stack, index: stack.length - 1 } }
      })
    }
  }

  const home = useContractQuery('files.home', { hostId: host }, { enabled: Boolean(host) && !nav[host] })
  const here = nav[host] ? nav[host].stack[nav[host].index] : home.data?.path
  // decodeFileListing is stable, so react-query decodes each answer once
  const listing = useContractQuery('files.list', { hostId: host, path: here ?? '' }, { enabled: Boolean(host && here), select: decodeFileListing })
  const bookmarks = useContractQuery('files.bookmarks.list', { hostId: host }, { enabled: Boolean(host) })
  // only for where downloads go: this machine's home does not move while the app runs
  const localHome = useContractQuery('files.local.list', {}, { staleTime: Infinity })
  const readFile = useContractCall('files.read')
  const setBookmarks = useContractCall('files.bookmarks.set')
  const mkdir = useContractCall('files.mkdir')
  const rename = useContractCall('files.rename')
  const chmod = useContractCall('files.chmod')
  const remove = useContractCall('files.delete')

  const entries = useMemo(() => sortEntries(listing.data?.entries ?? [], sort, showHidden), [listing.data, sort, showHidden])
  const chosen = entries.find((e) => e.name === selected) ?? null

  const go = useCallback(
    (path: string) => {
      setSelected(null)
      setFailure(null)
      setNav((all) => {
        const cur = all[host] ?? { stack: here ? [here] : [], index: here ? 0 : -1 }
        if (cur.stack[cur.index] === path) return all
        const stack = [...cur.stack.slice(0, cur.index + 1), path].slice(-100)
        return { ...all, [host]: { stack, index: stack.length - 1 } }
      })
    },
    [host, here]
  )
  const step = (delta: number) =>
    setNav((all) => {
      const cur = all[host]
      if (!cur) return all
      const index = Math.max(0, Math.min(cur.stack.length - 1, cur.index + delta))
      return { ...all, [host]: { ...cur, index } }
    })

  const refresh = useCallback(() => void client.invalidateQueries({ queryKey: contractKeyMatching('files.list', { hostId: host }) }), [client, host])
  useEffect(
    () =>
      transfers.whenDone((t) => {
        if (t.direction === 'upload') void client.invalidateQueries({ queryKey: contractKey('files.list', { hostId: t.hostId, path: parentOf(t.remotePath) }) })
      }),
    [transfers, client]
  )

  /** `closeOnError`: the dialog closes on a failure too, so the error shows in the view where it can be read (deletes). */
  const run = async (what: () => Promise<unknown>, closeOnError = false) => {
    setBusy(true)
    setFailure(null)
    try {
      await what()
      setAsk(null)
      refresh()
    } catch (err) {
      if (closeOnError) setAsk(null)
      setFailure(err)
    } finally {
      setBusy(false)
    }
  }

  const openFile = async (entry: RemoteEntry) => {
    if (!here) return
    const path = joinPath(here, entry.name)
    if (isFolder(entry)) return go(path)
    if (!looksEditable(entry)) return download(entry)
    setFailure(null)
    try {
      setEditing(await readFile({ hostId: host, path }))
    } catch (err) {
      setFailure(err)
    }
  }

  const downloadDir = () => {
    const data = localHome.data
    if (!data) return undefined
    return data.entries.some((e) => e.name === 'Downloads' && e.type === 'dir') ? joinPath(data.path, 'Downloads') : data.path
  }

  const download = (entry: RemoteEntry) => {
    const dir = downloadDir()
    if (!dir || !here) return
    void transfers.start({ hostId: host, direction: 'download', remotePath: joinPath(here, entry.name), localPath: joinPath(dir, entry.name) }).catch(setFailure)
  }

  const upload = (localPath: string) => {
    setPicking(false)
    if (!here) return
    const name = localPath.split('/').pop()!
    void transfers.start({ hostId: host, direction: 'upload', localPath, remotePath: joinPath(here, name) }).catch(setFailure)
  }

  /** A shell on the host in the selected folder, else in the one shown. */
  const terminalHere = () => {
    if (!here) return
    requestTerminal({ hostId: host, cwd: chosen && isFolder(chosen) ? joinPath(here, chosen.name) : here })
  }

  /** Follows the selected file in Logs (tail -F from its end; already followed, it is just shown). */
  const followLog = (entry: RemoteEntry) => {
    if (!here) return
    const path = joinPath(here, entry.name)
    if (!logSession.sources.some((s) => s.hostId === host && s.source.kind === 'file' && s.source.path === path)) {
      void logSession.add(host, { kind: 'file', path }).catch(setFailure)
    }
    goTo('logs')
  }

  const marked = bookmarks.data?.bookmarks ?? []
  const isMarked = here !== undefined && marked.some((b) => b.path === here)
  const toggleBookmark = () =>
    void run(async () => {
      const next = isMarked ? marked.filter((b) => b.path !== here) : [...marked, { path: here! }]
      client.setQueryData(contractKey('files.bookmarks.list', { hostId: host }), await setBookmarks({ hostId: host, bookmarks: next }))
    })

  const onSort = (key: SortKey) => setSort((s) => (s.key === key ? { key, descending: !s.descending } : { key, descending: key !== 'name' }))

  if (hosts.data && hostList.length === 0) {
    return (
      <div className="fleet-view ssh-view files-view">
        <EmptyState icon={FolderOpen} title="No SSH hosts">
          Add a host in Hosts (or a Host entry in ~/.ssh/config) to browse its files here.
        </EmptyState>
      </div>
    )
  }

  return (
    <div className="fleet-view ssh-view files-view">
      <div className="toolbar">
        <h2 className="zone-title">Files</h2>
        <select
          className="input files-host"
          aria-label="Host"
          value={host}
          onChange={(e) => {
            setHostId(e.target.value)
            setSelected(null)
            setEditing(null)
          }}
        >
          {hostList.map((h) => (
            <option key={h.id} value={h.id}>
              {h.id}
            </option>
          ))}
        </select>
        <div className="toolbar-spacer" />
        <label className="files-check">
          <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> Hidden files
        </label>
      </div>
      <div className="files-body">
        <nav className="files-bookmarks" aria-label="Bookmarks">
          <p className="nav-group-label">Bookmarks</p>
          <ul>
            {marked.map((b) => (
              <li key={b.path}>
                <button type="button" className={`files-bookmark${b.path === here ? ' is-active' : ''}`} onClick={() => go(b.path)} title={b.path}>
                  <Bookmark size={13} aria-hidden="true" />
                  <span>{b.label ?? b.path.split('/').pop() ?? b.path}</span>
                  <span className="files-bookmark-path">{b.path}</span>
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button button-small" disabled={!here} onClick={toggleBookmark}>
            {isMarked ? <X size={13} aria-hidden="true" /> : <BookmarkPlus size={13} aria-hidden="true" />}
            {isMarked ? 'Remove bookmark' : 'Bookmark this folder'}
          </button>
        </nav>
        <div className="files-main">
          {editing ? (
            <FileEditorPanel
              key={`${editing.path}:${editing.version.sha256}`}
              hostId={host}
              file={editing}
              onClose={() => setEditing(null)}
              onReopen={() => void readFile({ hostId: host, path: editing.path }).then(setEditing, setFailure)}
            />
          ) : (
            <>
              <PathBar
                key={`${host}:${here ?? ''}`}
                path={here ?? ''}
                canBack={(nav[host]?.index ?? 0) > 0}
                canForward={nav[host] !== undefined && nav[host].index < nav[host].stack.length - 1}
                onBack={() => step(-1)}
                onForward={() => step(1)}
                onUp={() => here && go(parentOf(here))}
                onGo={go}
                onRefresh={refresh}
                refreshing={listing.isFetching}
              />
              <div className="files-actions">
                <button type="button" className="button button-small" disabled={!here} onClick={() => setAsk({ kind: 'mkdir' })}>
                  <FolderPlus size={14} aria-hidden="true" /> New folder
                </button>
                <button type="button" className="button button-small" disabled={!here} onClick={() => setPicking(true)}>
                  <Upload size={14} aria-hidden="true" /> Upload
                </button>
                <button type="button" className="button button-small" disabled={!here} title={`A shell on ${host} in ${chosen && isFolder(chosen) && here ? joinPath(here, chosen.name) : (here ?? '')}`} onClick={terminalHere}>
                  <SquareTerminal size={14} aria-hidden="true" /> Terminal here
                </button>
                <span className="files-actions-sep" />
                <button type="button" className="button button-small" disabled={!chosen || isFolder(chosen)} title="Follow it in Logs (tail -F)" onClick={() => chosen && followLog(chosen)}>
                  <ScrollText size={14} aria-hidden="true" /> Follow log
                </button>
                <button type="button" className="button button-small" disabled={!chosen || isFolder(chosen) || !looksEditable(chosen)} onClick={() => chosen && void openFile(chosen)}>
                  <FileEdit size={14} aria-hidden="true" /> Edit
                </button>
                <button type="button" className="button button-small" disabled={!chosen || (chosen.type === 'symlink' && !chosen.targetType)} title={downloadDir() ? `Download into ${downloadDir()} on this machine` : undefined} onClick={() => chosen && download(chosen)}>
                  <Download size={14} aria-hidden="true" /> Download
                </button>
                <button type="button" className="button button-small" disabled={!chosen} onClick={() => chosen && setAsk({ kind: 'rename', entry: chosen })}>
                  <Pencil size={14} aria-hidden="true" /> Rename
                </button>
                <button type="button" className="button button-small" disabled={!chosen} onClick={() => chosen && setAsk({ kind: 'chmod', entry: chosen })}>
                  <KeyRound size={14} aria-hidden="true" /> Mode
                </button>
                <button type="button" className="button button-small" disabled={!chosen} onClick={() => chosen && setAsk({ kind: 'delete', entry: chosen })}>
                  <Trash2 size={14} aria-hidden="true" /> Delete
                </button>
                <div className="toolbar-spacer" />
                {listing.data && (
                  <span className="files-count">
                    {entries.length.toLocaleString()} {entries.length === 1 ? 'item' : 'items'}
                    {listing.data.access === 'sudo' && ' · read through sudo'}
                  </span>
                )}
              </div>
              {failure != null && <ErrorNotice error={failure} title="That did not work" onDismiss={() => setFailure(null)} />}
              {home.isError && <ErrorNotice error={home.error} title={`${host} cannot be reached`} />}
              <QueryState query={listing} loading="Loading…" failed="This folder cannot be shown">
                {() => <FileTable entries={entries} sort={sort} onSort={onSort} selected={selected} onSelect={setSelected} onOpen={(e) => void openFile(e)} />}
              </QueryState>
            </>
          )}
          <TransfersPanel store={transfers} />
        </div>
      </div>
      <LocalFilePicker open={picking} onOpenChange={setPicking} onPick={upload} target={`${host}:${here ?? ''}`} />
      <PromptDialog
        open={ask?.kind === 'mkdir'}
        onOpenChange={(o) => !o && setAsk(null)}
        title="New folder"
        label={`Name, in ${here}`}
        initial=""
        confirmLabel="Create"
        busy={busy}
        onConfirm={(name) => void run(() => mkdir({ hostId: host, path: joinPath(here!, name) }))}
      />
      <PromptDialog
        open={ask?.kind === 'rename'}
        onOpenChange={(o) => !o && setAsk(null)}
        title={`Rename ${ask?.kind === 'rename' ? ask.entry.name : ''}`}
        label="New name"
        initial={ask?.kind === 'rename' ? ask.entry.name : ''}
        confirmLabel="Rename"
        busy={busy}
        onConfirm={(name) => ask?.kind === 'rename' && void run(() => rename({ hostId: host, from: joinPath(here!, ask.entry.name), to: joinPath(here!, name) }))}
      />
      <PromptDialog
        open={ask?.kind === 'chmod'}
        onOpenChange={(o) => !o && setAsk(null)}
        title={`Mode of ${ask?.kind === 'chmod' ? ask.entry.name : ''}`}
        label="Octal mode, e.g. 0644"
        initial={ask?.kind === 'chmod' ? ask.entry.mode.toString(8).padStart(4, '0') : ''}
        pattern={/^[0-7]{3,4}$/}
        confirmLabel="Change mode"
        busy={busy}
        onConfirm={(mode) => ask?.kind === 'chmod' && void run(() => chmod({ hostId: host, path: joinPath(here!, ask.entry.name), mode: parseInt(mode, 8) }))}
      />
      <ConfirmDialog
        open={ask?.kind === 'delete' && !isFolder(ask.entry)}
        onOpenChange={(o) => !o && setAsk(null)}
        title={`Delete ${ask?.kind === 'delete' ? ask.entry.name : ''}?`}
        description={`It is removed from ${host} at once; there is no trash.`}
        confirmLabel="Delete"
        busy={busy}
        onConfirm={() => ask?.kind === 'delete' && void run(() => remove({ hostId: host, path: joinPath(here!, ask.entry.name) }), true)}
      />
      <TypedConfirmDialog
        open={ask?.kind === 'delete' && isFolder(ask.entry) && ask.entry.type === 'dir'}
        onOpenChange={(o) => !o && setAsk(null)}
        title={`Delete the folder ${ask?.kind === 'delete' ? ask.entry.name : ''}?`}
        description={`Everything in ${ask?.kind === 'delete' ? joinPath(here ?? '', ask.entry.name) : ''} on ${host} is deleted, and it cannot be undone.`}
        expected={ask?.kind === 'delete' ? ask.entry.name : ''}
        confirmLabel="Delete folder"
        busy={busy}
        onConfirm={(typed) => ask?.kind === 'delete' && void run(() => remove({ hostId: host, path: joinPath(here!, ask.entry.name), confirm: typed }), true)}
      />
    </div>
  )
}
