/**
 * Checks for an update once at launch in installed builds (update-policy.ts), through
 * electron-updater and the feed electron-builder wrote into the app (app-update.yml, from
 * electron-builder.yml's `publish`: a generic HTTPS feed). electron-updater refuses a download whose
 * sha512 differs from latest*.yml, and on Windows one not signed by `publisherName`; on macOS
 * Squirrel checks the code signature. A downloaded update installs when the app quits.
 */
import { app } from 'electron'
import electronUpdater from 'electron-updater'
import { updateDecision } from './update-policy'

export function checkForUpdatesOnLaunch(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  const decision = updateDecision({ isPackaged: app.isPackaged, env })
  if (!decision.check) {
    log(`updates: not checking (${decision.reason})`)
    return
  }
  // electron-updater is CommonJS: its named exports are getters the ESM loader cannot see.
  const { autoUpdater } = electronUpdater
  autoUpdater.logger = null
  autoUpdater.autoDownload = true
  autoUpdater.autoInstallOnAppQuit = true
  autoUpdater.on('error', (err: Error) => log(`updates: ${err.message}`))
  autoUpdater.on('update-downloaded', (info: { version: string }) => log(`updates: ${info.version} downloaded; it installs when Dropdeck quits`))
  autoUpdater.checkForUpdates().catch((err: Error) => log(`updates: the check failed: ${err.message}`))
}
