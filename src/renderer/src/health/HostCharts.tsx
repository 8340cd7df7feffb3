/**
 * A connected host's sampled facts over time (recharts): CPU, memory, disk and load, each with the
 * alert threshold drawn as a line, and network in/out,, values on hover, and a 1 h / 6 h / 24 h / 7 d picker. Colours come
 * from the theme's CSS variables, so both themes read alike.
 */
import { useEffect, useRef, useState, type RefObject } from 'react'
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { MetricPoint, MetricsRange } from '../../../shared/contract'
import { useMetrics } from './checks-queries'
import { Segmented } from './Segmented'

const RANGES: MetricsRange[] = ['1h', '6h', '24h', '7d']

interface Series {
  key: keyof Omit<MetricPoint, 't'>
  title: string
  unit: string
  percent: boolean
}

const SERIES: Series[] = [
  { key: 'cpu', title: 'CPU', unit: '%', percent: true },
  { key: 'mem', title: 'Memory', unit: '%', percent: true },
  { key: 'disk', title: 'Disk (fullest)', unit: '%', percent: true },
  { key: 'load1', title: 'Load (1 min)', unit: '', percent: false }
]

// One formatter each, made once: toLocale*String builds a new Intl formatter per call, and recharts formats
// ticks many times per chart (that alone took most of the time drawing 10 hosts' charts).
const dayFormat = new Intl.DateTimeFormat([], { weekday: 'short', day: 'numeric' })
const timeFormat = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' })
const fullFormat = new Intl.DateTimeFormat([], { dateStyle: 'medium', timeStyle: 'medium' })
const timeOf = (range: MetricsRange) => (range === '7d' ? (t: number) => dayFormat.format(t) : (t: number) => timeFormat.format(t))
const whenOf = (t: unknown) => fullFormat.format(Number(t))

/**
 * True once the element has come within a screen of the viewport: a host's charts are drawn when they are
 * about to be seen, not all at once for every host (recharts costs tens of ms a chart).
 */
function useNearView<T extends Element>(): [RefObject<T | null>, boolean] {
  const ref = useRef<T>(null)
  const [near, setNear] = useState(typeof IntersectionObserver === 'undefined')
  useEffect(() => {
    const el = ref.current
    if (near || !el) return
    // The area scrolls inside its own container: observe against it, so the margin reaches below its fold.
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setNear(true)
      },
      { root: scrollParent(el), rootMargin: '100% 0px' }
    )
    io.observe(el)
    return () => io.disconnect()
  }, [near])
  return [ref, near]
}

function scrollParent(el: Element): Element | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const { overflowY } = getComputedStyle(p)
    if (overflowY === 'auto' || overflowY === 'scroll') return p
  }
  return null
}

