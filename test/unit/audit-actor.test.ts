// The audit log's actor reads as a person and a place, not a transport id ("root via ws:1").
import { userInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { AuditLog } from '../../src/main/providers/audit/audit-log'

describe('audit actor', () => {
  const user = userInfo().username
  it('names the OS user and the headless host browser or the app window', () => {
    expect(AuditLog.actor({ clientId: 'ws:1' })).toBe(`${user} (headless host, browser 1)`)
    expect(AuditLog.actor({ clientId: 'ipc:2' })).toBe(`${user} (app window 2)`)
    expect(AuditLog.actor({ clientId: 'ws:1' })).not.toContain('via ws:')
  })
  it('keeps other callers as they are', () => {
    expect(AuditLog.actor({ clientId: 'test:1' })).toBe(`${user} via test:1`)
  })
})
