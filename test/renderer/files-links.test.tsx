// @vitest-environment jsdom
/**
 * Files' links into other areas (a terminal in a folder, a file followed in Logs) and the links into
 * Files from Containers (a mount's host folder, a Compose project's folder).
 */
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/contract'
import { encodeFileListing, type FileEntry } from '../../src/shared/contract/files'
import { filesHash, parseFilesHash, shellQuote } from '../../src/renderer/src/files/files-links'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type Container = Result<'containers.list'>[number]
type Inspect = Result<'containers.inspect'>

const host = (id: string): Host => ({ id, name: id, hostname: '10.0.0.5', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected' })
const entry = (name: string, type: FileEntry['type']): FileEntry => ({ name, type, size: 10, mtime: 1_760_000_000, owner: 'root', group: 'root', mode: type === 'dir' ? 0o755 : 0o644 })
const container = (over: Partial<Container>): Container => ({ id: 'c1', name: 'c1', image: 'odoo:18', state: 'running', health: null, exitCode: null, ports: [], createdAt: '2026-01-01T00:00:00Z', startedAt: '2026-01-01T00:00:01Z', finishedAt: null, project: null, ...over })
const inspect = (over: Partial<Inspect>): Inspect => ({ id: 'c1', name: 'c1', image: 'odoo:18', command: [], workingDir: '', user: '', env: [], mounts: [], ports: [], networks: [], networkMode: 'bridge', labels: {}, restartPolicy: { name: 'no', maximumRetries: 0 }, restartCount: 0, oomKilled: false, error: '', ...over })

// jsdom lays nothing out: give the listing's scroller a height so the virtualized rows render.
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight')
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get(this: HTMLElement) { return this.classList.contains('files-scroll') ? 600 : 0 } })
})
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight)
})

/** Files on two hosts; every listing holds a folder with a quote in its name and a log file. */
function filesFleet() {
  const listed: string[] = []
  return {
    listed,
    handlers: {
      'hosts.list': () => [host('web-1'), host('web-2')],
      'files.home': () => ({ path: '/root' }),
      'files.list': ({ hostId, path }: { hostId: string; path: string }) => {
        listed.push(`${hostId}:${path}`)
        return encodeFileListing(path, 'sftp', [entry("it's here", 'dir'), entry('app.log', 'file')])
      },
      'files.bookmarks.list': () => ({ bookmarks: [] }),
      'files.local.list': () => ({ path: '/home/op', entries: [] })
    }
  }
}

async function pick(name: string) {
  const row = await screen.findByText(name)
  fireEvent.click(row)
}

