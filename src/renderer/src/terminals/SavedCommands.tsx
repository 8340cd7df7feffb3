/**
 * The saved commands of the host in the front tab (or of local shells): one click types the command
 * into that shell and runs it. The operator adds their own, for this host or every host, and removes
 * them; built-in runbook commands can be hidden.
 */
import { Play, Plus, X } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { LOCAL_COMMANDS_HOST } from '../../../shared/contract/terminals'
import { ErrorNotice } from '../ui/ErrorNotice'
import { useAddSavedCommand, useRemoveSavedCommand, useSavedCommands } from './terminal-queries'

interface Props {
  scope: string
  title: string
  /** Absent while the tab has no live shell. */
  onRun?: (command: string) => void
}

export function SavedCommands({ scope, title, onRun }: Props) {
  const list = useSavedCommands(scope)
  const add = useAddSavedCommand()
  const remove = useRemoveSavedCommand()
  const [command, setCommand] = useState('')
  const [label, setLabel] = useState('')
  const [everyHost, setEveryHost] = useState(false)
  const local = scope === LOCAL_COMMANDS_HOST

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!command.trim()) return
    add.mutate(
      { hostId: everyHost && !local ? '*' : scope, command, ...(label.trim() ? { label } : {}) },
      {
        onSuccess: () => {
          setCommand('')
          setLabel('')
        }
      }
    )
  }

  const commands = list.data ?? []
  return (
    <aside className="term-saved" aria-label="Saved commands">
      <h3 className="term-saved-title">
        Saved commands <span className="faint">· {title}</span>
      </h3>
      {list.isPending && <p className="term-saved-note faint">Loading…</p>}
      {list.error && <ErrorNotice error={list.error} title="Saved commands could not be read" />}
      {list.data && commands.length === 0 && <p className="term-saved-note faint">None yet. Add a command you type often below.</p>}
      <ul className="term-saved-list">
        {commands.map((c) => (
          <li key={c.id} className="term-saved-item">
            <button type="button" className="term-saved-run" onClick={() => onRun?.(c.command)} disabled={!onRun} title={onRun ? `Run: ${c.command}` : 'Open or reconnect a shell first'}>
              <Play size={11} aria-hidden="true" className="term-saved-icon" />
              <span className="term-saved-label">{c.label}</span>
              <code className="term-saved-command">{c.command}</code>
            </button>
            <button
              type="button"
              className="term-icon-button term-saved-remove"
              aria-label={`${c.builtIn ? 'Hide' : 'Remove'} ${c.label}`}
              title={c.builtIn ? 'Hide this built-in command' : c.hostId === '*' ? 'Remove (from every host)' : 'Remove'}
              onClick={() => remove.mutate({ id: c.id })}
            >
              <X size={12} aria-hidden="true" />
            </button>
          </li>
        ))}
      </ul>
      <form className="term-saved-add" onSubmit={submit}>
        <input className="input input-mono" aria-label="Command to save" placeholder="Command, e.g. sudo systemctl status nginx" value={command} onChange={(e) => setCommand(e.target.value)} />
        <input className="input" aria-label="Label (optional)" placeholder="Label (optional)" value={label} onChange={(e) => setLabel(e.target.value)} />
        <div className="term-saved-add-row">
          {!local && (
            <label className="term-saved-scope faint">
              <input type="checkbox" checked={everyHost} onChange={(e) => setEveryHost(e.target.checked)} /> Every host
            </label>
          )}
          <button type="submit" className="button button-small" disabled={!command.trim() || add.isPending}>
            <Plus size={13} aria-hidden="true" />
            Save
          </button>
        </div>
        {add.error && <ErrorNotice error={add.error} title="The command was not saved" />}
        {remove.error && <ErrorNotice error={remove.error} title="The command was not removed" />}
      </form>
    </aside>
  )
}
