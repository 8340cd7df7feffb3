/** One requirement: an icon for its state, what it is, and a way to fix it if Dropdeck can. */
import { CircleCheck, CircleDashed, Info, SlidersHorizontal } from 'lucide-react'
import type { Result, Settings } from '../../../shared/contract'
import type { Requirement } from '../navigation/areas'

interface RequirementRowProps {
  requirement: Requirement
  secrets: Result<'secrets.status'> | undefined
  keychainDown: boolean
  settings: Settings | undefined
  onOpenSettings: () => void
}

// How each setting reads inside a sentence, and what to say before settings have loaded.
const settingPhrases: Record<string, { format: (settings: Settings) => string; fallback: string }> = {
  managedTag: { format: (s) => `“${s.managedTag}”`, fallback: 'the managed tag' },
  defaultSshUser: { format: (s) => `“${s.defaultSshUser}”`, fallback: 'the default SSH user' },
  alertThresholdPercent: { format: (s) => `${s.alertThresholdPercent}%`, fallback: 'the alert threshold' }
}

/** Fill {managedTag}-style placeholders with the current settings. */
function fill(text: string, settings: Settings | undefined): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const phrase = settingPhrases[key]
    if (!phrase) return whole
    return settings ? phrase.format(settings) : phrase.fallback
  })
}

export function RequirementRow({ requirement, secrets, keychainDown, settings, onOpenSettings }: RequirementRowProps) {
  const detail = fill(requirement.detail, settings)

  if (requirement.kind === 'token') {
    const stored = requirement.keys.some((key) => secrets?.[key])
    const state = stored ? 'Stored' : keychainDown ? 'Keychain unavailable' : secrets ? (requirement.optional ? 'Optional' : 'Not set') : 'Checking…'
    const Icon = stored ? CircleCheck : CircleDashed
    return (
      <li className={`requirement ${stored ? 'requirement-done' : 'requirement-open'}`}>
        <Icon className="requirement-icon" size={15} aria-hidden="true" />
        <div className="requirement-text">
          <span className="requirement-label">{requirement.label}</span>
          <span className="requirement-detail">{detail}</span>
        </div>
        <span className="requirement-state">{state}</span>
        <button type="button" className="button button-small" onClick={onOpenSettings}>
          {stored ? 'Manage' : 'Add'}
        </button>
      </li>
    )
  }

  const Icon = requirement.kind === 'setting' ? SlidersHorizontal : Info
  return (
    <li className="requirement requirement-note">
      <Icon className="requirement-icon" size={15} aria-hidden="true" />
      <div className="requirement-text">
        <span className="requirement-label">{requirement.label}</span>
        <span className="requirement-detail">{detail}</span>
      </div>
      {requirement.kind === 'setting' && (
        <button type="button" className="button button-small" onClick={onOpenSettings}>
          Change
        </button>
      )}
    </li>
  )
}
