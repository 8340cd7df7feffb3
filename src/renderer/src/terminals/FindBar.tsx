/**
 * Find in a terminal's scrollback (Ctrl+Shift+F): next and previous (Enter, Shift+Enter), case and
 * regex toggles, and the match count. Escape closes it and hands the keyboard back to the terminal.
 */
import { ArrowDown, ArrowUp, CaseSensitive, Regex, X } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { SEARCH_DECORATIONS, type XtermHandle } from './create-xterm'

interface Results {
  index: number
  count: number
}

export function FindBar({ handle, onClose }: { handle: XtermHandle; onClose: () => void }) {
  const input = useRef<HTMLInputElement>(null)
  const [current, setQuery] = useState('')
  const [matchCase, setCaseSensitive] = useState(false)
  const [useRegex, setRegex] = useState(false)
  const [results, setResults] = useState<Results | null>(null)
  const [invalid, setInvalid] = useState(false)

  useEffect(() => {
    input.current?.focus()
    input.current?.select()
    const sub = handle.search.onDidChangeResults(({ resultIndex, resultCount }) => setResults({ index: resultIndex, count: resultCount }))
    return () => {
      sub.dispose()
      handle.search.clearDecorations()
    }
  }, [handle])

  interface Search {
    query: string
    caseSensitive: boolean
    regex: boolean
  }
  const find = (direction: 'next' | 'previous', incremental = false, { query, caseSensitive, regex }: Search = { query: current, caseSensitive: matchCase, regex: useRegex }) => {
    if (!query) {
      handle.search.clearDecorations()
      setResults(null)
      return
    }
    if (regex) {
      try {
        new RegExp(query)
      } catch {
        setInvalid(true)
        setResults(null)
        return
      }
    }
    setInvalid(false)
    const options = { caseSensitive, regex, incremental, decorations: SEARCH_DECORATIONS }
    const found = direction === 'next' ? handle.search.findNext(query, options) : handle.search.findPrevious(query, options)
    if (!found) setResults({ index: -1, count: 0 })
  }

  // Search again as the query or a toggle changes, from where the current match is.
  const change = (next: Partial<Search>) => {
    const search = { query: current, caseSensitive: matchCase, regex: useRegex, ...next }
    setQuery(search.query)
    setCaseSensitive(search.caseSensitive)
    setRegex(search.regex)
    // A changed toggle is a new search: drop the cached term so every match is counted again.
    if (search.caseSensitive !== matchCase || search.regex !== useRegex) handle.search.clearDecorations()
    find('next', true, search)
  }

  const close = () => {
    onClose()
    handle.term.focus()
  }

  const summary = invalid
    ? 'Not a valid pattern'
    : !current || !results
      ? ''
      : results.count === 0
        ? 'No matches'
        : results.index < 0
          ? `${results.count}+ matches`
          : `${results.index + 1} of ${results.count}`

  return (
    <div className="term-find" role="search" aria-label="Find in terminal">
      <input
        ref={input}
        className="input input-mono term-find-input"
        aria-label="Find"
        placeholder="Find"
        value={current}
        aria-invalid={invalid}
        onChange={(e) => change({ query: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            find(e.shiftKey ? 'previous' : 'next')
          } else if (e.key === 'Escape') {
            e.preventDefault()
            close()
          }
        }}
      />
      <span className="term-find-count faint" role="status" aria-live="polite">{summary}</span>
      <button type="button" className={`term-icon-button${matchCase ? ' is-on' : ''}`} aria-pressed={matchCase} aria-label="Match case" title="Match case" onClick={() => change({ caseSensitive: !matchCase })}>
        <CaseSensitive size={15} aria-hidden="true" />
      </button>
      <button type="button" className={`term-icon-button${useRegex ? ' is-on' : ''}`} aria-pressed={useRegex} aria-label="Regular expression" title="Regular expression" onClick={() => change({ regex: !useRegex })}>
        <Regex size={14} aria-hidden="true" />
      </button>
      <button type="button" className="term-icon-button" aria-label="Previous match" title="Previous match (Shift+Enter)" onClick={() => find('previous')} disabled={!current}>
        <ArrowUp size={14} aria-hidden="true" />
      </button>
      <button type="button" className="term-icon-button" aria-label="Next match" title="Next match (Enter)" onClick={() => find('next')} disabled={!current}>
        <ArrowDown size={14} aria-hidden="true" />
      </button>
      <button type="button" className="term-icon-button" aria-label="Close find" title="Close (Escape)" onClick={close}>
        <X size={14} aria-hidden="true" />
      </button>
    </div>
  )
}
