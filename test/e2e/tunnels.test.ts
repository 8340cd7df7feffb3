/**
 * Issue 4's core as an operator uses it, in Chromium against the headless host and a real sshd from
 * the bench: connect a host from ssh_config, open a tunnel from the UI, and reach a service behind it;
 * log in to a host that takes a password, asked once in a dialog.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { passwordAccount } from '../../src/main/ssh/auth'
import { createKeychain } from '../../src/main/secrets/keychain'
import { startDroplets } from '../fleet/sshd'
import { startSshApp, type SshApp } from '../support/ssh-app'
import { createCallContext } from '../../src/main/rpc/context'

let app: SshApp
let service: Server

beforeAll(async () => {
  // The "internal UI" behind the droplet: reachable from the droplet as localhost.
  service = createServer((_req, res) => res.end('mlflow says hello'))
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve))
  app = await startSshApp('127.0.3.2')
})

afterAll(async () => {
  await app?.stop()
  await new Promise((resolve) => service?.close(resolve))
})

describe('hosts and tunnels in the app', () => {
  it('connects a host from ssh_config and reaches a service through a tunnel opened in the UI', async () => {
    const { view, running, droplets } = app
    const { page } = view
    const name = droplets.droplets[0].name
    await page.keyboard.press('Alt+3')
    const hosts = page.getByRole('table', { name: 'Hosts' })
    const row = hosts.locator('tr', { hasText: name })
    await row.waitFor()
    await row.getByRole('button', { name: 'Connect' }).click()
    await row.getByText('connected', { exact: true }).waitFor({ timeout: 20_000 })
    await view.screenshot('hosts-connected')

    await page.keyboard.press('Alt+7')
    await page.getByRole('button', { name: 'New tunnel' }).first().click()
    await page.getByLabel('Remote host').fill('127.0.0.1')
    await page.getByLabel('Remote port').fill(String((service.address() as AddressInfo).port))
    await page.getByRole('button', { name: 'Start tunnel' }).click()
    await expect.poll(async () => (await running.services.router.call('tunnels.list', {}, createCallContext('test', running.services.bus))) as { ok: true; result: Array<{ state: string; localPort: number }> }, { timeout: 20_000 }).toMatchObject({ result: [{ state: 'up' }] })
    const listed = (await running.services.router.call('tunnels.list', {}, createCallContext('test', running.services.bus))) as { ok: true; result: Array<{ localPort: number }> }
    const response = await fetch(`http://127.0.0.1:${listed.result[0].localPort}/`)
    expect(await response.text()).toBe('mlflow says hello')
    await page.getByText('up', { exact: true }).first().waitFor()
    // Counters reach the UI within their one-second batching.
    await expect.poll(() => page.locator('tbody tr').first().innerText(), { timeout: 5000 }).not.toMatch(/\b0 B\s+0 B/)
    await view.screenshot('tunnels-up')

    // Start on launch, by mouse and back by keyboard: the app owns the tunnel, then the window again.
    const listTunnels = async () => ((await running.services.router.call('tunnels.list', {}, createCallContext('test', running.services.bus))) as { ok: true; result: Array<{ startOnLaunch: boolean }> }).result
    const toggle = page.getByRole('switch', { name: `Start on launch: tunnel on port ${listed.result[0].localPort}` })
    await toggle.click()
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true')
    expect(await listTunnels()).toMatchObject([{ startOnLaunch: true }])
    await toggle.focus()
    await page.keyboard.press('Space')
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false')
    expect(await listTunnels()).toMatchObject([{ startOnLaunch: false }])
    expect(view.problems).toEqual([])
  })

  it.skipIf(process.getuid?.() !== 0)('asks for the password of a host that takes one, says when it is refused, and keeps it in the keychain', async () => {
    const { view } = app
    const { page } = view
    const user = `ddpwe${randomBytes(3).toString('hex')}`
    const dir = mkdtempSync(join(tmpdir(), 'dd-e2e-pw-'))
    execFileSync('useradd', ['--no-create-home', '--shell', '/bin/sh', user])
    execFileSync('chpasswd', { input: `${user}:right-Horse-7\n` })
    const fleet = await startDroplets({ count: 1, names: ['pwbox'], dir: join(dir, 'fleet'), baseAddress: '127.0.48.30', port: 'auto', user, passwordLogins: 'password' })
    try {
      const d = fleet.droplets[0]
      const knownHosts = join(dir, 'known_hosts')
      writeFileSync(knownHosts, `[${d.host}]:${d.port} ${d.hostPublicKey}\n`)
      // ssh_config is read on every call: the new host shows up once the list is fetched again.
      appendFileSync(process.env.DROPDECK_SSH_CONFIG!, `\nHost pwbox\n    HostName ${d.host}\n    Port ${d.port}\n    User ${user}\n    IdentityFile ${join(dir, 'no_key')}\n    IdentitiesOnly yes\n    UserKnownHostsFile ${knownHosts}\n`)
      await page.reload()
      await page.getByText('Connected', { exact: true }).waitFor()
      await page.keyboard.press('Alt+3')
      const row = page.getByRole('table', { name: 'Hosts' }).locator('tr', { hasText: 'pwbox' })
      await row.getByRole('button', { name: 'Connect' }).click()

      const dialog = page.getByRole('dialog', { name: 'Password for pwbox' })
      await dialog.getByLabel('Password').fill('wrong-Horse-0')
      await dialog.getByRole('button', { name: 'Connect' }).click()
      await dialog.getByText('pwbox refused that password').waitFor({ timeout: 20_000 })
      await view.screenshot('password-refused')
      await dialog.getByLabel('Password').fill('right-Horse-7')
      await dialog.getByLabel('Remember in the OS keychain').check()
      await page.keyboard.press('Enter')
      await row.getByText('connected', { exact: true }).waitFor({ timeout: 20_000 })
      await dialog.waitFor({ state: 'hidden' })
      expect(await createKeychain().get(passwordAccount({ user, hostname: d.host, port: d.port }))).toBe('right-Horse-7')
      expect(view.problems).toEqual([])
    } finally {
      await fleet.stop()
      rmSync(dir, { recursive: true, force: true })
      execFileSync('userdel', [user])
    }
  })
})
