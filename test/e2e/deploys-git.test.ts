/**
 * The deploy dialog's sources as an operator meets them, in Chromium against the headless host, a real
 * sshd and a real dockerd from the bench: a Compose service `web` with `build: .` in a git clone on the
 * host (docker-compose 1.29). The git ref picker lists the clone's branches after a fetch; building
 * `main` deploys it, the build's output in its step; the registry login and the service's settings (with
 * the pre/post-deploy commands) fold out; a plain container says git deploys need a Compose `build:`.
 * The history shows each git deploy's ref @ commit, and a failed post-deploy command as an amber warning.
 * Screenshots go to test-results/screenshots/deploys-git-*.png, in both themes.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DockerDaemon } from '../fleet/dockerd'
import { dockerCall, listContainers, healthOf } from '../fleet/docker-api'
import { isPortFree } from '../fleet/net'
import { waitFor } from '../fleet/proc'
import { openPage, type WatchedPage } from '../support/browser'
import type { RunningHost } from '../support/host-harness'
import { startSshApp, type SshApp } from '../support/ssh-app'

const HOST = 'app-prod'

let app: SshApp | undefined
let running: RunningHost
let browser: Browser
let view: WatchedPage
let page: Page
let bCommit = ''
/** A commit pushed to the clone's remote (main), after the bench is up. */
let pushCommit: (name: string, files: Record<string, string>) => string

const problems = (v: WatchedPage) => v.problems.filter((p) => !p.includes('GL Driver Message'))
const webRow = (p: Page) => p.locator('tr[data-service="compose:gitw/web"]')
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com' } }).trim()

/** The Compose service `web` built from a git clone on the host, and the plain container `shop`: made before the droplet's sshd starts. */
async function prepareApps(docker: DockerDaemon, dir: string): Promise<void> {
  let port = 41_600
  while (!(await isPortFree('127.0.0.1', port))) port++
  const origin = join(dir, 'origin.git')
  const work = join(dir, 'work')
  const app = join(dir, 'app')
  git(dir, 'init', '-q', '--bare', '--initial-branch=main', origin)
  git(dir, 'clone', '-q', origin, work)
  const commit = (name: string, files: Record<string, string>) => {
    for (const [f, content] of Object.entries(files)) {
      mkdirSync(join(work, f, '..'), { recursive: true })
      writeFileSync(join(work, f), content)
    }
    git(work, 'add', '-A')
    git(work, 'commit', '-q', '-m', name)
    git(work, 'push', '-q', 'origin', 'HEAD:main')
    return git(work, 'rev-parse', 'HEAD')
  }
  git(work, 'checkout', '-q', '-B', 'main')
  commit('First page', {
    Dockerfile: ['FROM dropdeck/busybox:1', 'COPY www /www', 'ENV PORT=8080', 'CMD ["/bin/sh", "-c", "exec httpd -f -vv -p 127.0.0.1:${PORT} -h /www"]', ''].join('\n'),
    'docker-compose.yml': ['version: "3.8"', 'services:', '  web:', '    build: .', '    network_mode: host', `    environment: ["PORT=${port}"]`, '    healthcheck:', '      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:$$PORT/health || exit 1"]', '      interval: 500ms', '      timeout: 2s', '      retries: 2', ''].join('\n'),
    'www/health': '{"status":"ok","version":"A"}\n'
  })
  git(dir, 'clone', '-q', origin, app)
  execFileSync('docker-compose', ['-p', 'gitw', 'up', '-d', '--build'], { cwd: app, env: { ...process.env, DOCKER_HOST: docker.env.DOCKER_HOST }, stdio: 'pipe', timeout: 180_000 })
  pushCommit = commit
  bCommit = commit('Pricing page and a faster health check', { 'www/health': '{"status":"ok","version":"B"}\n', 'www/pricing.html': '<h1>Pricing</h1>\n' })
  const plain = await dockerCall(docker.socketPath, 'POST', '/containers/create', { query: { name: 'shop' }, body: { Image: 'dropdeck/web:deploy_bbbbbbbb', Env: [`PORT=${port + 1}`], HostConfig: { NetworkMode: 'host' } } })
  await dockerCall(docker.socketPath, 'POST', `/containers/${plain.json<{ Id: string }>().Id}/start`)
  await waitFor(async () => (await listContainers(docker.socketPath, { label: ['com.docker.compose.project=gitw'] })).some((c) => healthOf(c) === 'healthy'), { timeoutMs: 60_000, what: 'web healthy' })
}

