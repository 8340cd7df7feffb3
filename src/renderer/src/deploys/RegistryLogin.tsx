/**
 * A registry login for one deploy's pull, for a registry other than the team's DigitalOcean one: sent
 * with this deploy only (the host's Docker gets it as X-Registry-Auth), never stored, on this machine
 * or the host. Folded away by default: without it the host's own `docker login` is used.
 */
import { useId } from 'react'

export interface Login {
  username: string
  password: string
}

export function RegistryLogin({ image, value, onChange }: { image: string; value: Login | null; onChange: (login: Login | null) => void }) {
  const id = useId()
  const registry = registryOf(image)
  const set = (patch: Partial<Login>) => {
    const next = { username: value?.username ?? '', password: value?.password ?? '', ...patch }
    onChange(next.username || next.password ? next : null)
  }
  return (
    <details className="deploy-fold">
      <summary>Log in to {registry} for this pull</summary>
      <div className="deploy-fold-body deploy-login">
        <div className="dialog-field">
          <label className="dialog-label" htmlFor={`${id}-user`}>
            User name
          </label>
          <input id={`${id}-user`} className="input" value={value?.username ?? ''} onChange={(e) => set({ username: e.target.value })} autoComplete="off" spellCheck={false} />
        </div>
        <div className="dialog-field">
          <label className="dialog-label" htmlFor={`${id}-password`}>
            Password or token
          </label>
          <input id={`${id}-password`} className="input" type="password" value={value?.password ?? ''} onChange={(e) => set({ password: e.target.value })} autoComplete="off" />
        </div>
        <p className="faint small">Used for this deploy's pull only and never stored, on this machine or the host. Leave empty to use the host's own registry login.</p>
        {value && (!value.username || !value.password) && <p className="field-error small">Give both, or clear both.</p>}
      </div>
    </details>
  )
}

/** As docker reads a reference (main's registry-auth.ts): the first part when it looks like a host, else Docker Hub. */
function registryOf(repo: string): string {
  const first = repo.split('/')[0]
  return repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'Docker Hub'
}
