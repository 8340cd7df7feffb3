/**
 * The command palette: cmdk for keyboard selection inside a Radix dialog, which brings the focus
 * trap, Escape and the accessible title. Filtering and ranking are ours (rank-commands.ts), not
 * cmdk's fuzzy score: while searching, the best match is first, in the group that holds it.
 */
import * as Dialog from '@radix-ui/react-dialog'
import * as VisuallyHidden from '@radix-ui/react-visually-hidden'
import { Command } from 'cmdk'
import { useRef, useState } from 'react'
import type { Route } from '../navigation/route'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { ErrorNotice } from '../ui/ErrorNotice'
import { Kbd } from '../ui/Kbd'
import { focusWhenPresent } from '../ui/focus-when-present'
import { rankCommands } from './rank-commands'
import { usePaletteCommands, type PaletteCommand } from './use-palette-commands'

interface CommandPaletteProps {
  open: boolean
  onOpenChange: (open: boolean) => void
  route: Route
  navigate: (to: Route) => void
}

const groupOrder: PaletteCommand['group'][] = ['Go to', 'Actions', 'Hosts', 'Containers', 'Droplets', 'Tunnels', 'DNS zones', 'DNS records', 'Preferences', 'Tokens']

export function CommandPalette({ open, onOpenChange, route, navigate }: CommandPaletteProps) {
  const [search, setSearch] = useState('')
  // A disruptive command waiting for its confirm, and a command that failed after the palette closed.
  const [confirming, setConfirming] = useState<PaletteCommand | null>(null)
  const [failure, setFailure] = useState<{ error: unknown; title: string } | null>(null)
  const commands = usePaletteCommands(route, navigate, search, (error, title) => setFailure({ error, title }))
  const searching = search.trim() !== ''
  const shown = searching ? rankCommands(commands, search) : commands
  // Searching: groups in the order of their best match, so the first item is the best of all.
  const groups = searching ? [...new Set(shown.map((command) => command.group))] : groupOrder
  // Where focus goes after closing: a command may point at a field; otherwise Radix restores it.
  const focusAfterClose = useRef<string | undefined>(undefined)

  const runCommand = (command: PaletteCommand) => {
    focusAfterClose.current = command.focusId
    onOpenChange(false)
    setSearch('')
    if (command.confirm) setConfirming(command)
    else command.run()
  }

  return (
    <>
      <Dialog.Root
        open={open}
        onOpenChange={(next) => {
          if (!next) setSearch('')
          onOpenChange(next)
        }}
      >
        <Dialog.Portal>
          <Dialog.Overlay className="palette-overlay" />
          <Dialog.Content
            className="palette"
            aria-describedby={undefined}
            onCloseAutoFocus={(event) => {
              const id = focusAfterClose.current
              focusAfterClose.current = undefined
              if (!id) return
              event.preventDefault()
              focusWhenPresent(id)
            }}
          >
            <VisuallyHidden.Root asChild>
              <Dialog.Title>Command palette</Dialog.Title>
            </VisuallyHidden.Root>
            {/* Ctrl+K must reach the window handler to close the palette, so no vim bindings. */}
            <Command label="Command palette" loop vimBindings={false} shouldFilter={false}>
              <Command.Input className="palette-input" placeholder="Type a command, a droplet or a zone…" autoFocus value={search} onValueChange={setSearch} />
              <Command.List className="palette-list">
                <Command.Empty className="palette-empty">No matching commands.</Command.Empty>
                {groups.map((group) => (
                  <Command.Group key={group} heading={group} className="palette-group">
                    {shown
                      .filter((command) => command.group === group)
                      .map((command) => (
                        <Command.Item key={command.id} value={command.id} onSelect={() => runCommand(command)} className="palette-item">
                          <command.icon size={15} strokeWidth={1.75} aria-hidden="true" className="palette-item-icon" />
                          <span className="palette-item-label">{command.label}</span>
                          {command.shortcut && <Kbd combo={command.shortcut} />}
                        </Command.Item>
                      ))}
                  </Command.Group>
                ))}
              </Command.List>
              <div className="palette-footer" aria-hidden="true">
                <span>
                  <kbd>↑</kbd>
                  <kbd>↓</kbd> to move
                </span>
                <span>
                  <kbd>Enter</kbd> to run
                </span>
                <span>
                  <kbd>Esc</kbd> to close
                </span>
              </div>
            </Command>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(next) => !next && setConfirming(null)}
        title={confirming?.confirm?.title ?? ''}
        description={confirming?.confirm?.description ?? ''}
        confirmLabel={confirming?.confirm?.confirmLabel ?? ''}
        onConfirm={() => {
          confirming?.run()
          setConfirming(null)
        }}
      />
      {failure && (
        <div className="palette-failure" role="alert" style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 60, maxWidth: 480 }}>
          <ErrorNotice error={failure.error} title={failure.title} onDismiss={() => setFailure(null)} />
        </div>
      )}
    </>
  )
}
