/** Reading `DropdeckError`s for the UI: retryability and per-field messages from BAD_REQUEST. */
import { errorData } from '../../../shared/error-data'
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
  const issues = errorData(error, 'BAD_REQUEST')?.issues
  if (!issues || issues.length === 0) return { '': error.message }
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const field = typeof issue.path === 'string' ? issue.path.split('.')[0] : ''
    if (issue.message !== undefined && !(field in out)) out[field] = sentenceCase(issue.message)
  }
  return out
}

function sentenceCase(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text
}
