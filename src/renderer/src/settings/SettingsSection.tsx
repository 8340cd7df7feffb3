/** A titled group of settings rows in one bordered card. */
import type { ReactNode } from 'react'

export function SettingsSection({ id, title, description, children, before }: { id: string; title: string; description?: ReactNode; children: ReactNode; before?: ReactNode }) {
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`}>
      <header className="settings-section-header">
        <h2 id={`${id}-title`}>{title}</h2>
        {description && <p>{description}</p>}
      </header>
      {before}
      <div className="settings-card">{children}</div>
    </section>
  )
}
