/** One setting: its label and explanation on the left, the control (and any error) on the right. */
import type { ReactNode } from 'react'

interface SettingRowProps {
  label: ReactNode
  /** The id of the control, so the label is a real <label>. Omit for groups labelled otherwise. */
  htmlFor?: string
  description?: ReactNode
  descriptionId?: string
  children: ReactNode
}

export function SettingRow({ label, htmlFor, description, descriptionId, children }: SettingRowProps) {
  return (
    <div className="setting-row">
      <div className="setting-row-text">
        {htmlFor ? (
          <label className="setting-row-label" htmlFor={htmlFor}>
            {label}
          </label>
        ) : (
          <span className="setting-row-label">{label}</span>
        )}
        {description && (
          <p className="setting-row-description" id={descriptionId}>
            {description}
          </p>
        )}
      </div>
      <div className="setting-row-control">{children}</div>
    </div>
  )
}
