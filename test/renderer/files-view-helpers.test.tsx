// The Files view's pure parts: how it sorts a folder, shows modes as ls does, and masks .env values.
import { describe, it, expect } from 'vitest'
import { modeString, sortEntries, type RemoteEntry } from '../../src/renderer/src/files/file-list'
import { isEnvFile, maskEnv } from '../../src/renderer/src/files/env-mask'

describe('the view', () => {
  const e = (name: string, type: RemoteEntry['type'], size: number, mtime: number, targetType?: RemoteEntry['type']): RemoteEntry => ({ name, type, size, mtime, owner: 'root', group: 'root', mode: 0o644, ...(targetType ? { targetType } : {}) })
  const entries = [e('b.log', 'file', 10, 3), e('a.log', 'file', 300, 1), e('.env', 'file', 5, 2), e('logs', 'dir', 4096, 1), e('current', 'symlink', 7, 9, 'dir'), e('file10', 'file', 1, 1), e('file9', 'file', 1, 1)]

  it('sorts folders (and links to folders) first, names naturally, hides dotfiles unless asked', () => {
    expect(sortEntries(entries, { key: 'name', descending: false }, false).map((x) => x.name)).toEqual(['current', 'logs', 'a.log', 'b.log', 'file9', 'file10'])
    expect(sortEntries(entries, { key: 'size', descending: true }, true).map((x) => x.name)).toEqual(['logs', 'current', 'a.log', 'b.log', '.env', 'file9', 'file10'])
    expect(sortEntries(entries, { key: 'mtime', descending: true }, false).map((x) => x.name).slice(2)).toEqual(['b.log', 'a.log', 'file9', 'file10'])
  })

  it('shows modes as ls does', () => {
    expect(modeString('dir', 0o2755)).toBe('drwxr-sr-x')
    expect(modeString('file', 0o4754)).toBe('-rwsr-xr--')
    expect(modeString('dir', 0o1777)).toBe('drwxrwxrwt')
    expect(modeString('file', 0o600)).toBe('-rw-------')
  })

  it('masks .env values and keeps the keys', () => {
    expect(isEnvFile('/opt/app/.env')).toBe(true)
    expect(isEnvFile('/opt/app/.env.production')).toBe(true)
    expect(isEnvFile('/opt/app/env.py')).toBe(false)
    expect(maskEnv('# tokens\nDIGITALOCEAN_TOKEN=dop_v1_x\nexport DB_URL = postgres://u:p@h/db\nEMPTY=\n')).toBe('# tokens\nDIGITALOCEAN_TOKEN=••••••••\nexport DB_URL = ••••••••\nEMPTY=\n')
  })
})
