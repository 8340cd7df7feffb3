/** One line of the merged log: time, the source's colour tag, the text; level and notices styled. */
import { memo } from 'react'
import type { ViewLine } from './log-store'

export const ROW_HEIGHT = 20
/** Eight tag colours that read on light and dark; a source keeps its colour by its index. */
const TAG_COLOURS = ['#3d7be1', '#c2410c', '#15803d', '#9333ea', '#0e7490', '#b45309', '#be185d', '#4d7c0f']

export function tagColour(index: number): string {
  return TAG_COLOURS[index % TAG_COLOURS.length]
}

function time(ts: number): string {
  const d = new Date(ts)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
}

/** As copied and exported: ISO time, source, stream, text. */
export function formatLine(l: ViewLine, label: string): string {
  return `${new Date(l.ts).toISOString()} ${label}${l.stream === 'stderr' ? ' stderr' : ''}${l.notice ? ` [${l.notice}]` : ''} ${l.text}`
}

export const LogRow = memo(function LogRow({ line, label, top, target }: { line: ViewLine; label: string; top: number; target: boolean }) {
  const cls = `log-row${line.level ? ` level-${line.level}` : ''}${line.notice ? ` log-notice notice-${line.notice}` : ''}${target ? ' is-target' : ''}`
  return (
    <div className={cls} style={{ transform: `translateY(${top}px)` }} data-source={line.source}>
      <span className="log-time">{time(line.ts)}</span>
      <span className="log-tag" style={{ borderColor: tagColour(line.source), color: tagColour(line.source) }} title={label}>
        {label}
      </span>
      {line.stream === 'stderr' && <span className="log-stream">err</span>}
      <span className="log-text" title={line.text.length > 200 ? undefined : line.text}>
        {line.text}
      </span>
    </div>
  )
})
