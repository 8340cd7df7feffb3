/**
 * Builds one xterm.js terminal with everything a tab needs: fit, the WebGL renderer on a GPU (the DOM
 * renderer when WebGL2 is missing, only emulated in software, or its context is lost), search, web links (only http and
 * https, opened through the app's external-open path), Unicode 11 widths, 10,000 lines of scrollback,
 * and the terminal-style clipboard keys (Ctrl+Shift+C copies the selection, Ctrl+Shift+V pastes, with
 * bracketed paste when the shell asked for it, since xterm's paste() honours that mode). The app's
 * own shortcuts go to the app unless settings.terminalShortcutsToShell sends them to the shell.
 */
import { FitAddon } from '@xterm/addon-fit'
import { SearchAddon } from '@xterm/addon-search'
import { Unicode11Addon } from '@xterm/addon-unicode11'
import { WebLinksAddon } from '@xterm/addon-web-links'
import { WebglAddon } from '@xterm/addon-webgl'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import { isAppShortcut } from '../navigation/shortcuts'
import { openUrl } from '../ssh/ssh-queries'
import { isOpenableLink } from './openable-link'

export const SCROLLBACK_LINES = 10_000

export type RendererKind = 'webgl' | 'dom'

export interface XtermHandle {
  term: Terminal
  fit: FitAddon
  search: SearchAddon
  /** Which renderer draws now; `onRendererChange` fires when WebGL is lost and the DOM takes over. */
  renderer(): RendererKind
  onRendererChange(listener: (kind: RendererKind) => void): void
  /** Called for Ctrl+Shift+F, so the tab can open its find bar. */
  onFindRequest(listener: () => void): void
  dispose(): void
}

export const SEARCH_DECORATIONS = {
  matchBackground: '#5a4a1a',
  matchOverviewRuler: '#d1a32f',
  activeMatchBackground: '#b8860b',
  activeMatchColorOverviewRuler: '#ffd24a'
}

let gpuWebgl2: boolean | undefined

/**
 * Whether WebGL2 here runs on a GPU. A software rasterizer (SwiftShader, llvmpipe: a VM or a machine
 * without GPU drivers) draws a terminal several times slower than the DOM renderer (bench:terminal
 * measured 0.3 MB/s against 3 MB/s), so there the DOM renderer is the fast one.
 */
export function hasGpuWebgl2(): boolean {
  if (gpuWebgl2 !== undefined) return gpuWebgl2
  gpuWebgl2 = false
  try {
    const gl = typeof WebGL2RenderingContext === 'undefined' ? null : document.createElement('canvas').getContext('webgl2')
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info')
      const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
      gpuWebgl2 = !/swiftshader|llvmpipe|softpipe|software/i.test(renderer)
      gl.getExtension('WEBGL_lose_context')?.loseContext() // the probe's context is not needed any more
    }
  } catch {
    gpuWebgl2 = false
  }
  return gpuWebgl2
}

export interface XtermOptions {
  /** Read on every key: true sends the app's shortcuts (Alt+1…9, Ctrl/⌘+K…) to the shell too. */
  shortcutsToShell?: () => boolean
}

export function createXterm(el: HTMLElement, options: XtermOptions = {}): XtermHandle {
  const styles = getComputedStyle(document.documentElement)
  const term = new Terminal({
    fontFamily: styles.getPropertyValue('--font-mono').trim() || 'monospace',
    fontSize: 13,
    scrollback: SCROLLBACK_LINES,
    cursorBlink: true,
    allowProposedApi: true, // the Unicode 11 addon sets term.unicode.activeVersion, a proposed API
    theme: { background: '#16161a', foreground: '#e4e4e8', selectionBackground: '#3d5ee166' }
  })
  const fit = new FitAddon()
  const search = new SearchAddon()
  term.loadAddon(fit)
  term.loadAddon(search)
  term.loadAddon(new WebLinksAddon((_event, uri) => {
    if (isOpenableLink(uri)) openUrl(uri)
  }))
  term.loadAddon(new Unicode11Addon())
  term.unicode.activeVersion = '11'
  term.open(el)

  let kind: RendererKind = 'dom'
  const rendererListeners: Array<(kind: RendererKind) => void> = []
  const setKind = (next: RendererKind) => {
    kind = next
    for (const listener of rendererListeners) listener(next)
  }
  if (hasGpuWebgl2()) {
    try {
      const webgl = new WebglAddon()
      webgl.onContextLoss(() => {
        // The GPU went away (driver reset, too many contexts): keep the scrollback, draw with the DOM.
        webgl.dispose()
        setKind('dom')
      })
      term.loadAddon(webgl)
      kind = 'webgl'
    } catch {
      kind = 'dom' // no WebGL2 context here (headless, blocklisted GPU): the DOM renderer stays
    }
  }

  const findListeners: Array<() => void> = []
  term.attachCustomKeyEventHandler((event) => {
    // The app's shortcuts skip the shell (keydown and the keypress/keyup that follow): false keeps
    // xterm from handling, and so from cancelling, the event, which then reaches the window's handler.
    if (!options.shortcutsToShell?.() && isAppShortcut(event)) return false
    if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey) return true
    const key = event.key.toLowerCase()
    if (key === 'c') {
      const selection = term.getSelection()
      if (selection) void navigator.clipboard.writeText(selection).catch(() => undefined)
      event.preventDefault()
      return false
    }
    if (key === 'v') {
      void navigator.clipboard.readText().then((text) => text && term.paste(text), () => undefined)
      event.preventDefault()
      return false
    }
    if (key === 'f') {
      for (const listener of findListeners) listener()
      event.preventDefault()
      return false
    }
    return true
  })

  return {
    term,
    fit,
    search,
    renderer: () => kind,
    onRendererChange: (listener) => void rendererListeners.push(listener),
    onFindRequest: (listener) => void findListeners.push(listener),
    dispose: () => term.dispose()
  }
}
