/**
 * Create a firewall from seed 002's template, or attach one to droplets and tags. Droplets are
 * chosen by name from the cached list; tags are typed (existing ones suggested). The service's
 * BAD_REQUEST lands under the field it is about; anything else shows as an ErrorNotice.
 */
import * as Dialog from '@radix-ui/react-dialog'
import { ShieldCheck } from 'lucide-react'
import { useMemo, useState, type FormEvent, type ReactNode } from 'react'
import { fieldErrors } from '../rpc/errors'
import { useDroplets, useFirewalls, type Firewall } from '../rpc/provider-queries'
import { ChipInput } from '../ui/ChipInput'
import { ErrorNotice } from '../ui/ErrorNotice'
import { isLockedRefusal, LockedRefusal } from '../ui/LockedRefusal'
import { DropletPicker } from './DropletPicker'
import { suggestFirewallName, summarizeRules, TEMPLATE_DESCRIPTION, TEMPLATE_SUMMARY } from './firewall-rules'
import { useAttachFirewall, useCreateFirewall } from './use-firewall-mutations'
import { DialogActions } from '../ui/DialogActions'

const FIELDS = ['id', 'name', 'dropletIds', 'tags'] as const
const TAG = /^[a-zA-Z0-9_\-:]+$/

function normalizeTag(raw: string): { value: string } | { error: string } {
  const value = raw.trim()
  return TAG.test(value) ? { value } : { error: `“${value}” is not a tag: letters, digits, “_”, “-” and “:” only.` }
}

function useFormErrors(error: unknown) {
  const fields = error ? fieldErrors(error) : {}
  // The contract's name rule has no words of its own; zod's "must match pattern /…/" helps nobody.
  if (fields.name && /pattern/i.test(fields.name)) fields.name = 'Letters, digits, “.” and “-” only: no spaces or other characters.'
  const general = Boolean(error) && !FIELDS.some((field) => fields[field])
  return { fields, general }
}

