/** A boolean setting as a Radix switch with its label and description; saves on change. */
import * as Switch from '@radix-ui/react-switch'
import type { Settings } from '../../../shared/contract'
import { fieldErrors } from '../rpc/errors'
import { useUpdateSettings } from '../rpc/queries'
import { FieldError } from './FieldError'
import { SettingRow } from './SettingRow'

/** The settings that are on or off. */
type BooleanSetting = { [K in keyof Settings]-?: Settings[K] extends boolean ? K : never }[keyof Settings]

export function SettingSwitch({ setting, checked, label, description }: { setting: BooleanSetting; checked: boolean; label: string; description: string }) {
  const update = useUpdateSettings()
  const error = update.error ? Object.values(fieldErrors(update.error))[0] : undefined
  const id = `setting-${setting}`
  return (
    <SettingRow label={label} htmlFor={id} description={description} descriptionId={`${id}-description`}>
      <Switch.Root
        id={id}
        className="switch"
        checked={checked}
        disabled={update.isPending}
        aria-describedby={`${id}-description`}
        onCheckedChange={(next) => update.mutate({ [setting]: next })}
      >
        <Switch.Thumb className="switch-thumb" />
      </Switch.Root>
      <FieldError id={`${id}-error`} message={error} />
    </SettingRow>
  )
}
