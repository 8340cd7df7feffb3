/**
 * Which agent Dropdeck asks (src/main/ssh/agent-choice.ts). The Windows branches cannot run on the
 * Linux bench (no Pageant, no named pipes), so the choice itself is what is tested here, with the
 * platform and the pipe's existence given; the Unix socket path is exercised for real by
 * hosts-auth.test.ts against a running ssh-agent.
 */
import { describe, expect, it } from 'vitest'
import { chooseAgent, WINDOWS_OPENSSH_AGENT_PIPE } from '../../src/main/ssh/agent-choice'

const pipes = (...present: string[]) => (p: string) => present.includes(p)

describe('choosing the ssh-agent', () => {
  it('uses SSH_AUTH_SOCK wherever it is set, on any platform', () => {
    expect(chooseAgent({ platform: 'linux', env: { SSH_AUTH_SOCK: '/tmp/ssh-x/agent.1' } })).toEqual({ kind: 'socket', path: '/tmp/ssh-x/agent.1', label: 'the ssh-agent' })
    expect(chooseAgent({ platform: 'darwin', env: { SSH_AUTH_SOCK: '/private/tmp/com.apple.launchd.x/Listeners' } })).toMatchObject({ kind: 'socket' })
    // Windows with SSH_AUTH_SOCK (a pipe, or Git for Windows' socket file): that one, even if the OpenSSH pipe exists.
    expect(chooseAgent({ platform: 'win32', env: { SSH_AUTH_SOCK: '\\\\.\\pipe\\my-agent' }, exists: pipes(WINDOWS_OPENSSH_AGENT_PIPE) })).toEqual({ kind: 'socket', path: '\\\\.\\pipe\\my-agent', label: 'the ssh-agent' })
    expect(chooseAgent({ platform: 'win32', env: { SSH_AUTH_SOCK: 'Pageant' } })).toEqual({ kind: 'pageant', label: 'Pageant' })
  })

  it('has no agent on Linux and macOS without SSH_AUTH_SOCK (a blank one counts as unset)', () => {
    expect(chooseAgent({ platform: 'linux', env: {} })).toBeUndefined()
    expect(chooseAgent({ platform: 'darwin', env: { SSH_AUTH_SOCK: '  ' } })).toBeUndefined()
  })

  it('on Windows without SSH_AUTH_SOCK: the Windows OpenSSH agent pipe when its service runs, else Pageant', () => {
    expect(chooseAgent({ platform: 'win32', env: {}, exists: pipes(WINDOWS_OPENSSH_AGENT_PIPE) })).toEqual({ kind: 'socket', path: '\\\\.\\pipe\\openssh-ssh-agent', label: 'the Windows OpenSSH agent' })
    expect(chooseAgent({ platform: 'win32', env: {}, exists: pipes() })).toEqual({ kind: 'pageant', label: 'Pageant' })
  })
})
