import { describe, expect, it } from 'vitest'
import { errorData, providerRequestId } from '../../src/shared/error-data'
import { DropdeckError, RpcErrorSchema } from '../../src/shared/errors'
import { authFailed } from '../../src/main/ssh/auth-failure'
import { AuthAttempt } from '../../src/main/ssh/auth-attempt'
import type { HostConfig } from '../../src/main/ssh/host-config'
import { createCallContext } from '../../src/main/rpc/context'
import { EventBus } from '../../src/main/rpc/event-bus'
import { createRouter, type Handlers } from '../../src/main/rpc/router'

/** What the renderer's client makes of an error after it crossed a transport as JSON. */
function overTheWire(error: DropdeckError): DropdeckError {
  const { code, message, retryable, data } = RpcErrorSchema.parse(JSON.parse(JSON.stringify(error)))
  return new DropdeckError(code, message, { retryable, data })
}

describe('errorData', () => {
  it('reads the router’s BAD_REQUEST issues typed, after a transport', async () => {
    const router = createRouter({ 'settings.update': (patch) => patch } as Partial<Handlers> as Handlers)
    const reply = await router.call('settings.update', { theme: 42 }, createCallContext('error-data', new EventBus()))
    if (reply.ok) throw new Error('expected a refusal')
    const error = overTheWire(new DropdeckError(reply.error.code, reply.error.message, { data: reply.error.data }))
    const issues = errorData(error, 'BAD_REQUEST')?.issues
    expect(issues?.[0]).toMatchObject({ path: 'theme', message: expect.any(String) })
  })

  it('reads what AUTH_FAILED asks for next, as main builds it', () => {
    const host = { id: 'web-1', user: 'deploy' } as HostConfig
    const attempt = new AuthAttempt('deploy', [], 'wrong')
    attempt.serverMethods = ['password']
    attempt.passwordTried = true
    const wrongPassword = overTheWire(authFailed(host, 'web-1', { methods: [], locked: [], described: ['the password'] }, attempt))
    expect(errorData(wrongPassword, 'AUTH_FAILED')).toMatchObject({ hostId: 'web-1', needsPassword: true, wrongPassword: true, user: 'deploy' })

    const locked = overTheWire(authFailed(host, 'web-1', { methods: [], locked: ['/home/op/.ssh/id_ed25519'], described: [] }, new AuthAttempt('deploy', [])))
    expect(errorData(locked, 'AUTH_FAILED')?.needsPassphrase).toBe('/home/op/.ssh/id_ed25519')
  })

  it('is undefined for another code, another error, or data a code cannot do without', () => {
    const unknownKey = new DropdeckError('HOST_KEY_UNKNOWN', 'x', { data: { hostId: 'h', fingerprint: 'SHA256:abc', keyType: 'ssh-ed25519', knownTypes: ['ssh-rsa'] } })
    expect(errorData(unknownKey, 'HOST_KEY_UNKNOWN')).toMatchObject({ fingerprint: 'SHA256:abc', knownTypes: ['ssh-rsa'] })
    expect(errorData(unknownKey, 'HOST_KEY_MISMATCH')).toBeUndefined()
    expect(errorData(new Error('plain'), 'HOST_KEY_UNKNOWN')).toBeUndefined()
    expect(errorData(new DropdeckError('HOST_KEY_UNKNOWN', 'no fingerprint', { data: { hostId: 'h' } }), 'HOST_KEY_UNKNOWN')).toBeUndefined()
  })

  it('reads a field of the wrong type as absent and keeps the rest', () => {
    const taken = new DropdeckError('PORT_IN_USE', 'x', { data: { port: 8080, holder: { pid: 'not a number', command: 'nginx' }, suggestion: 'soon' } })
    expect(errorData(taken, 'PORT_IN_USE')).toEqual({ port: 8080, holder: { pid: undefined, command: 'nginx' }, suggestion: undefined })
    expect(errorData(new DropdeckError('CONFIRMATION_REQUIRED', 'x'), 'CONFIRMATION_REQUIRED')?.readOnly).toBeUndefined()
  })

  it('reads a deploy lock’s holder, or its absence', () => {
    const held = new DropdeckError('DEPLOY_LOCKED', 'x', { data: { holder: { deployId: 'd1', serviceId: 's', who: 'ana', machine: 'm', what: 'deploy 1.2', since: '2026-12-05T00:00:00Z', timeoutMs: 600000 } } })
    expect(errorData(held, 'DEPLOY_LOCKED')?.holder?.who).toBe('ana')
    expect(errorData(new DropdeckError('DEPLOY_LOCKED', 'x', { data: { holder: null } }), 'DEPLOY_LOCKED')).toEqual({ holder: null })
  })

  it('reads a validator’s words from VALIDATION_FAILED only', () => {
    const refused = new DropdeckError('VALIDATION_FAILED', 'x', { data: { path: '/etc/nginx/nginx.conf', validator: 'nginx', output: 'nginx: [emerg] unexpected "}"', backupPath: '/etc/nginx/.nginx.conf.bak', restored: true } })
    expect(errorData(refused, 'VALIDATION_FAILED')?.output).toBe('nginx: [emerg] unexpected "}"')
    expect(errorData(new DropdeckError('UPSTREAM', 'x', { data: { output: 'not a validator' } }), 'VALIDATION_FAILED')).toBeUndefined()
  })

  it('finds a provider request id whatever the code', () => {
    expect(providerRequestId(new DropdeckError('NOT_FOUND', 'x', { data: { provider: 'digitalocean', requestId: 'r-1' } }))).toBe('r-1')
    expect(providerRequestId(new DropdeckError('UPSTREAM', 'x', { data: { requestId: 7 } }))).toBeUndefined()
    expect(providerRequestId('not an error')).toBeUndefined()
  })
})