beforeAll(async () => {
  app = await startSshApp('127.0.51.20', { name: HOST, docker: { seed: 'images', prepare: prepareApps }, env: (dir) => ({ DROPDECK_STATE_DIR: join(dir, 'state') }) })
  ;({ running, browser, view } = app)
  page = view.page
}, 300_000)

afterAll(async () => {
  await app?.stop()
})

describe('the deploy dialog\'s sources', { timeout: 300_000 }, () => {
  it('builds and deploys a branch picked from the host clone\'s refs, the build\'s output in its step', async () => {
    await page.keyboard.press('Alt+3')
    const hostRow = page.getByRole('table', { name: 'Hosts' }).locator('tr', { hasText: HOST })
    await hostRow.getByRole('button', { name: 'Connect' }).click()
    await hostRow.getByText('connected', { exact: true }).waitFor({ timeout: 20_000 })
    await page.keyboard.press('Alt+9')
    await webRow(page).waitFor({ timeout: 30_000 })

    await webRow(page).getByRole('button', { name: 'Deploy' }).click()
    const dialog = page.getByRole('dialog', { name: 'Deploy web' })
    await dialog.getByRole('radiogroup', { name: 'Where the version comes from' }).getByText('Git ref').click()
    const branches = dialog.getByRole('group', { name: 'Branches' })
    await branches.getByRole('button', { name: /main/ }).waitFor({ timeout: 60_000 })
    expect(await branches.innerText()).toMatch(/main\s+Pricing page and a faster health check/)
    await branches.getByRole('button', { name: /main/ }).click()
    expect(await dialog.getByRole('button', { name: /main/, pressed: true }).count()).toBe(1)
    await view.screenshot('deploys-git-dialog')
    expect(problems(view)).toEqual([])

    await dialog.getByRole('button', { name: 'Build and deploy main' }).click()
    const timeline = page.getByLabel('Deploy of web')
    await timeline.getByText(`web runs deploy_${bCommit.slice(0, 8)}`).waitFor({ timeout: 240_000 })
    const steps = await timeline.locator('li.deploy-step').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-step')}:${li.getAttribute('data-status')}`))
    expect(steps).toEqual(expect.arrayContaining(['build:ok', 'checkout:ok', 'health:ok', 'switch:ok', 'release:ok']))
    expect(await timeline.getByLabel(/^Build output, last \d+ of \d+ lines$/).innerText()).toMatch(/Successfully (built|tagged)/)
    expect(await timeline.innerText()).toMatch(new RegExp(`Built from main at ${bCommit.slice(0, 12)} Pricing page`))
    await view.screenshot('deploys-git-built')
    await timeline.getByRole('button', { name: 'Close' }).click()
    expect(problems(view)).toEqual([])
  }, 300_000)

  it('folds out a registry login for one pull and the service\'s settings with the pre/post-deploy commands; a plain container says git needs a Compose build:', async () => {
    await webRow(page).getByRole('button', { name: 'Deploy' }).click()
    const dialog = page.getByRole('dialog', { name: 'Deploy web' })
    await dialog.getByRole('radiogroup', { name: 'Where the version comes from' }).getByText('Tag to pull').click()
    await dialog.getByText('Log in to Docker Hub for this pull').click()
    await dialog.getByLabel('User name').fill('ci-bot')
    expect(await dialog.getByRole('button', { name: /^Deploy / }).isDisabled()).toBe(true) // no tag, and a login half given
    await dialog.getByText('Deploy settings for web').click()
    const pre = dialog.getByLabel('Pre-deploy command')
    await pre.waitFor()
    await pre.fill('./scripts/check-migrations.sh')
    await dialog.getByRole('button', { name: 'Save settings' }).click()
    await dialog.getByText('Saved.').waitFor()
    await view.screenshot('deploys-git-login-settings')
    await page.keyboard.press('Escape')

    const dark = await openPage(browser, running.host.url, { colorScheme: 'dark' })
    await dark.page.getByText('Connected', { exact: true }).waitFor()
    await dark.page.keyboard.press('Alt+9')
    await webRow(dark.page).waitFor({ timeout: 30_000 })
    await webRow(dark.page).getByRole('button', { name: 'Deploy' }).click()
    const darkDialog = dark.page.getByRole('dialog', { name: 'Deploy web' })
    await darkDialog.getByRole('radiogroup', { name: 'Where the version comes from' }).getByText('Git ref').click()
    await darkDialog.getByRole('group', { name: 'Branches' }).waitFor({ timeout: 60_000 })
    await darkDialog.getByText('Deploy settings for web').click()
    expect(await darkDialog.getByLabel('Pre-deploy command').inputValue()).toBe('./scripts/check-migrations.sh')
    await dark.screenshot('deploys-git-dialog-dark')
    await dark.page.keyboard.press('Escape')

    await dark.page.locator('tr[data-service="container:shop"]').getByRole('button', { name: 'Deploy' }).click()
    const shop = dark.page.getByRole('dialog', { name: 'Deploy shop' })
    await shop.getByRole('radiogroup', { name: 'Where the version comes from' }).getByText('Git ref').click()
    expect(await shop.innerText()).toMatch(/Git deploys need a Compose build:[\s\S]*shop is a plain container/)
    await dark.screenshot('deploys-git-plain-dark')
    expect(problems(dark)).toEqual([])
    await dark.page.context().close()
  }, 120_000)

  it('the history shows each git deploy\'s ref @ commit (the subject on hover) and a failed post-deploy command as an amber warning that opens', async () => {
    const cCommit = pushCommit('Contact page', { 'www/contact.html': '<h1>Contact</h1>\n' })
    const c8 = cCommit.slice(0, 8)
    await webRow(page).getByRole('button', { name: 'Deploy' }).click()
    const dialog = page.getByRole('dialog', { name: 'Deploy web' })
    await dialog.getByRole('radiogroup', { name: 'Where the version comes from' }).getByText('Git ref').click()
    await dialog.getByText('Deploy settings for web').click()
    await dialog.getByLabel('Pre-deploy command').fill('')
    await dialog.getByLabel('Post-deploy command').fill('echo warming the cache; exit 4')
    await dialog.getByRole('button', { name: 'Save settings' }).click()
    await dialog.getByText('Saved.').waitFor()
    const branches = dialog.getByRole('group', { name: 'Branches' })
    await branches.getByRole('button', { name: /main\s+Contact page/ }).waitFor({ timeout: 60_000 })
    await branches.getByRole('button', { name: /main/ }).click()
    await dialog.getByRole('button', { name: 'Build and deploy main' }).click()
    const timeline = page.getByLabel('Deploy of web')
    await timeline.getByText(`web runs deploy_${c8}`).waitFor({ timeout: 240_000 })
    await timeline.getByRole('button', { name: 'Close' }).click()

    await webRow(page).getByRole('button', { name: 'History' }).click()
    const history = page.getByRole('table', { name: 'History of web' })
    const newest = history.locator('tbody tr').first()
    await newest.getByText(`main @ ${c8}`).waitFor({ timeout: 20_000 })
    expect(await newest.getByText(`main @ ${c8}`).getAttribute('title')).toBe(`${cCommit}\nContact page`)
    expect(await history.locator('tbody tr').nth(1).getByText(`main @ ${bCommit.slice(0, 8)}`).count()).toBe(1)
    const marker = newest.getByText('1 warning')
    expect(await marker.getAttribute('title')).toMatch(/^the post-deploy command exited with 4: warming the cache; the new version stays$/)
    await marker.click()
    await newest.getByRole('listitem').waitFor()
    // the services list catches up with the deploy (the row's version), so the screenshot shows one moment
    await webRow(page).getByText(`deploy_${c8}`).first().waitFor({ timeout: 20_000 })
    await view.screenshot('deploys-git-history')
    expect(problems(view)).toEqual([])

    const dark = await openPage(browser, running.host.url, { colorScheme: 'dark' })
    await dark.page.getByText('Connected', { exact: true }).waitFor()
    await dark.page.keyboard.press('Alt+9')
    await webRow(dark.page).waitFor({ timeout: 30_000 })
    await webRow(dark.page).getByRole('button', { name: 'History' }).click()
    const darkNewest = dark.page.getByRole('table', { name: 'History of web' }).locator('tbody tr').first()
    await darkNewest.getByText('1 warning').click()
    await darkNewest.getByRole('listitem').waitFor({ timeout: 20_000 })
    await dark.screenshot('deploys-git-history-dark')
    expect(problems(dark)).toEqual([])
    await dark.page.context().close()
  }, 300_000)
})
