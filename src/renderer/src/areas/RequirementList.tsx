/** "Before you start": each thing an area needs, with its state where Dropdeck can tell. */
import type { Requirement } from '../navigation/areas'
import { useKeychainStatus, useSecretsStatus, useSettings } from '../rpc/queries'
import { RequirementRow } from './RequirementRow'

export function RequirementList({ requirements, onOpenSettings }: { requirements: Requirement[]; onOpenSettings: () => void }) {
  const secrets = useSecretsStatus()
  const keychain = useKeychainStatus().data
  const settings = useSettings().data
  // Status cannot be read while the keychain is down; say that rather than "checking" forever.
  const keychainDown = secrets.isError || keychain?.available === false

  return (
    <div className="requirements">
      <h3 className="requirements-title">Before you start</h3>
      <ul className="requirements-list">
        {requirements.map((requirement) => (
          <RequirementRow key={requirement.label} requirement={requirement} secrets={secrets.data} keychainDown={keychainDown} settings={settings} onOpenSettings={onOpenSettings} />
        ))}
      </ul>
    </div>
  )
}
