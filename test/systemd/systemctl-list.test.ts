// parseAvailableUnits on listings of other shapes than the bench fixtures: status bullets, older
// systemd's two-column list-unit-files, warnings between lines, CRLF, no unit-files part, and the bound.
import { describe, it, expect } from 'vitest'
import { LIST_SEPARATOR, parseAvailableUnits } from '../../src/main/systemd/systemctl-list'
import { MAX_AVAILABLE_UNITS } from '../../src/shared/contract/units'

describe('parseAvailableUnits', () => {
  it('reads bullets, descriptions with spaces, two-column unit files and skips lines of another shape', () => {
    const text = [
      '● e2i-api.service   loaded failed failed  e2i API (gunicorn, port 8000)\r',
      'Warning: The unit file, source configuration file or drop-ins of nginx.service changed on disk.',
      'nginx.service       loaded active running A high performance web server',
      'ssh.service         loaded active running',
      'docker.socket       loaded active running Docker Socket for the API',
      LIST_SEPARATOR,
      'nginx.service   enabled',
      'fail2ban.service disabled',
      'tmp.mount       static'
    ].join('\n')
    expect(parseAvailableUnits(text)).toEqual([
      { id: 'e2i-api.service', description: 'e2i API (gunicorn, port 8000)', loadState: 'loaded', activeState: 'failed', subState: 'failed', unitFileState: null },
      { id: 'fail2ban.service', description: '', loadState: 'not-loaded', activeState: 'inactive', subState: 'dead', unitFileState: 'disabled' },
      { id: 'nginx.service', description: 'A high performance web server', loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: 'enabled' },
      { id: 'ssh.service', description: '', loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: null }
    ])
  })

  it('reads list-units alone when the unit-files part is missing, and keeps at most MAX_AVAILABLE_UNITS', () => {
    expect(parseAvailableUnits('cron.service loaded active running Cron\n').map((u) => u.id)).toEqual(['cron.service'])
    const many = Array.from({ length: MAX_AVAILABLE_UNITS + 5 }, (_, i) => `u${String(i).padStart(5, '0')}.service loaded active running U`).join('\n')
    const units = parseAvailableUnits(many)
    expect(units).toHaveLength(MAX_AVAILABLE_UNITS)
    expect(units[0].id).toBe('u00000.service')
  })
})
