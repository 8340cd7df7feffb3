/** Settings: provider tokens (write-only, in the keychain), appearance, droplet safety, hosts, watched DNS names, terminal keys. */
import type { Settings } from '../../../shared/contract'
import { errorMessage } from '../rpc/errors'
import { useKeychainStatus, useSecretsStatus, useSettings } from '../rpc/queries'
import { useVerifyAccount } from '../rpc/provider-queries'
import { Callout } from '../ui/Callout'
import { AccountStatus } from './AccountStatus'
import { DigitalOceanTeams } from './DigitalOceanTeams'
import { EnforcementSwitch } from './EnforcementSwitch'
import { KeychainCallout } from './KeychainCallout'
import { NetworkSection } from './NetworkSection'
import { SettingsSection } from './SettingsSection'
import { SettingTextField } from './SettingTextField'
import { TeamSshUserField } from './TeamSshUserField'
import { TerminalShortcutsSwitch } from './TerminalShortcutsSwitch'
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
        <EnforcementSwitch enforced={settings.managedTagEnforced} managedTag={settings.managedTag} />
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
        <TerminalShortcutsSwitch toShell={settings.terminalShortcutsToShell} />
      </SettingsSection>
    </>
  )
}
