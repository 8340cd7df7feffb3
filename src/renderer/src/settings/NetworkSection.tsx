/**
 * Settings, Network: the proxy auto-config address (the headless host; Electron follows the system's proxy
 * settings), credentials for proxies the PAC file or the system choose, and the connection test.
 */
import type { Settings } from '../../../shared/contract'
import { ConnectionTest } from './ConnectionTest'
import { ProxyCredentialsField } from './ProxyCredentialsField'
import { SettingsSection } from './SettingsSection'
import { SettingTextField } from './SettingTextField'

export function NetworkSection({ settings, canStore }: { settings: Settings; canStore: boolean }) {
  return (
    <SettingsSection
      id="network"
      title="Network"
      description="Provider APIs and SSH hosts go through the same route: this PAC file when set, else DROPDECK_PAC_URL, else HTTPS_PROXY. The desktop app follows the system’s proxy settings."
    >
      <SettingTextField
        field="proxyAutoConfigUrl"
        label="Proxy auto-config (PAC)"
        description="A PAC file’s address (https://, file://) or path; empty for none."
        value={settings.proxyAutoConfigUrl}
      />
      <ProxyCredentialsField canStore={canStore} />
      <ConnectionTest />
    </SettingsSection>
  )
}