function FormDialog({ open, onOpenChange, children }: { open: boolean; onOpenChange: (open: boolean) => void; children: ReactNode }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {open && children}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

/** Droplets and tags to attach to, shared by both dialogs. */
function Targets({ prefix, dropletIds, setDropletIds, tags, setTags, attached, errors }: { prefix: string; dropletIds: number[]; setDropletIds: (ids: number[]) => void; tags: string[]; setTags: (tags: string[]) => void; attached?: { dropletIds: number[]; tags: string[] }; errors: Record<string, string> }) {
  const droplets = useDroplets()
  const list = useMemo(() => droplets.data ?? [], [droplets.data])
  const knownTags = useMemo(() => new Set(list.flatMap((droplet) => droplet.tags)), [list])
  const tagSuggestions = useMemo(() => [...knownTags].filter((tag) => !attached?.tags.includes(tag)).sort(), [knownTags, attached])
  // DigitalOcean refuses a tag that does not exist yet; say so before it does.
  const unknownTags = droplets.data ? tags.filter((tag) => !knownTags.has(tag)) : []
  const attachedIds = useMemo(() => new Set(attached?.dropletIds ?? []), [attached])
  return (
    <>
      <div className="dialog-field">
        <label className="dialog-label" htmlFor={`${prefix}-droplets`}>
          Droplets <span className="faint">{dropletIds.length > 0 ? `(${dropletIds.length} chosen)` : '(optional)'}</span>
        </label>
        {droplets.isError && !droplets.data ? (
          <ErrorNotice error={droplets.error} title="Droplets could not be loaded" />
        ) : (
          <DropletPicker id={`${prefix}-droplets`} droplets={list} selected={dropletIds} onChange={setDropletIds} attached={attachedIds} invalid={Boolean(errors.dropletIds)} />
        )}
        {errors.dropletIds && <p className="field-error">{errors.dropletIds}</p>}
      </div>
      <div className="dialog-field">
        <label className="dialog-label" htmlFor={`${prefix}-tags`}>
          Tags <span className="faint">(optional: droplets with these tags, now and later)</span>
        </label>
        <ChipInput id={`${prefix}-tags`} noun="tag" values={tags} onChange={setTags} placeholder="prod" suggestions={tagSuggestions} normalize={normalizeTag} error={errors.tags} addOnBlur />
        {unknownTags.length > 0 && !errors.tags && (
          <p className="text-warn small">
            No droplet is tagged {unknownTags.join(', ')}. DigitalOcean accepts only tags that already exist.
          </p>
        )}
        {attached && attached.tags.length > 0 && <p className="faint small">Already attached to tag{attached.tags.length === 1 ? '' : 's'} {attached.tags.join(', ')}.</p>}
      </div>
    </>
  )
}

export function CreateFirewallDialog({ open, onOpenChange, initialDropletIds, nameBase }: { open: boolean; onOpenChange: (open: boolean) => void; initialDropletIds?: number[]; nameBase?: string }) {
  return (
    <FormDialog open={open} onOpenChange={onOpenChange}>
      <CreateForm initialDropletIds={initialDropletIds} nameBase={nameBase} onDone={() => onOpenChange(false)} />
    </FormDialog>
  )
}

function CreateForm({ initialDropletIds, nameBase, onDone }: { initialDropletIds?: number[]; nameBase?: string; onDone: () => void }) {
  const create = useCreateFirewall()
  const [name, setName] = useState(() => suggestFirewallName(nameBase))
  const [dropletIds, setDropletIds] = useState<number[]>(initialDropletIds ?? [])
  const [tags, setTags] = useState<string[]>([])
  const { fields, general } = useFormErrors(create.error)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim() || create.isPending) return
    create.mutate(
      { name: name.trim(), ...(dropletIds.length ? { dropletIds } : {}), ...(tags.length ? { tags } : {}) },
      { onSuccess: onDone }
    )
  }

  return (
    <Dialog.Content className="dialog-content dialog-form">
      <form onSubmit={submit} noValidate>
        <Dialog.Title className="dialog-title">Create a firewall from the template</Dialog.Title>
        <Dialog.Description className="dialog-description">{TEMPLATE_DESCRIPTION}</Dialog.Description>
        <div className="template-rules" aria-hidden="true">
          <ShieldCheck size={13} />
          <span className="mono">{TEMPLATE_SUMMARY}</span>
        </div>
        <div className="dialog-field">
          <label className="dialog-label" htmlFor="firewall-name">
            Name
          </label>
          <input
            id="firewall-name"
            className="input input-mono"
            value={name}
            spellCheck={false}
            autoComplete="off"
            autoFocus
            aria-invalid={fields.name ? true : undefined}
            onChange={(event) => {
              setName(event.target.value)
              if (create.error) create.reset()
            }}
          />
          {fields.name && <p className="field-error">{fields.name}</p>}
        </div>
        <Targets prefix="firewall-create" dropletIds={dropletIds} setDropletIds={setDropletIds} tags={tags} setTags={setTags} errors={fields} />
        {general && (
          <div className="dialog-error">
            {isLockedRefusal(create.error) ? (
              <LockedRefusal error={create.error} busy={create.isPending} onUnlock={() => create.mutate({ ...create.variables!, unlock: true }, { onSuccess: onDone })} />
            ) : (
              <ErrorNotice error={create.error} title="The firewall was not created" />
            )}
          </div>
        )}
        <div className="dialog-actions">
          <span className="dialog-actions-note faint small">{dropletIds.length === 0 && tags.length === 0 ? 'Attached to nothing yet; attach it later.' : ''}</span>
          <Dialog.Close asChild>
            <button type="button" className="button">
              Cancel
            </button>
          </Dialog.Close>
          <button type="submit" className="button button-primary" disabled={!name.trim() || create.isPending}>
            {create.isPending ? 'Creating…' : 'Create firewall'}
          </button>
        </div>
      </form>
    </Dialog.Content>
  )
}

export function AttachFirewallDialog({ open, onOpenChange, firewall, initialDropletIds, onCreateInstead }: { open: boolean; onOpenChange: (open: boolean) => void; firewall?: Firewall; initialDropletIds?: number[]; onCreateInstead?: () => void }) {
  return (
    <FormDialog open={open} onOpenChange={onOpenChange}>
      <AttachForm fixed={firewall} initialDropletIds={initialDropletIds} onDone={() => onOpenChange(false)} onCreateInstead={onCreateInstead} />
    </FormDialog>
  )
}

