/** The app mark: drawn inline, since the CSP allows no remote images. */
import { Droplet } from 'lucide-react'

export function BrandMark() {
  return (
    <span className="brand-mark" aria-hidden="true">
      <Droplet size={12} strokeWidth={2.5} />
    </span>
  )
}
