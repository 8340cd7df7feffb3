/**
 * Host names the operator relies on (seed 002's ipa.insightpulseai.net): added and removed as
 * chips, each change saved at once through settings.update. DNS flags those with no record.
 */
import { useQueryClient } from '@tanstack/react-query'
import { fieldErrors } from '../rpc/errors'
import { providerKeys } from '../rpc/provider-queries'
import { useUpdateSettings } from '../rpc/queries'
import { ChipInput } from '../ui/ChipInput'
import { SettingRow } from './SettingRow'

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/

/** Accepts what operators paste: a URL, a trailing dot, capitals. */
export function normalizeHostname(raw: string): { value: string } | { error: string } {
  let value = raw.trim().toLowerCase()
  value = value.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/?#].*$/, '').replace(/:\d+$/, '').replace(/\.$/, '')
  if (!HOSTNAME.test(value)) return { error: `“${raw.trim()}” is not a host name like ipa.example.com.` }
  return { value }
}

export function WatchedHostnamesField({ value }: { value: string[] }) {
  const update = useUpdateSettings()
  const client = useQueryClient()
  const id = 'setting-watchedHostnames'
  const errors = update.error ? fieldErrors(update.error) : {}
  const error = errors.watchedHostnames ?? errors['']
  // While a change is being saved, show it; the service's answer replaces it.
  const shown = update.isPending && update.variables?.watchedHostnames ? update.variables.watchedHostnames : value

  const save = (next: string[]) => {
    update.reset()
    update.mutate({ watchedHostnames: next }, { onSuccess: () => void client.invalidateQueries({ queryKey: providerKeys.missing }) })
  }

  return (
    <SettingRow
      label="Watched host names"
      htmlFor={id}
      description={
        <>
          Host names you rely on; DNS flags those with no record.
          {shown.length > 0 && <span className="faint"> {shown.length} watched.</span>}
        </>
      }
      descriptionId={`${id}-description`}
    >
      <ChipInput id={id} noun="host name" values={shown} onChange={save} placeholder="ipa.example.com" normalize={normalizeHostname} error={error} describedBy={`${id}-description`} />
    </SettingRow>
  )
}
