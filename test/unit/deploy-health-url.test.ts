/**
 * The deploy health gate requests its URL from the host over plain HTTP through the SSH connection
 * (src/main/deploys/health-gate.ts's httpCheck): the contract refuses any other scheme when the settings
 * are saved, instead of accepting an https:// or file:// URL that then fails every deploy's gate and
 * rolls it back.
 */
import { describe, expect, it } from 'vitest'
import { deploysMethods } from '../../src/shared/contract/deploys'

const configure = (healthUrl: string | null) => deploysMethods['deploys.configure'].params.safeParse({ hostId: 'web-1', serviceId: 'container:shop', settings: { healthUrl } })

describe('deploys.configure health URL', () => {
  it('takes a plain http:// URL, or none', () => {
    expect(configure('http://127.0.0.1:8080/health').success).toBe(true)
    expect(configure('HTTP://localhost/health').success).toBe(true)
    expect(configure(null).success).toBe(true)
  })

  it('refuses https://, file:// and other schemes the gate does not speak, saying what to give', () => {
    for (const url of ['https://127.0.0.1:8443/health', 'file:///etc/passwd', 'ftp://127.0.0.1/x', 'javascript:alert(1)']) {
      const r = configure(url)
      expect(r.success, url).toBe(false)
      expect(r.error?.issues[0]?.message, url).toMatch(/http:\/\//)
    }
  })
})
