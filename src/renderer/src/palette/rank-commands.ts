/**
 * Which palette commands a search finds, best first. Deliberately not fuzzy: a subsequence match
 * ("dark" in "Start FalkorDB (Redis protocol)") put unrelated commands first, and Enter ran them.
 * A command matches when every word of the search is in its label or keywords; it ranks by how
 * its title (the name of the thing it acts on: a droplet's, a zone's, an area's) matches first:
 * exactly, then as a prefix, then a word of the label starting with the search, then anywhere.
 */
export interface Rankable {
  label: string
  /** The name of what the command opens or acts on; the label when it has none. */
  title?: string
  keywords?: string[]
}

const WORD_START = /[\s\-_.:/(“"']/

/** Score of `text` for `term` (both lower case): 0 when it does not contain it. */
function textScore(text: string, term: string, exact: number, prefix: number, wordPrefix: number, inside: number): number {
  if (text === term) return exact
  if (text.startsWith(term)) return prefix
  let at = text.indexOf(term)
  if (at < 0) return 0
  while (at >= 0) {
    if (WORD_START.test(text[at - 1] ?? ' ')) return wordPrefix
    at = text.indexOf(term, at + 1)
  }
  return inside
}

export function commandScore(command: Rankable, search: string): number {
  const term = search.trim().toLowerCase().replace(/\s+/g, ' ')
  if (!term) return 1
  const title = (command.title ?? command.label).toLowerCase()
  const label = command.label.toLowerCase()
  const keywords = (command.keywords ?? []).map((k) => k.toLowerCase())
  const whole = Math.max(
    textScore(title, term, 1000, 900, 0, 0),
    textScore(label, term, 850, 800, 700, 500),
    ...keywords.map((k) => textScore(k, term, 450, 400, 400, 300))
  )
  if (whole > 0) return whole
  // Several words, each somewhere ("open odoo", "tunnel grafana"): below any whole match.
  const words = term.split(' ')
  const haystack = [label, ...keywords].join(' ')
  return words.length > 1 && words.every((word) => haystack.includes(word)) ? 200 : 0
}

/** The commands that match `search`, best first; equal scores keep a shorter title first, then their order. */
export function rankCommands<C extends Rankable>(commands: C[], search: string): C[] {
  return commands
    .map((command, index) => ({ command, index, score: commandScore(command, search), length: (command.title ?? command.label).length }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.length - b.length || a.index - b.index)
    .map((entry) => entry.command)
}
