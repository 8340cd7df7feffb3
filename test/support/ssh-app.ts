/**
 * The app against one real sshd from the bench: a Secret Service, one droplet listed in an ssh_config
 * the host reads (DROPDECK_SSH_CONFIG), the headless host, and Chromium on its URL.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { startDroplets, type Droplets } from '../fleet/sshd'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { launchChromium, openPage, type WatchedPage } from './browser'
import { runHost, type RunningHost } from './host-harness'

export interface SshApp {
  droplets: Droplets
  running: RunningHost
  view: WatchedPage
  stop(): Promise<void>
}

/** `baseAddress` keeps test files that run at once on different loopback addresses. */
export async function startSshApp(baseAddress: string): Promise<SshApp> {
  const dir = await mkdtemp(join(tmpdir(), 'dropdeck-e2e-ssh-'))
  let keyring: SecretService | undefined
  let droplets: Droplets | undefined
  let running: RunningHost | undefined
  let browser: Browser | undefined
  const stop = async () => {
    await browser?.close()
    await running?.stop()
    await droplets?.stop()
    await keyring?.stop()
    delete process.env.DROPDECK_SSH_CONFIG
    await rm(dir, { recursive: true, force: true })
  }
  try {
    keyring = await startSecretService()
    Object.assign(process.env, keyring.env)
    droplets = await startDroplets({ count: 1, dir: join(dir, 'ssh'), baseAddress, port: 'auto' })
    process.env.DROPDECK_SSH_CONFIG = writeSshClientFiles(dir, droplets.droplets).sshConfigPath
    running = await runHost()
    browser = await launchChromium()
    const view = await openPage(browser, running.host.url)
    // Keys pressed before the app is up would go nowhere.
    await view.page.getByText('Connected', { exact: true }).waitFor()
    return { droplets, running, view, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
