/** The managed-tag enforcement toggle (Radix switch); saves on change. */
import * as Switch from '@radix-ui/react-switch'
import { fieldErrors } from '../rpc/errors'
import { useUpdateSettings } from '../rpc/queries'
import { FieldError } from './FieldError'
import { SettingRow } from './SettingRow'

export function EnforcementSwitch({ enforced, managedTag }: { enforced: boolean; managedTag: string }) {
  const update = useUpdateSettings()
  const error = update.error ? Object.values(fieldErrors(update.error))[0] : undefined
  return (
    <SettingRow
      label="Enforce the managed tag"
      htmlFor="setting-managedTagEnforced"
      description={`When on, droplets without “${managedTag}” are read-only unless you unlock them for one action.`}
      descriptionId="setting-managedTagEnforced-description"
    >
      <Switch.Root
        id="setting-managedTagEnforced"
        className="switch"
        checked={enforced}
        disabled={update.isPending}
        aria-describedby="setting-managedTagEnforced-description"
        onCheckedChange={(checked) => update.mutate({ managedTagEnforced: checked })}
      >
        <Switch.Thumb className="switch-thumb" />
      </Switch.Root>
      <FieldError id="setting-managedTagEnforced-error" message={error} />
    </SettingRow>
  )
}
