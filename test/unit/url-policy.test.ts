import { describe, expect, it } from 'vitest'
import { isExternalUrlAllowed, isRendererUrl } from '../../src/main/security/url-policy'

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
