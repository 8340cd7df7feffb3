/** Links in terminal output leave the app only as plain http(s), without credentials. */
import { describe, expect, it } from 'vitest'
import { isOpenableLink } from '../../src/renderer/src/terminals/openable-link'

describe('links printed in a terminal', () => {
  it('opens http and https', () => {
    expect(isOpenableLink('http://127.0.0.1:3100/d/api')).toBe(true)
    expect(isOpenableLink('https://grafana.example.com/d/x?orgId=1')).toBe(true)
  })

  it('refuses other schemes, credentials in the URL, and what is not a URL', () => {
    for (const uri of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'ftp://host/f', 'https://admin:hunter2@example.com/', 'https://token@example.com/', 'not a url', '']) {
      expect(isOpenableLink(uri), uri).toBe(false)
    }
  })
})
