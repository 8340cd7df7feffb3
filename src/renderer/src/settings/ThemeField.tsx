/** Theme as a three-way segmented control (native radios, so arrow keys work); saves on change. */
import { Monitor, Moon, Sun } from 'lucide-react'
import type { Settings } from '../../../shared/contract'
import { fieldErrors } from '../rpc/errors'
import { useUpdateSettings } from '../rpc/queries'
import { FieldError } from './FieldError'
import { SettingRow } from './SettingRow'

const options: Array<{ value: Settings['theme']; label: string; icon: typeof Sun }> = [
  { value: 'system', label: 'System', icon: Monitor },
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'dark', label: 'Dark', icon: Moon }
]

export function ThemeField({ theme }: { theme: Settings['theme'] }) {
  const update = useUpdateSettings()
  const error = update.error ? Object.values(fieldErrors(update.error))[0] : undefined
  return (
    <SettingRow label={<span id="theme-label">Theme</span>} description="System follows your OS appearance.">
      <div className="segmented" role="radiogroup" aria-labelledby="theme-label">
        {options.map(({ value, label, icon: Icon }) => (
          <label key={value} className="segmented-option">
            <input type="radio" name="theme" value={value} checked={theme === value} onChange={() => update.mutate({ theme: value })} />
            <Icon size={13} aria-hidden="true" />
            {label}
          </label>
        ))}
      </div>
      <FieldError id="theme-error" message={error} />
    </SettingRow>
  )
}
