/** Entry point: connect to main (IPC or the host's WebSocket), paint the remembered theme, render. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { connectDefault } from './rpc/client'
import { createConnectionStore } from './rpc/connection-state'
import { createQueryClient } from './rpc/query-client'
import { applyTheme, rememberedTheme } from './theme/apply-theme'
import './styles/tokens.css'
import './styles/base.css'
import './styles/controls.css'
import './styles/shell.css'
import './styles/empty-state.css'
import './styles/settings.css'
import './styles/overlays.css'
// Once one fleet.css: in the order its sections had (three small ones moved up beside their kin, none overriding another).
import './styles/utilities.css'
import './styles/layout.css'
import './styles/droplets-table.css'
import './styles/chips.css'
import './styles/droplet-sheet.css'
import './styles/dialogs.css'
import './styles/activity.css'
import './styles/dns.css'
import './styles/accounts.css'
import './styles/drawers.css'
import './styles/droplet-picker.css'
import './styles/ssh.css'
import './styles/terminals.css'
import './styles/host-group.css'
import './styles/containers.css'
import './styles/logs.css'
import './styles/files.css'
import './styles/health.css'
import './styles/deploys.css'

applyTheme(rememberedTheme())

// Electron's IPC has no connection phases; only the WebSocket bridge reports them.
const connection = createConnectionStore(window.dropdeck ? 'connected' : 'connecting')
const api = connectDefault((state) => connection.report(state))
const queryClient = createQueryClient()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={api} queryClient={queryClient} connection={connection} />
  </StrictMode>
)
