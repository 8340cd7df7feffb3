import { readFileSync } from 'node:fs'
import { descendants } from '../fleet/proc'

/** The `docker system dial-stdio` processes (plain or through sudo -n) a droplet's sshd runs: one per open Engine API channel. */
export function dialProcesses(sshdPid: number): number[] {
  return descendants(sshdPid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes('system dial-stdio')
    } catch {
      return false // ended meanwhile
    }
  })
}
