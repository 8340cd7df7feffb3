/**
 * One SFTP session per host on the host's pooled SSH connection (no second login). The session is
 * kept while its connection lives; when the pool reconnects, the next call opens a new one on the new
 * client. Opening is shared: concurrent callers wait for the same session.
 */
import type { Client, SFTPWrapper } from 'ssh2'
import { DropdeckError } from '../../shared/errors'

export interface SftpPool {
  acquire(hostId: string): Promise<Client>
}

interface Session {
  client: Client
  sftp: Promise<SFTPWrapper>
}

export class SftpSessions {
  private readonly sessions = new Map<string, Session>()

  constructor(private readonly pool: SftpPool) {}

  async get(hostId: string): Promise<SFTPWrapper> {
    const client = await this.pool.acquire(hostId)
    const current = this.sessions.get(hostId)
    if (current && current.client === client) return current.sftp
    const session: Session = { client, sftp: this.open(hostId, client) }
    this.sessions.set(hostId, session)
    session.sftp.catch(() => {
      if (this.sessions.get(hostId) === session) this.sessions.delete(hostId)
    })
    return session.sftp
  }

  private open(hostId: string, client: Client): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      client.sftp((err, sftp) => {
        if (err) {
          return reject(new DropdeckError('UPSTREAM', `${hostId} refused an SFTP session (${err.message}); check that sshd has the sftp subsystem enabled (Subsystem sftp in sshd_config).`, { retryable: true }))
        }
        sftp.on('close', () => {
          const s = this.sessions.get(hostId)
          if (s?.client === client) this.sessions.delete(hostId)
        })
        resolve(sftp)
      })
    })
  }

  dispose(): void {
    for (const s of this.sessions.values()) void s.sftp.then((sftp) => sftp.end(), () => undefined)
    this.sessions.clear()
  }
}
