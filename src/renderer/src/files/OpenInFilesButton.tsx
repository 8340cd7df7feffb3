/** "Open in Files" beside a host path shown elsewhere (a container's mount, a Compose project's folder). */
import { FolderOpen } from 'lucide-react'
import { openInFiles } from './files-links'

export function OpenInFilesButton({ hostId, path, what }: { hostId: string; path: string; what: string }) {
  return (
    <button type="button" className="button button-small open-in-files" aria-label={`Open ${what} in Files`} title={`${path} on ${hostId}`} onClick={() => openInFiles(hostId, path)}>
      <FolderOpen size={13} aria-hidden="true" /> Open in Files
    </button>
  )
}
