/**
 * The Electron window's edge in plain Node (security review #3 and #14): which URL the window opens,
 * which file an app:// request may read (nothing outside the renderer folder, by `..` or by symlink),
 * the Electron CSP on every response, and the IPC sender check trusting exactly app://dropdeck/index.html.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_RENDERER_URL, appResponse, rendererEntryUrl, resolveAppFile } from '../../src/main/security/app-protocol'
import { electronContentSecurityPolicy } from '../../src/main/security/electron-csp'
import { isPermissionAllowed, isRendererUrl } from '../../src/main/security/url-policy'

let scratch: string
let root: string

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dropdeck-app-protocol-'))
  root = join(scratch, 'renderer')
  await mkdir(join(root, 'assets'), { recursive: true })
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Dropdeck</title>')
  await writeFile(join(root, 'assets/index-abc.js'), 'console.log(1)')
  await writeFile(join(root, 'assets/index-abc.css'), 'body{}')
  await writeFile(join(scratch, 'secret.txt'), 'outside the renderer')
  await mkdir(join(scratch, 'renderer2'))
  await writeFile(join(scratch, 'renderer2/index.html'), 'the sibling folder')
  // Symlinks out of the renderer folder: to a file, and to a folder.
  await symlink(join(scratch, 'secret.txt'), join(root, 'assets/leak.js'))
  await symlink(scratch, join(root, 'up'))
  // A symlink that stays inside is fine.
  await symlink(join(root, 'assets/index-abc.js'), join(root, 'alias.js'))
})

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

describe('the window URL (ELECTRON_RENDERER_URL)', () => {
  it('is app://dropdeck/index.html in a packaged app, whatever the environment says', () => {
    expect(rendererEntryUrl({ isPackaged: true, devServerUrl: 'https://evil.example/' })).toBe(APP_RENDERER_URL)
    expect(rendererEntryUrl({ isPackaged: true })).toBe('app://dropdeck/index.html')
  })
  it("is electron-vite's dev server only in an unpackaged app", () => {
    expect(rendererEntryUrl({ isPackaged: false, devServerUrl: 'http://localhost:5173' })).toBe('http://localhost:5173')
    expect(rendererEntryUrl({ isPackaged: false })).toBe(APP_RENDERER_URL)
    expect(rendererEntryUrl({ isPackaged: false, devServerUrl: '' })).toBe(APP_RENDERER_URL)
  })
})

describe('resolveAppFile', () => {
  it('maps app://dropdeck/ paths to files in the renderer folder', async () => {
    expect(await resolveAppFile(root, 'app://dropdeck/index.html')).toBe(join(root, 'index.html'))
    expect(await resolveAppFile(root, 'app://dropdeck/')).toBe(join(root, 'index.html'))
    expect(await resolveAppFile(root, 'app://dropdeck')).toBe(join(root, 'index.html'))
    expect(await resolveAppFile(root, 'app://dropdeck/index.html?x=1#/settings')).toBe(join(root, 'index.html'))
    expect(await resolveAppFile(root, 'app://dropdeck/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'))
    expect(await resolveAppFile(root, 'app://dropdeck/alias.js')).toBe(join(root, 'assets/index-abc.js'))
  })

  it('reads nothing outside it: dot segments, encodings, other hosts and schemes, folders, symlinks out', async () => {
    const refused = [
      'app://dropdeck/..%2fsecret.txt',
      'app://dropdeck/assets/..%2f..%2fsecret.txt',
      'app://dropdeck/%2e%2e%2fsecret.txt',
      'app://dropdeck/..%5csecret.txt',
      'app://dropdeck/assets%5c..%5c..%5csecret.txt',
      'app://dropdeck/%252e%252e/secret.txt',
      'app://dropdeck/index.html%00.js',
      'app://dropdeck//etc/passwd',
      'app://dropdeck/%2fetc%2fpasswd',
      'app://dropdeck/..%2frenderer2/index.html',
      'app://dropdeck/%E0%A4%A',
      'app://dropdeck/assets',
      'app://dropdeck/assets/',
      'app://dropdeck/missing.js',
      'app://dropdeck/assets/leak.js',
      'app://dropdeck/up/secret.txt',
      'app://other/index.html',
      'app://dropdeck:1/index.html',
      'app://user@dropdeck/index.html',
      'file:///etc/passwd',
      `file://${join(root, 'index.html')}`,
      'https://dropdeck/index.html',
      'not a url'
    ]
    for (const url of refused) expect(await resolveAppFile(root, url), url).toBeUndefined()
  })
})

describe('appResponse', () => {
  it('serves a file with its type and the Electron CSP', async () => {
    const res = await appResponse(root, { url: 'app://dropdeck/assets/index-abc.js', method: 'GET' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toBe(electronContentSecurityPolicy)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await res.text()).toBe('console.log(1)')
    const page = await appResponse(root, { url: 'app://dropdeck/index.html', method: 'GET' })
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(await page.text()).toBe(await readFile(join(root, 'index.html'), 'utf8'))
  })

  it('answers 404 outside the folder, 405 to other methods, and HEAD without a body, all with the CSP', async () => {
    const leak = await appResponse(root, { url: 'app://dropdeck/assets/leak.js', method: 'GET' })
    expect(leak.status).toBe(404)
    expect(await leak.text()).not.toContain('outside the renderer')
    const post = await appResponse(root, { url: 'app://dropdeck/index.html', method: 'POST' })
    expect(post.status).toBe(405)
    const head = await appResponse(root, { url: 'app://dropdeck/index.html', method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    for (const res of [leak, post, head]) expect(res.headers.get('content-security-policy')).toBe(electronContentSecurityPolicy)
  })
})

describe('the Electron CSP', () => {
  const directives = new Map(electronContentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]))
  it('lets the window connect nowhere: it talks to main over IPC only', () => {
    expect(directives.get('connect-src')).toBe("'none'")
    expect(electronContentSecurityPolicy).not.toMatch(/ws:|wss:|http:|https:|127\.0\.0\.1|localhost|\*/)
  })
  it('runs only its own scripts and cannot be framed', () => {
    expect(directives.get('default-src')).toBe("'none'")
    expect(directives.get('script-src')).toBe("'self'")
    expect(directives.get('frame-ancestors')).toBe("'none'")
    expect(directives.get('object-src')).toBe("'none'")
  })
})

describe('the IPC sender check and permissions', () => {
  it('trusts our window at app://dropdeck/index.html, with any hash or query', () => {
    expect(isRendererUrl(APP_RENDERER_URL, APP_RENDERER_URL)).toBe(true)
    expect(isRendererUrl('app://dropdeck/index.html#/settings', APP_RENDERER_URL)).toBe(true)
    expect(isPermissionAllowed('clipboard-read', 'app://dropdeck/index.html#/terminals', APP_RENDERER_URL, true)).toBe(true)
  })
  it('refuses other app:// hosts and pages, the old file:// page, and web origins', () => {
    for (const url of ['app://other/index.html', 'app://dropdeck/other.html', 'app://dropdeck/', 'app://dropdeck:1/index.html', 'file:///opt/Dropdeck/resources/app.asar/out/renderer/index.html', 'https://dropdeck/index.html', 'http://localhost:5173/', 'about:blank', '']) {
      expect(isRendererUrl(url, APP_RENDERER_URL), url).toBe(false)
    }
    expect(isPermissionAllowed('clipboard-read', 'app://dropdeck/index.html', APP_RENDERER_URL, false)).toBe(false)
  })
})
