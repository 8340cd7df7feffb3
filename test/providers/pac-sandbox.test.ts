/**
 * The PAC sandbox (pac-resolver in QuickJS) and the reading of its answers: a PAC file sees the PAC
 * functions and nothing of Node, one that never returns is stopped, and every answer form browsers
 * accept is read into hops in order.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadPacScript } from '../../src/main/network/pac-script'
import { formatHop, parseProxyAnswer } from '../../src/main/network/proxy-answer'
import { DropdeckError } from '../../src/shared/errors'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropdeck-pac-sandbox-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function pac(name: string, body: string): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, body)
  return file
}

describe('the PAC sandbox', () => {
  it('runs FindProxyForURL with the PAC functions (shExpMatch, isInNet, dnsDomainIs)', async () => {
    const file = await pac('ok.pac', `function FindProxyForURL(url, host) {
      if (dnsDomainIs(host, ".digitalocean.com")) return "PROXY proxy.corp:3128; DIRECT";
      if (shExpMatch(url, "https://api.cloudflare.com/*")) return "DIRECT";
      if (isInNet(host, "10.0.0.0", "255.0.0.0")) return "SOCKS5 10.0.0.1:1080";
      return "PROXY fallback.corp:8080";
    }`)
    const script = await loadPacScript(file)
    try {
      expect(await script.find(new URL('https://api.digitalocean.com/v2/account'))).toBe('PROXY proxy.corp:3128; DIRECT')
      expect(await script.find(new URL('https://api.cloudflare.com/client/v4/zones'))).toBe('DIRECT')
      expect(await script.find(new URL('https://10.1.2.3:22/'))).toBe('SOCKS5 10.0.0.1:1080')
    } finally {
      script.dispose()
    }
  })

  it('gives the script nothing of Node: no process, no require, no fetch', async () => {
    const file = await pac('escape.pac', `function FindProxyForURL(url, host) {
      return [typeof process, typeof require, typeof fetch, typeof globalThis.process].join(",");
    }`)
    const script = await loadPacScript(file)
    try {
      expect(await script.find(new URL('https://example.test/'))).toBe('undefined,undefined,undefined,undefined')
    } finally {
      script.dispose()
    }
  })

  it('stops a script that never returns, and says so', async () => {
    const file = await pac('loop.pac', 'function FindProxyForURL(url, host) { for (;;) {} }')
    const script = await loadPacScript(file, { evaluationMs: 200 })
    try {
      const err = await script.find(new URL('https://api.digitalocean.com/')).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DropdeckError)
      expect((err as Error).message).toBe(`The PAC file at ${file} failed for api.digitalocean.com: it ran longer than 0.2 s. Ask your network team, or clear the proxy auto-config address in Settings to use HTTPS_PROXY.`)
    } finally {
      script.dispose()
    }
  })

  it('refuses a file with no FindProxyForURL', async () => {
    const file = await pac('empty.pac', '// nothing here\n')
    await expect(loadPacScript(file)).rejects.toThrow(`The PAC file at ${file} has no FindProxyForURL function`)
  })
})

describe('PAC answers', () => {
  it('reads every entry form in order, with default ports and IPv6', () => {
    expect(parseProxyAnswer('PROXY a.corp:3128; HTTPS b.corp; SOCKS c.corp:1080 ;SOCKS5 [fd00::1]:1081; DIRECT', 'test')).toEqual([
      { kind: 'http', host: 'a.corp', port: 3128 },
      { kind: 'https', host: 'b.corp', port: 443 },
      { kind: 'socks4', host: 'c.corp', port: 1080 },
      { kind: 'socks5', host: 'fd00::1', port: 1081 },
      { kind: 'direct' }
    ])
    expect(parseProxyAnswer('', 'test')).toEqual([{ kind: 'direct' }])
    expect(formatHop({ kind: 'socks5', host: 'fd00::1', port: 1081 })).toBe('SOCKS5 [fd00::1]:1081')
  })

  it('refuses what is not a proxy list, naming where it came from', () => {
    expect(() => parseProxyAnswer('PROXY', 'the PAC file x.pac')).toThrow('the PAC file x.pac answered "PROXY", which is not a proxy list')
    expect(() => parseProxyAnswer('PROXY a:99999', 'the PAC file x.pac')).toThrow('"a:99999" is not host:port')
    expect(() => parseProxyAnswer('DIRECT a:1', 'x')).toThrow('not a proxy list')
  })
})
