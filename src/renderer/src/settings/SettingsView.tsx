/** Settings: provider tokens (write-only, in the keychain), appearance, droplet safety, hosts, watched DNS names, terminal keys. */
import type { Settings } from '../../../shared/contract'
import { modKey } from '../navigation/shortcuts'
import { errorMessage } from '../rpc/errors'
import { useKeychainStatus, useSecretsStatus, useSettings } from '../rpc/queries'
import { useVerifyAccount } from '../rpc/provider-queries'
import { Callout } from '../ui/Callout'
import { AccountStatus } from './AccountStatus'
import { DigitalOceanTeams } from './DigitalOceanTeams'
import { KeychainCallout } from './KeychainCallout'
import { NetworkSection } from './NetworkSection'
import { SettingsSection } from './SettingsSection'
import { SettingSwitch } from './SettingSwitch'
import { SettingTextField } from './SettingTextField'
import { TeamSshUserField } from './TeamSshUserField'
import { ThemeField } from './ThemeField'
import { TokenField } from './TokenField'
import { WatchedHostnamesField } from './WatchedHostnamesField'

export function SettingsView() {
  const keychain = useKeychainStatus().data
  const secrets = useSecretsStatus().data
  const settings = useSettings()
  const canStore = keychain?.available === true
  const backend = keychain?.backend
  const verify = useVerifyAccount()

  return (
    <div className="settings">
      <SettingsSection
        id="tokens"
        title="Provider tokens"
        description={`Kept in ${backend ?? 'the OS keychain'}, never on disk. Once saved, a token is never shown again.`}
        before={<KeychainCallout />}
      >
        <TokenField
          secretKey="digitalocean"
          name="DigitalOcean"
          description="A personal access token with read and write scope, for droplets and DigitalOcean DNS."
          placeholder="dop_v1_…"
          stored={secrets?.digitalocean}
          backend={backend}
          canStore={canStore}
          onSaved={() => verify.mutate('digitalocean')}
        >
          <AccountStatus provider="digitalocean" stored={secrets?.digitalocean} />
        </TokenField>
        <TokenField
          secretKey="cloudflare"
          name="Cloudflare"
          description="An API token with Zone → DNS → Edit permission, for zones at Cloudflare."
          placeholder="Cloudflare API token"
          stored={secrets?.cloudflare}
          backend={backend}
          canStore={canStore}
          onSaved={() => verify.mutate('cloudflare')}
        >
          <AccountStatus provider="cloudflare" stored={secrets?.cloudflare} />
        </TokenField>
      </SettingsSection>
      <SettingsSection id="teams" title="DigitalOcean teams" description="Like doctl’s contexts: several teams, one token each, one active at a time.">
        <DigitalOceanTeams canStore={canStore} />
      </SettingsSection>
      {settings.data ? (
        <>
          <Preferences settings={settings.data} />
          <NetworkSection settings={settings.data} canStore={canStore} />
        </>
      ) : settings.isError ? (
        <Callout tone="danger" title="Settings could not be loaded">
          {errorMessage(settings.error)}
        </Callout>
      ) : null}
    </div>
  )
}

function Preferences({ settings }: { settings: Settings }) {
  return (
    <>
      <SettingsSection id="appearance" title="Appearance">
        <ThemeField theme={settings.theme} />
      </SettingsSection>
      <SettingsSection id="safety" title="Droplet safety" description="Guards against changing droplets that other tooling manages.">
        <SettingTextField field="managedTag" label="Managed tag" description="The tag that marks droplets Dropdeck may change." value={settings.managedTag} />
        <SettingSwitch
          setting="managedTagEnforced"
          checked={settings.managedTagEnforced}
          label="Enforce the managed tag"
          description={`When on, droplets without “${settings.managedTag}” are read-only unless you unlock them for one action.`}
        />
      </SettingsSection>
      <SettingsSection id="hosts" title="Hosts and alerts">
        <SettingTextField field="defaultSshUser" label="Default SSH user" description="Used for droplets that ~/.ssh/config does not name a User for." value={settings.defaultSshUser} />
        <TeamSshUserField settings={settings} />
        <SettingTextField
          field="alertThresholdPercent"
          label="Alert threshold"
          description="Disk or memory use above this flags a host (50–99)."
          value={settings.alertThresholdPercent}
          unit="%"
          numeric
        />
      </SettingsSection>
      <SettingsSection id="dns" title="DNS">
        <WatchedHostnamesField value={settings.watchedHostnames} />
      </SettingsSection>
      <SettingsSection id="terminals" title="Terminals">
        <SettingSwitch
          setting="terminalShortcutsToShell"
          checked={settings.terminalShortcutsToShell}
          label="Send the app’s shortcuts to the shell"
          description={`With a terminal focused, Alt+digit, ${modKey}+K and ${modKey}+, go to Dropdeck. Turn this on to send them to the shell instead (as bash uses Ctrl+K to cut to the end of the line).`}
        />
      </SettingsSection>
    </>
  )
}
