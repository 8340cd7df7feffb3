/** Reading `DropdeckError`s for the UI: retryability and per-field messages from BAD_REQUEST. */
import { DropdeckError } from '../../../shared/errors'

export function isRetryable(error: unknown): boolean {
  return error instanceof DropdeckError && error.retryable
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * The router puts zod issues in `data.issues` as `{path, message}`; map them to field names so a form
 * can show each next to its input. Anything without a field lands under `''`.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof DropdeckError)) return error ? { '': errorMessage(error) } : {}
  const issues = (error.data as { issues?: Array<{ path?: unknown; message?: unknown }> } | undefined)?.issues
  if (error.code !== 'BAD_REQUEST' || !Array.isArray(issues) || issues.length === 0) return { '': error.message }
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const field = typeof issue.path === 'string' ? issue.path.split('.')[0] : ''
    if (typeof issue.message === 'string' && !(field in out)) out[field] = sentenceCase(issue.message)
  }
  return out
}

function sentenceCase(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text
}
