import { describe, expect, it } from 'vitest'
import { isExternalUrlAllowed, isPermissionAllowed, isRendererUrl } from '../../src/main/security/url-policy'

describe('openExternal policy', () => {
  it('allows http(s) tunnel and console URLs', () => {
    expect(isExternalUrlAllowed('http://127.0.0.1:5000/')).toBe(true)
    expect(isExternalUrlAllowed('https://cloud.digitalocean.com/droplets/1')).toBe(true)
  })
  it('refuses every other scheme, credentials in the URL, and garbage', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'vscode://x', 'https://user:pw@example.com/', 'not a url', '']) {
      expect(isExternalUrlAllowed(url), url).toBe(false)
    }
  })
})

describe('IPC sender check', () => {
  const renderer = 'file:///opt/Dropdeck/resources/app.asar/out/renderer/index.html'
  it('accepts our renderer page, with any query or hash', () => {
    expect(isRendererUrl(renderer, renderer)).toBe(true)
    expect(isRendererUrl(`${renderer}#/settings`, renderer)).toBe(true)
    expect(isRendererUrl('http://localhost:5173/?x=1', 'http://localhost:5173/')).toBe(true)
  })
  it('refuses other files, other origins and other dev-server ports', () => {
    expect(isRendererUrl('file:///tmp/evil/index.html', renderer)).toBe(false)
    expect(isRendererUrl('https://example.com/', renderer)).toBe(false)
    expect(isRendererUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false)
    expect(isRendererUrl('about:blank', renderer)).toBe(false)
  })
})

describe('web permissions', () => {
  const renderer = 'file:///opt/Dropdeck/resources/app.asar/out/renderer/index.html'
  it('gives our renderer\'s main frame the clipboard (terminal copy and paste) and nothing else', () => {
    expect(isPermissionAllowed('clipboard-read', `${renderer}#/terminals`, renderer, true)).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', renderer, renderer, true)).toBe(true)
    expect(isPermissionAllowed('notifications', `${renderer}#/health`, renderer, true)).toBe(true) // health alerts
    expect(isPermissionAllowed('notifications', 'https://example.com/', renderer, true)).toBe(false)
    expect(isPermissionAllowed('notifications', renderer, renderer, false)).toBe(false)
    for (const permission of ['media', 'geolocation', 'openExternal', 'fullscreen']) {
      expect(isPermissionAllowed(permission, renderer, renderer, true), permission).toBe(false)
    }
  })
  it('refuses the clipboard to other pages and to sub-frames', () => {
    expect(isPermissionAllowed('clipboard-read', 'https://example.com/', renderer, true)).toBe(false)
    expect(isPermissionAllowed('clipboard-read', renderer, renderer, false)).toBe(false)
  })
})
