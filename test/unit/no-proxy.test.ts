import { describe, expect, it } from 'vitest'
import { parseNoProxy, shouldBypassProxy } from '../../src/main/providers/http/no-proxy'

const bypass = (url: string, noProxy: string) => shouldBypassProxy(new URL(url), noProxy)

describe('NO_PROXY matcher', () => {
  it('proxies everything when NO_PROXY is empty or blank', () => {
    expect(bypass('https://api.digitalocean.com/v2/account', '')).toBe(false)
    expect(bypass('https://api.digitalocean.com/v2/account', ' , ,, ')).toBe(false)
  })

  it('bypasses everything with *', () => {
    expect(bypass('https://api.cloudflare.com/client/v4', '*')).toBe(true)
    expect(bypass('http://10.1.2.3:8080/', 'example.com, *')).toBe(true)
  })

  it('matches host names exactly and case-insensitively, ignoring a trailing dot', () => {
    expect(bypass('https://api.digitalocean.com/', 'api.digitalocean.com')).toBe(true)
    expect(bypass('https://API.DigitalOcean.com/', 'api.digitalocean.com')).toBe(true)
    expect(bypass('https://api.digitalocean.com./', 'API.DIGITALOCEAN.COM')).toBe(true)
    expect(bypass('https://api.cloudflare.com/', 'api.digitalocean.com')).toBe(false)
  })

  it('reads a domain, with or without a leading dot or *., as the domain and its subdomains', () => {
    for (const entry of ['corp.example', '.corp.example', '*.corp.example']) {
      expect(bypass('https://corp.example/', entry), entry).toBe(true)
      expect(bypass('https://git.corp.example/', entry), entry).toBe(true)
      expect(bypass('https://a.b.corp.example/', entry), entry).toBe(true)
      // A suffix only on a label boundary.
      expect(bypass('https://notcorp.example/', entry), entry).toBe(false)
      expect(bypass('https://corp.example.evil.com/', entry), entry).toBe(false)
    }
  })

  it('separates entries by commas, spaces, tabs and newlines', () => {
    const list = 'a.example,b.example c.example\td.example\n e.example ,, f.example'
    for (const host of ['a', 'b', 'c', 'd', 'e', 'f']) expect(bypass(`https://${host}.example/`, list), host).toBe(true)
    expect(bypass('https://g.example/', list)).toBe(false)
  })

  it('matches IPv4 literals and CIDRs', () => {
    expect(bypass('http://10.1.2.3/', '10.1.2.3')).toBe(true)
    expect(bypass('http://10.1.2.4/', '10.1.2.3')).toBe(false)
    expect(bypass('http://10.200.0.1/', '10.0.0.0/8')).toBe(true)
    expect(bypass('http://11.0.0.1/', '10.0.0.0/8')).toBe(false)
    expect(bypass('http://172.16.5.4/', '172.16.0.0/12')).toBe(true)
    expect(bypass('http://172.31.255.255/', '172.16.0.0/12')).toBe(true)
    expect(bypass('http://172.32.0.1/', '172.16.0.0/12')).toBe(false)
    expect(bypass('http://192.168.1.77/', '192.168.1.64/27')).toBe(true)
    expect(bypass('http://192.168.1.96/', '192.168.1.64/27')).toBe(false)
    // Host bits set in the entry do not matter; /0 is every IPv4 address (but no IPv6 and no names).
    expect(bypass('http://10.9.9.9/', '10.1.2.3/8')).toBe(true)
    expect(bypass('http://8.8.8.8/', '0.0.0.0/0')).toBe(true)
    expect(bypass('http://[2001:db8::1]/', '0.0.0.0/0')).toBe(false)
    expect(bypass('https://example.com/', '0.0.0.0/0')).toBe(false)
    expect(bypass('http://10.0.0.1/', '10.0.0.1/32')).toBe(true)
  })

  it('matches IPv6 literals and CIDRs, bare or bracketed', () => {
    expect(bypass('http://[fd12:3456::1]/', 'fd00::/8')).toBe(true)
    expect(bypass('http://[fe80::1]/', 'fd00::/8')).toBe(false)
    expect(bypass('http://[2001:db8:0:0:0:0:0:1]/', '2001:db8::1')).toBe(true)
    expect(bypass('http://[2001:db8::1]/', '[2001:DB8::1]')).toBe(true)
    expect(bypass('http://[2001:db8::2]/', '2001:db8::1')).toBe(false)
    expect(bypass('http://[2001:db8:abcd:12::5]/', '2001:db8:abcd::/48')).toBe(true)
    expect(bypass('http://[2001:db8:abce::5]/', '2001:db8:abcd::/48')).toBe(false)
    expect(bypass('http://[2001:db8::ff00:1]/', '2001:db8::ff00:0/120')).toBe(true)
    expect(bypass('http://[::1]/', '::1')).toBe(true)
    expect(bypass('http://[::1]/', '::/0')).toBe(true)
    // IPv6 entries never match IPv4 hosts.
    expect(bypass('http://10.0.0.1/', '::/0')).toBe(false)
  })

  it('reads embedded IPv4 in IPv6 entries, and IPv4-mapped hosts as IPv4', () => {
    expect(bypass('http://[64:ff9b::a00:1]/', '64:ff9b::10.0.0.1')).toBe(true)
    expect(bypass('http://[::ffff:10.1.2.3]/', '10.0.0.0/8')).toBe(true)
    expect(bypass('http://[::ffff:a01:203]/', '10.1.2.3')).toBe(true)
  })

  it('honours an optional port on names, domains, addresses and CIDRs', () => {
    expect(bypass('https://git.corp.example/', 'git.corp.example:443')).toBe(true)
    expect(bypass('https://git.corp.example:8443/', 'git.corp.example:443')).toBe(false)
    expect(bypass('http://git.corp.example/', 'git.corp.example:80')).toBe(true)
    expect(bypass('https://a.corp.example:8443/', '.corp.example:8443')).toBe(true)
    expect(bypass('https://a.corp.example/', '.corp.example:8443')).toBe(false)
    expect(bypass('http://10.0.0.1:8080/', '10.0.0.1:8080')).toBe(true)
    expect(bypass('http://10.0.0.1:8081/', '10.0.0.1:8080')).toBe(false)
    expect(bypass('http://10.0.0.1:8080/', '10.0.0.0/8:8080')).toBe(true)
    expect(bypass('https://[::1]:8443/', '[::1]:8443')).toBe(true)
    expect(bypass('https://[::1]/', '[::1]:8443')).toBe(false)
    // Without a port, every port.
    expect(bypass('https://git.corp.example:9999/', 'git.corp.example')).toBe(true)
  })

  it('does not exempt loopback by itself: operators list it (see the module comment)', () => {
    expect(bypass('http://localhost:3000/', '')).toBe(false)
    expect(bypass('http://127.0.0.1:3000/', 'example.com')).toBe(false)
    expect(bypass('http://[::1]:3000/', 'example.com')).toBe(false)
    expect(bypass('http://localhost:3000/', 'localhost,127.0.0.1,::1')).toBe(true)
    expect(bypass('http://127.0.0.2:3000/', '127.0.0.0/8')).toBe(true)
  })

  it('never matches names against addresses or addresses against names', () => {
    expect(bypass('http://127.0.0.1/', 'localhost')).toBe(false)
    expect(bypass('http://localhost/', '127.0.0.1')).toBe(false)
    // "0.0.1" is no address, and as a domain it must not catch 10.0.0.1 by suffix.
    expect(bypass('http://10.0.0.1/', '0.0.1')).toBe(false)
  })

  it('matches internationalised names by their ASCII form', () => {
    expect(bypass('https://bücher.example/', 'bücher.example')).toBe(true)
    expect(bypass('https://shop.bücher.example/', 'xn--bcher-kva.example')).toBe(true)
  })

  it('ignores entries it cannot read, and reports them, rather than widening', () => {
    const parsed = parseNoProxy('good.example, 10.0.0.0/33, 10.0.0.0/x, fd00::/129, host:99999, host:, [::1, [::1]x, http://x.example, exa mple.com, ::g')
    expect(parsed.rules.map((r) => r.text)).toEqual(['good.example', 'exa', 'mple.com'])
    expect(parsed.invalid).toEqual(['10.0.0.0/33', '10.0.0.0/x', 'fd00::/129', 'host:99999', 'host:', '[::1', '[::1]x', 'http://x.example', '::g'])
    expect(bypass('http://10.0.0.1/', '10.0.0.0/33')).toBe(false)
  })

  it('describes what it parsed', () => {
    expect(parseNoProxy('*')).toEqual({ rules: [{ kind: 'all', text: '*' }], invalid: [] })
    const [domain, cidr] = parseNoProxy('.Corp.Example:8443 10.0.0.0/8').rules
    expect(domain).toEqual({ kind: 'domain', text: '.corp.example:8443', domain: 'corp.example', port: 8443 })
    expect(cidr).toMatchObject({ kind: 'ip', family: 4, prefix: 8 })
  })

  it('uses the URL scheme default port when the URL has none', () => {
    expect(bypass('wss://x.example/', 'x.example:443')).toBe(true)
    expect(bypass('ws://x.example/', 'x.example:80')).toBe(true)
    expect(bypass('ftp://x.example/', 'x.example:21')).toBe(false)
  })
})