export function HostCharts({ hostId, threshold }: { hostId: string; threshold: number }) {
  const [range, setRange] = useState<MetricsRange>('1h')
  const [ref, near] = useNearView<HTMLElement>()
  const metrics = useMetrics(hostId, range)
  const points = metrics.data?.points ?? []
  const tick = timeOf(range)
  return (
    <section className="hcharts" aria-label={`Charts for ${hostId}`} ref={ref}>
      <div className="hcharts-head">
        <h4>Over time</h4>
        <Segmented name={`range-${hostId}`} label={`Time range for ${hostId}`} value={range} options={RANGES.map((r) => ({ value: r, label: r }))} onChange={setRange} />
        <span className="faint small">{metrics.data ? `${points.length} points${metrics.data.stepSeconds > 15 ? `, ${metrics.data.stepSeconds} s averages` : ', every 15 s'}` : ''}</span>
      </div>
      {!near ? (
        <div className="hcharts-placeholder" />
      ) : points.length < 2 ? (
        <p className="faint small hcharts-empty">{metrics.isError ? 'Metrics could not be read.' : 'Collecting samples: a point every 15 s while the host is connected.'}</p>
      ) : (
        <div className="hcharts-grid">
          {SERIES.map((s) => (
            <figure key={s.key} className={`hchart hchart-${s.key}`} aria-label={`${s.title} on ${hostId}`}>
              <figcaption>
                {s.title}
                <span className="mono">{formatValue(points.at(-1)?.[s.key] ?? null, s)}</span>
              </figcaption>
              <ResponsiveContainer width="100%" height={110}>
                <LineChart data={points} margin={{ top: 4, right: 6, bottom: 0, left: 0 }}>
                  <CartesianGrid vertical={false} strokeDasharray="2 3" />
                  <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} minTickGap={40} tickLine={false} fontSize={10} />
                  <YAxis domain={s.percent ? [0, 100] : [0, 'auto']} tickLine={false} axisLine={false} fontSize={10} width={30} />
                  {s.percent && s.key !== 'cpu' && <ReferenceLine y={threshold} className="hchart-threshold" strokeDasharray="4 3" ifOverflow="extendDomain" label={{ value: `${threshold}%`, position: 'insideTopRight', fontSize: 10 }} />}
                  <Tooltip
                    isAnimationActive={false}
                    labelFormatter={whenOf}
                    formatter={(v) => [formatValue(typeof v === 'number' ? v : null, s), s.title]}
                    contentStyle={{ background: 'var(--bg-elevated)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12, color: 'var(--text)' }}
                  />
                  <Line type="monotone" dataKey={s.key} stroke="currentColor" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls />
                </LineChart>
              </ResponsiveContainer>
            </figure>
          ))}
          <figure className="hchart hchart-net" aria-label={`Network on ${hostId}`}>
            <figcaption>
              Network in / out
              <span className="mono">
                {rate(points.at(-1)?.rx ?? null)} / {rate(points.at(-1)?.tx ?? null)}
              </span>
            </figcaption>
            <ResponsiveContainer width="100%" height={110}>
              <LineChart data={points} margin={{ top: 4, right: 6, bottom: 0, left: 0 }}>
                <CartesianGrid vertical={false} strokeDasharray="2 3" />
                <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} minTickGap={40} tickLine={false} fontSize={10} />
                <YAxis tickFormatter={(v: number) => rate(v, true)} tickLine={false} axisLine={false} fontSize={10} width={30} />
                <Tooltip
                  isAnimationActive={false}
                  labelFormatter={whenOf}
                  formatter={(v, name) => [rate(typeof v === 'number' ? v : null), name === 'rx' ? 'in' : 'out']}
                  contentStyle={{ background: 'var(--bg-elevated)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12, color: 'var(--text)' }}
                />
                <Line type="monotone" dataKey="rx" className="hchart-rx" stroke="currentColor" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls />
                {/* No dash pattern: recharts measures a dashed path's length (getTotalLength), a layout per line. */}
                <Line type="monotone" dataKey="tx" className="hchart-tx" stroke="currentColor" strokeOpacity={0.45} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls />
              </LineChart>
            </ResponsiveContainer>
          </figure>
        </div>
      )}
    </section>
  )
}

/** Bytes per second as B/s, KB/s, MB/s; short (axis ticks): 600, 1.2K, 3M. */
function rate(v: number | null, short = false): string {
  if (v === null) return '—'
  const [n, u] = v >= 1e6 ? [v / 1e6, 'MB'] : v >= 1e3 ? [v / 1e3, 'KB'] : [v, 'B']
  const num = n >= 10 || u === 'B' ? String(Math.round(n)) : n.toFixed(1)
  return short ? `${num}${u === 'B' ? '' : u[0]}` : `${num} ${u}/s`
}

function formatValue(v: number | null, s: Series): string {
  if (v === null) return '—'
  return s.percent ? `${Math.round(v)}${s.unit}` : v.toFixed(2)
}

/** The last hour of one series as a small line, for the host card's header. */
export function Sparkline({ hostId, title }: { hostId: string; title: string }) {
  const metrics = useMetrics(hostId, '1h')
  const pts = (metrics.data?.points ?? []).filter((p) => p.cpu !== null)
  if (pts.length < 2) return null
  const w = 120
  const h = 22
  const t0 = pts[0].t
  const span = Math.max(1, pts.at(-1)!.t - t0)
  const d = pts.map((p, i) => `${i ? 'L' : 'M'}${(((p.t - t0) / span) * w).toFixed(1)},${(h - ((p.cpu ?? 0) / 100) * h).toFixed(1)}`).join(' ')
  return (
    <svg className="hspark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${title}: CPU over the last hour, now ${Math.round(pts.at(-1)!.cpu ?? 0)}%`}>
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.25" />
    </svg>
  )
}