describe('Files: links out', () => {
  it('"Terminal here" opens a shell on the host that cds into the folder, quoted', async () => {
    const { handlers } = filesFleet()
    const { fake } = renderApp(
      { handlers: { ...handlers, 'terminals.open': () => ({ id: 'term-1' }), 'terminals.write': () => ({ ok: true as const }) } as never },
      '#/files'
    )
    await pick('app.log')
    fireEvent.click(screen.getByRole('button', { name: /Terminal here/ }))
    await waitFor(() => expect(window.location.hash).toBe('#/terminals'))
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'terminals.write')).toBe(true))
    expect(fake.calls.find((c) => c.method === 'terminals.open')?.params).toMatchObject({ hostId: 'web-1' })
    expect(fake.calls.find((c) => c.method === 'terminals.write')?.params).toEqual({ id: 'term-1', data: "cd '/root'\r" })
  })

  it('"Terminal here" with a folder selected starts in that folder, its quote escaped', async () => {
    const { handlers } = filesFleet()
    const { fake } = renderApp({ handlers: { ...handlers, 'terminals.open': () => ({ id: 'term-2' }), 'terminals.write': () => ({ ok: true as const }) } as never }, '#/files')
    await pick("it's here")
    fireEvent.click(screen.getByRole('button', { name: /Terminal here/ }))
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'terminals.write')).toBe(true))
    expect(fake.calls.find((c) => c.method === 'terminals.write')?.params).toEqual({ id: 'term-2', data: "cd '/root/it'\\''s here'\r" })
  })

  it('"Follow log" follows the selected file in Logs (a file source), and is off for a folder', async () => {
    const { handlers } = filesFleet()
    const { fake } = renderApp({ handlers: { ...handlers, 'logs.open': () => ({ id: 'log-1' }) } as never }, '#/files')
    await pick("it's here")
    expect((screen.getByRole('button', { name: /Follow log/ }) as HTMLButtonElement).disabled).toBe(true)
    await pick('app.log')
    fireEvent.click(screen.getByRole('button', { name: /Follow log/ }))
    await waitFor(() => expect(window.location.hash).toBe('#/logs'))
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'logs.open')).toBe(true))
    expect(fake.calls.find((c) => c.method === 'logs.open')?.params).toEqual({ hostId: 'web-1', source: { kind: 'file', path: '/root/app.log' } })
  })

  it('#/files/<host>?path=… opens that host at that folder', async () => {
    const { handlers, listed } = filesFleet()
    renderApp({ handlers: handlers as never }, filesHash('web-2', '/opt/odoo data'))
    await screen.findByText('app.log')
    expect(listed).toContain('web-2:/opt/odoo data')
    expect((screen.getByRole('combobox', { name: 'Host' }) as HTMLSelectElement).value).toBe('web-2')
    expect((screen.getByRole('textbox', { name: 'Path' }) as HTMLInputElement).value).toBe('/opt/odoo data')
  })
})

describe('Open in Files from Containers', () => {
  it("a mount's host folder and a Compose project's folder open in Files on that host", async () => {
    const { handlers, listed } = filesFleet()
    renderApp(
      {
        handlers: {
          ...handlers,
          'containers.list': ({ hostId }: { hostId: string }) => (hostId === 'web-2' ? [container({ id: 'a', name: 'odoo-odoo-1', project: 'odoo', projectDir: '/opt/odoo' })] : []),
          'containers.inspect': () => inspect({ id: 'a', name: 'odoo-odoo-1', mounts: [{ type: 'bind', source: '/srv/odoo/addons', destination: '/mnt/extra-addons', mode: 'rw', readOnly: false }, { type: 'tmpfs', source: '', destination: '/tmp', mode: '', readOnly: false }] })
        } as never
      },
      '#/containers'
    )
    const project = await screen.findByRole('group', { name: 'Project odoo' })
    fireEvent.click(within(project).getByRole('button', { name: "Open project odoo's folder in Files" }))
    await waitFor(() => expect(listed).toContain('web-2:/opt/odoo'))
    expect(parseFilesHash(window.location.hash)).toEqual({ hostId: 'web-2', path: '/opt/odoo' })

    window.location.hash = '#/containers'
    fireEvent.click(await screen.findByRole('button', { name: 'Show details of odoo-odoo-1' }))
    fireEvent.click(await screen.findByRole('tab', { name: 'Inspect' }))
    const mountLink = await screen.findByRole('button', { name: 'Open /srv/odoo/addons, mounted at /mnt/extra-addons in Files' })
    // Only the bind mount has a host folder; the tmpfs has none.
    expect(screen.getAllByRole('button', { name: /mounted at/ })).toHaveLength(1)
    fireEvent.click(mountLink)
    await waitFor(() => expect(listed).toContain('web-2:/srv/odoo/addons'))
    expect((screen.getByRole('textbox', { name: 'Path' }) as HTMLInputElement).value).toBe('/srv/odoo/addons')
  })
})

describe('shellQuote', () => {
  it('makes one shell word of any path', () => {
    expect(shellQuote('/var/log')).toBe("'/var/log'")
    expect(shellQuote("/a b/it's $(x)")).toBe("'/a b/it'\\''s $(x)'")
  })
})
