/**
 * CodeMirror 6 in React: the editor is made once per document and read back through `onChange`;
 * `readOnly` and the language are reconfigured in place (compartments), so typing never remounts it.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands'
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from '@codemirror/language'
import { unifiedMergeView } from '@codemirror/merge'
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search'
import { Compartment, EditorState, type Extension } from '@codemirror/state'
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view'
import { useEffect, useRef } from 'react'

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: 'var(--text-sm)', backgroundColor: 'var(--bg)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-gutters': { backgroundColor: 'var(--bg-subtle)', color: 'var(--text-faint)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--bg-hover)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-content': { caretColor: 'var(--text)' }
})

function baseExtensions(): Extension[] {
  return [lineNumbers(), highlightActiveLineGutter(), foldGutter(), history(), drawSelection(), indentOnInput(), bracketMatching(), highlightActiveLine(), highlightSelectionMatches(), search({ top: true }), syntaxHighlighting(defaultHighlightStyle, { fallback: true }), keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, indentWithTab]), theme]
}

interface CodeEditorProps {
  /** A new `docKey` starts a new document (and undo history) with `initial`. */
  docKey: string
  initial: string
  language?: Extension
  readOnly?: boolean
  onChange?: (text: string) => void
  label: string
}

export function CodeEditor({ docKey, initial, language, readOnly = false, onChange, label }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const lang = useRef(new Compartment())
  const ro = useRef(new Compartment())
  const changed = useRef(onChange)
  useEffect(() => {
    changed.current = onChange
  }, [onChange])

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: initial,
        extensions: [
          baseExtensions(),
          lang.current.of(language ?? []),
          ro.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current?.(u.state.doc.toString())
          })
        ]
      })
    })
    view.current = v
    return () => {
      v.destroy()
      view.current = null
    }
    // A new document only when docKey changes (`initial` follows the typing, and must not reset it); the
    // other props are reconfigured below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [docKey])

  useEffect(() => {
    view.current?.dispatch({ effects: lang.current.reconfigure(language ?? []) })
  }, [language])

  useEffect(() => {
    view.current?.dispatch({ effects: ro.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]) })
  }, [readOnly])

  return <div className="files-code" ref={host} />
}

/** The new text with what changed against the host's text marked, read-only: what a save will write. */
export function DiffView({ original, edited, language }: { original: string; edited: string; language?: Extension }) {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: edited,
        extensions: [lineNumbers(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }), theme, language ?? [], EditorState.readOnly.of(true), EditorView.editable.of(false), unifiedMergeView({ original, mergeControls: false, gutter: true })]
      })
    })
    return () => v.destroy()
  }, [original, edited, language])
  return <div className="files-diff" ref={host} aria-label="Changes to save" />
}
