// What hosts.add accepts as a user, jump hosts and a host name: every value here once reached
// ~/.ssh-style config, known_hosts or a URL unchecked (a CR/LF header, an ssh option, a second user@host,
// a mistyped IPv4 address). And a host name no URL can hold is the operator's error, never a retryable one.
import { describe, expect, it } from 'vitest'
import { ManualHostInputSchema } from '../../src/shared/contract/ssh'
import { sshProbeUrl } from '../../src/main/network/proxy-resolver'
import { DropdeckError } from '../../src/shared/errors'

const add = (fields: Record<string, unknown>) => ManualHostInputSchema.safeParse({ id: 'box', hostname: 'box.example', user: 'root', ...fields })
const messageOf = (fields: Record<string, unknown>) => {
  const r = add(fields)
  return r.success ? 'accepted' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
}

describe('hosts.add input', () => {
  it('refuses a user that is not a login name', () => {
    for (const user of ['root\r\nX: y', 'a b', '-oProxyCommand=touch /tmp/x', 'root@evil:22', 'a'.repeat(40), '1root']) {
      expect(messageOf({ user }), JSON.stringify(user)).toMatch(/^user: a login name/)
    }
    for (const user of ['root', 'deploy-bot', 'svc_web.1', '_apt', 'MACHINE$']) expect(messageOf({ user }), user).toBe('accepted')
  })

  it('refuses jump hosts that are not [user@]host[:port] lists', () => {
    for (const proxyJump of ['jump.example,*\r\nX: 1', 'jump example', '-oProxyCommand=x', 'a@b@c', 'jump.example:99999', 'bad user@jump.example', 'jump.example,', '[zz]:22']) {
      expect(messageOf({ proxyJump }), JSON.stringify(proxyJump)).toMatch(/^proxyJump: jump hosts as/)
    }
    for (const proxyJump of ['jump.example', 'ops@jump.example:2222', '10.0.0.1,ops@bastion', '[::1]:22']) expect(messageOf({ proxyJump }), proxyJump).toBe('accepted')
  })

  it('refuses an all-numeric dotted name that is not an IPv4 address', () => {
    for (const hostname of ['1.2.3.4.5', '999.1.1.1', '1.2.3', '2130706433']) expect(messageOf({ hostname }), hostname).toMatch(/^hostname: an IP address or a host name/)
    for (const hostname of ['1.2.3.4', 'web-1.example', '1e100.net', 'host.1a']) expect(messageOf({ hostname }), hostname).toBe('accepted')
  })

  it('a host name no URL can hold is a BAD_REQUEST to correct, not a retryable upstream failure', () => {
    let thrown: unknown
    try {
      sshProbeUrl('1.2.3.4.5', 22)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(DropdeckError)
    expect((thrown as DropdeckError).toJSON()).toMatchObject({ code: 'BAD_REQUEST', retryable: false })
    expect((thrown as Error).message).toContain('HostName')
  })
})