function AttachForm({ fixed, initialDropletIds, onDone, onCreateInstead }: { fixed?: Firewall; initialDropletIds?: number[]; onDone: () => void; onCreateInstead?: () => void }) {
  const attach = useAttachFirewall()
  const firewalls = useFirewalls(!fixed)
  const [chosenId, setChosenId] = useState<string>('')
  const [dropletIds, setDropletIds] = useState<number[]>(initialDropletIds ?? [])
  const [tags, setTags] = useState<string[]>([])
  const { fields, general } = useFormErrors(attach.error)
  const list = firewalls.data ?? []
  const firewall = fixed ?? list.find((entry) => entry.id === chosenId) ?? (list.length === 1 ? list[0] : undefined)
  const attached = useMemo(() => (firewall ? { dropletIds: firewall.dropletIds, tags: firewall.tags } : undefined), [firewall])
  // What is new: a droplet or tag the firewall already covers is not sent again.
  const newIds = dropletIds.filter((id) => !firewall?.dropletIds.includes(id))
  const newTags = tags.filter((tag) => !firewall?.tags.includes(tag))
  const ready = firewall !== undefined && (newIds.length > 0 || newTags.length > 0)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!ready || attach.isPending) return
    attach.mutate({ id: firewall.id, ...(newIds.length ? { dropletIds: newIds } : {}), ...(newTags.length ? { tags: newTags } : {}) }, { onSuccess: onDone })
  }

  const noFirewalls = !fixed && firewalls.data !== undefined && list.length === 0

  return (
    <Dialog.Content className="dialog-content dialog-form">
      <form onSubmit={submit} noValidate>
        <Dialog.Title className="dialog-title">{fixed ? `Attach ${fixed.name}` : 'Attach a firewall'}</Dialog.Title>
        <Dialog.Description className="dialog-description">
          {fixed ? `Rules: ${summarizeRules(fixed.rules)}. ` : ''}A droplet can have several firewalls; DigitalOcean allows what any of them allows.
        </Dialog.Description>
        {!fixed && (
          <div className="dialog-field">
            <label className="dialog-label" htmlFor="attach-firewall">
              Firewall
            </label>
            {firewalls.isError && !firewalls.data ? (
              <ErrorNotice error={firewalls.error} title="Firewalls could not be loaded" />
            ) : !firewalls.data ? (
              <p className="faint small">Loading firewalls…</p>
            ) : noFirewalls ? (
              <div className="dialog-inline-note">
                <span className="faint">This team has no firewalls yet.</span>
                {onCreateInstead && (
                  <button type="button" className="button button-small" onClick={onCreateInstead}>
                    Create from template…
                  </button>
                )}
              </div>
            ) : (
              <select id="attach-firewall" className="input" value={firewall?.id ?? ''} aria-invalid={fields.id ? true : undefined} onChange={(event) => setChosenId(event.target.value)}>
                {firewall === undefined && <option value="">Choose a firewall…</option>}
                {list.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.name} — {summarizeRules(entry.rules)}
                  </option>
                ))}
              </select>
            )}
            {fields.id && <p className="field-error">{fields.id}</p>}
          </div>
        )}
        {!noFirewalls && <Targets prefix="firewall-attach" dropletIds={dropletIds} setDropletIds={setDropletIds} tags={tags} setTags={setTags} attached={attached} errors={fields} />}
        {general && (
          <div className="dialog-error">
            {isLockedRefusal(attach.error) ? (
              <LockedRefusal error={attach.error} busy={attach.isPending} onUnlock={() => attach.mutate({ ...attach.variables!, unlock: true }, { onSuccess: onDone })} />
            ) : (
              <ErrorNotice error={attach.error} title="The firewall was not attached" />
            )}
          </div>
        )}
        <DialogActions label="Attach" busyLabel="Attaching…" busy={attach.isPending} disabled={!ready || attach.isPending} />
      </form>
    </Dialog.Content>
  )
}
