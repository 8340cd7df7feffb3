/** The unified diff a save shows, and its size in lines (what the audit log records). */
import { createTwoFilesPatch, structuredPatch } from 'diff'

export function textDiff(path: string, before: string, after: string): { diff: string; added: number; removed: number } {
  const patch = structuredPatch(path, path, before, after, 'on the host', 'edited', { context: 3 })
  let added = 0
  let removed = 0
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++
      else if (line.startsWith('-')) removed++
    }
  }
  const diff = added || removed ? createTwoFilesPatch(path, path, before, after, 'on the host', 'edited', { context: 3 }) : ''
  return { diff, added, removed }
}
