/**
 * Create or edit a record: type, name, content, TTL, proxied (Cloudflare), priority (MX, SRV).
 * The service validates; each BAD_REQUEST issue is shown under its field.
 */
import * as Dialog from '@radix-ui/react-dialog'
import * as Switch from '@radix-ui/react-switch'
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { RecordTypeSchema } from '../../../shared/contract'
import { providerNames } from '../fleet/format'
import type { DnsRecord, DnsRecordInput, Zone } from '../rpc/provider-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { recordFieldErrors, useSaveRecord } from './dns-mutations'
import { DialogActions } from '../ui/DialogActions'

export interface RecordDraft {
  type: string
  name: string
  content: string
  ttl: string
  proxied: boolean
  priority: string
}

const recordTypes = RecordTypeSchema.options
const proxiable = new Set(['A', 'AAAA', 'CNAME'])
const hasPriority = new Set(['MX', 'SRV'])

/** A record's name relative to its zone, as the operator would type it. */
export function relativeName(name: string, zone: Zone): string {
  if (name === zone.name) return '@'
  return name.endsWith(`.${zone.name}`) ? name.slice(0, -(zone.name.length + 1)) : name
}

export function draftFromRecord(record: DnsRecord, zone: Zone): RecordDraft {
  return { type: record.type, name: relativeName(record.name, zone), content: record.content, ttl: String(record.ttl), proxied: record.proxied ?? false, priority: record.priority === null ? '' : String(record.priority) }
}

export function emptyDraft(zone: Zone, partial: Partial<RecordDraft> = {}): RecordDraft {
  return { type: 'A', name: '', content: '', ttl: zone.provider === 'cloudflare' ? '1' : '3600', proxied: false, priority: '', ...partial }
}

export function RecordFormDialog({ zone, editing, initial, onClose }: { zone: Zone; editing?: DnsRecord; initial: RecordDraft; onClose: () => void }) {
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <RecordForm zone={zone} editing={editing} initial={initial} onDone={onClose} />
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function RecordForm({ zone, editing, initial, onDone }: { zone: Zone; editing?: DnsRecord; initial: RecordDraft; onDone: () => void }) {
  const [draft, setDraft] = useState(initial)
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({})
  const save = useSaveRecord(zone)
  const id = useId()
  const serverErrors = recordFieldErrors(save.error)
  const errors = { ...serverErrors, ...localErrors }
  const cloudflare = zone.provider === 'cloudflare'

  const set = <K extends keyof RecordDraft>(key: K, value: RecordDraft[K]) => {
    setDraft((old) => ({ ...old, [key]: value }))
    setLocalErrors((old) => {
      const { [key]: _gone, ...rest } = old
      return rest
    })
    if (save.error) save.reset()
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    // Only what JSON cannot carry is checked here; the service checks the rest and says which field.
    const local: Record<string, string> = {}
    if (!/^\d+$/.test(draft.ttl.trim())) local.ttl = 'Enter the TTL in seconds (1 means automatic at Cloudflare).'
    if (hasPriority.has(draft.type) && draft.priority.trim() && !/^\d+$/.test(draft.priority.trim())) local.priority = 'Enter a whole number.'
    setLocalErrors(local)
    if (Object.keys(local).length > 0) return
    const record = {
      type: draft.type as DnsRecordInput['type'],
      name: draft.name.trim(),
      content: draft.content.trim(),
      ttl: Number(draft.ttl.trim()),
      ...(cloudflare && proxiable.has(draft.type) ? { proxied: draft.proxied } : {}),
      ...(hasPriority.has(draft.type) && draft.priority.trim() ? { priority: Number(draft.priority.trim()) } : {})
    } satisfies DnsRecordInput
    save.mutate({ id: editing?.id, record }, { onSuccess: onDone })
  }

  const field = (name: keyof RecordDraft, label: string, control: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby': string }) => ReactNode, hint?: string) => (
    <div className={`form-field form-field-${name}`}>
      <label className="dialog-label" htmlFor={`${id}-${name}`}>
        {label}
        {hint && <span className="faint"> {hint}</span>}
      </label>
      {control({ id: `${id}-${name}`, 'aria-invalid': errors[name] ? true : undefined, 'aria-describedby': `${id}-${name}-error` })}
      <p className="field-error" id={`${id}-${name}-error`} role="alert" hidden={!errors[name]}>
        {errors[name]}
      </p>
    </div>
  )

  return (
    <Dialog.Content className="dialog-content dialog-form">
      <form onSubmit={onSubmit} noValidate>
        <Dialog.Title className="dialog-title">{editing ? `Edit ${editing.type} record` : 'Add a record'}</Dialog.Title>
        <Dialog.Description className="dialog-description">
          In {zone.name} at {providerNames[zone.provider]}. Names are relative to the zone; “@” is the zone itself.
        </Dialog.Description>
        <div className="form-grid">
          {field('type', 'Type', (props) => (
            <select {...props} className="input" value={draft.type} onChange={(e) => set('type', e.target.value)}>
              {recordTypes.map((type) => (
                <option key={type}>{type}</option>
              ))}
            </select>
          ))}
          {field('name', 'Name', (props) => (
            <span className="input-suffixed">
              <input {...props} className="input input-mono" value={draft.name} onChange={(e) => set('name', e.target.value)} placeholder="www" spellCheck={false} autoComplete="off" autoFocus />
              <span className="input-suffix">.{zone.name}</span>
            </span>
          ))}
          {field('content', draft.type === 'CNAME' ? 'Target' : draft.type === 'A' ? 'IPv4 address' : draft.type === 'AAAA' ? 'IPv6 address' : 'Content', (props) => (
            <input {...props} className="input input-mono" value={draft.content} onChange={(e) => set('content', e.target.value)} spellCheck={false} autoComplete="off" />
          ))}
          {field('ttl', 'TTL', (props) => <input {...props} className="input input-number" inputMode="numeric" value={draft.ttl} onChange={(e) => set('ttl', e.target.value)} />, cloudflare ? '(1 = auto)' : '(seconds)')}
          {hasPriority.has(draft.type) &&
            field('priority', 'Priority', (props) => <input {...props} className="input input-number" inputMode="numeric" value={draft.priority} onChange={(e) => set('priority', e.target.value)} />)}
          {cloudflare && proxiable.has(draft.type) && (
            <div className="form-field form-field-proxied">
              <label className="switch-row">
                <Switch.Root className="switch" checked={draft.proxied} onCheckedChange={(checked) => set('proxied', checked)} aria-label="Proxied through Cloudflare">
                  <Switch.Thumb className="switch-thumb" />
                </Switch.Root>
                <span aria-hidden="true">Proxied through Cloudflare</span>
              </label>
              <p className="field-error" role="alert" hidden={!errors.proxied}>
                {errors.proxied}
              </p>
            </div>
          )}
        </div>
        {errors[''] && (
          <div className="dialog-error">
            <ErrorNotice error={save.error} />
          </div>
        )}
        <DialogActions label={editing ? 'Save record' : 'Add record'} busyLabel="Saving…" busy={save.isPending} disabled={save.isPending || !draft.name.trim() || !draft.content.trim()} />
      </form>
    </Dialog.Content>
  )
}
