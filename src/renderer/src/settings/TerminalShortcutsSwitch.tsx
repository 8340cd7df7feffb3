/** Where the app's shortcuts go while a terminal has the focus (Radix switch); saves on change. */
import * as Switch from '@radix-ui/react-switch'
import { modKey } from '../navigation/shortcuts'
import { fieldErrors } from '../rpc/errors'
import { useUpdateSettings } from '../rpc/queries'
import { FieldError } from './FieldError'
import { SettingRow } from './SettingRow'

export function TerminalShortcutsSwitch({ toShell }: { toShell: boolean }) {
  const update = useUpdateSettings()
  const error = update.error ? Object.values(fieldErrors(update.error))[0] : undefined
  return (
    <SettingRow
      label="Send the app’s shortcuts to the shell"
      htmlFor="setting-terminalShortcutsToShell"
      description={`With a terminal focused, Alt+digit, ${modKey}+K and ${modKey}+, go to Dropdeck. Turn this on to send them to the shell instead (as bash uses Ctrl+K to cut to the end of the line).`}
      descriptionId="setting-terminalShortcutsToShell-description"
    >
      <Switch.Root
        id="setting-terminalShortcutsToShell"
        className="switch"
        checked={toShell}
        disabled={update.isPending}
        aria-describedby="setting-terminalShortcutsToShell-description"
        onCheckedChange={(checked) => update.mutate({ terminalShortcutsToShell: checked })}
      >
        <Switch.Thumb className="switch-thumb" />
      </Switch.Root>
      <FieldError id="setting-terminalShortcutsToShell-error" message={error} />
    </SettingRow>
  )
}
