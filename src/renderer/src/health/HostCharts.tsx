/**
 * A connected host's sampled facts over time (recharts): CPU, memory, disk and load, each with the
 * alert threshold drawn as a line, and network in/out, values on hover, and a 1 h / 6 h / 24 h / 7 d picker.
 * Colours come from the theme's CSS variables, so both themes read alike.
 *
 * Drawn for speed (10 hosts' 7 days in one screen): every chart at a fixed size from one measurement of
 * the grid (no ResponsiveContainer per chart), points thinned to the chart's pixel columns, ticks given
 * (recharts measures no labels), no animation, no dots, straight segments, props that stay the same
 * object between renders (recharts re-derives a chart when one changes), and a host's charts drawn when
 * on screen or in their idle turn (draw-turn.ts).
 */
import { memo, useMemo, useState, type ReactNode } from 'react'
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts'
import type { MetricsRange, Result } from '../../../shared/contract'
import { useContractQuery } from '../rpc/contract-queries'
import { columnsFor, GRID_GAP, maxOf, RANGE_MS, thinToColumns, timeTicks, valueTicks, type ChartPoint, type MetricKey } from './chart-data'
import { useDrawTurn } from './draw-turn'
import { Segmented } from './Segmented'

const RANGES: MetricsRange[] = ['1h', '6h', '24h', '7d']
const RANGE_OPTIONS = RANGES.map((r) => ({ value: r, label: r }))

interface ChartSpec {
  id: string
  title: string
  keys: readonly MetricKey[]
  percent: boolean
  /** the latest value(s), for the caption */
  now: (p: ChartPoint | undefined) => string
  /** a hovered value, as the tooltip says it */
  format: (v: number | null) => string
  tick: (v: number) => string
  threshold: boolean
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v)}%`)
const load = (v: number | null) => (v === null ? '—' : v.toFixed(2))

const CHARTS: ChartSpec[] = [
  { id: 'cpu', title: 'CPU', keys: ['cpu'], percent: true, now: (p) => pct(p?.cpu ?? null), format: pct, tick: String, threshold: false },
  { id: 'mem', title: 'Memory', keys: ['mem'], percent: true, now: (p) => pct(p?.mem ?? null), format: pct, tick: String, threshold: true },
  { id: 'disk', title: 'Disk (fullest)', keys: ['disk'], percent: true, now: (p) => pct(p?.disk ?? null), format: pct, tick: String, threshold: true },
  { id: 'load1', title: 'Load (1 min)', keys: ['load1'], percent: false, now: (p) => load(p?.load1 ?? null), format: load, tick: (v) => String(+v.toFixed(2)), threshold: false },
  { id: 'net', title: 'Network in / out', keys: ['rx', 'tx'], percent: false, now: (p) => `${rate(p?.rx ?? null)} / ${rate(p?.tx ?? null)}`, format: (v) => rate(v), tick: (v) => rate(v, true), threshold: false }
]

const CHART_HEIGHT = 110
const Y_AXIS_WIDTH = 30
const MARGIN = { top: 4, right: 6, bottom: 0, left: 0 }
const PERCENT_TICKS = [0, 50, 100]
const PERCENT_DOMAIN: [number, number] = [0, 100]
const TOOLTIP_STYLE = { background: 'var(--bg-elevated)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12, color: 'var(--text)' }
const SERIES_NAME: Partial<Record<MetricKey, string>> = { rx: 'in', tx: 'out' }

// One formatter each, made once: toLocale*String builds a new Intl formatter per call.
const dayFormat = new Intl.DateTimeFormat([], { weekday: 'short', day: 'numeric' })
const timeFormat = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' })
const fullFormat = new Intl.DateTimeFormat([], { dateStyle: 'medium', timeStyle: 'medium' })
const dayTick = (t: number) => dayFormat.format(t)
const timeTick = (t: number) => timeFormat.format(t)
const whenOf = (t: unknown) => fullFormat.format(Number(t))

export function HostCharts({ hostId, threshold }: { hostId: string; threshold: number }) {
  const [range, setRange] = useState<MetricsRange>('1h')
  const [ref, turn, measured] = useDrawTurn<HTMLElement>()
  // jsdom (tests) measures nothing: draw at a typical width there
  const width = measured || (typeof IntersectionObserver === 'undefined' ? 240 * 3 : 0)
  const local = useContractQuery('metrics.host', { hostId, range })
  const covers = local.data ? coversRange(local.data, range) : true
  // DigitalOcean's history only while Dropdeck's own samples do not reach back over the range
  const droplet = useContractQuery('metrics.droplet', { hostId, range }, { enabled: !covers })
  const source = pickSource(local.data, covers ? undefined : droplet.data)
  const points = source.points
  return (
    <section className="hcharts" aria-label={`Charts for ${hostId}`} ref={ref}>
      <div className="hcharts-head">
        <h4>Over time</h4>
        <Segmented name={`range-${hostId}`} label={`Time range for ${hostId}`} value={range} options={RANGE_OPTIONS} onChange={setRange} />
        <span className="faint small">{source.summary}</span>
      </div>
      {!turn || !width || !local.data ? (
        <div className="hcharts-placeholder" />
      ) : points.length < 2 ? (
        <p className="faint small hcharts-empty">{source.note ?? (local.isError ? 'Metrics could not be read.' : 'Collecting samples: a point every 15 s while the host is connected.')}</p>
      ) : (
        <>
          <ChartGrid hostId={hostId} points={points} range={range} width={width} threshold={threshold} />
          {source.note && <p className="faint small hcharts-source">{source.note}</p>}
        </>
      )}
    </section>
  )
}

type LocalMetrics = Result<'metrics.host'>
type DropletMetrics = Result<'metrics.droplet'>

/** True when the local samples reach back to the range's start (within a step or 5% of the range). */
function coversRange(m: LocalMetrics, range: MetricsRange): boolean {
  const first = m.points[0]?.t
  if (first === undefined) return false
  const slack = Math.max(2 * m.stepSeconds * 1000, RANGE_MS[range] * 0.05)
  return first <= m.points[m.points.length - 1].t - RANGE_MS[range] + slack
}

const clock = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' })
const sinceOf = (t: number) => (Date.now() - t > 86_400_000 ? fullFormat.format(t) : clock.format(t))

/**
 * What the charts draw: DigitalOcean's history when the local samples do not cover the range and the
 * droplet has it, else the local samples; with a quiet note saying which and why.
 */
function pickSource(local: LocalMetrics | undefined, droplet: DropletMetrics | undefined): { points: ChartPoint[]; summary: string; note?: ReactNode } {
  const own = local?.points ?? []
  const summary = local ? `${own.length} points${local.stepSeconds > 15 ? `, ${local.stepSeconds} s averages` : ', every 15 s'}` : ''
  const since = own.length ? `Dropdeck has sampled this host since ${sinceOf(own[0].t)}` : 'Dropdeck has no samples of this host yet'
  if (!droplet) return { points: own, summary }
  const fetched = droplet.fetchedAt ? ` fetched at ${clock.format(Date.parse(droplet.fetchedAt))}` : ''
  if ((droplet.status === 'ok' || droplet.status === 'rate-limited') && droplet.points.length >= 2) {
    const held = droplet.status === 'rate-limited' ? ' (the refresh waits for the token’s hourly budget)' : ''
    return { points: droplet.points, summary: `${droplet.points.length} points from DigitalOcean`, note: `Drawn from DigitalOcean’s monitoring history,${fetched}${held}. ${since}; its own samples are drawn once they cover the range.` }
  }
  if (droplet.status === 'no-agent')
    return {
      points: own,
      summary,
      note: (
        <>
          This droplet has no metrics agent, so DigitalOcean keeps no history of it. To have one, install do-agent on it: <code>curl -sSL https://repos.insights.digitalocean.com/install.sh | sudo bash</code>. {since}.
        </>
      )
    }
  if (droplet.status === 'no-token') return { points: own, summary, note: `${since}. If it is a DigitalOcean droplet, a DigitalOcean token (Settings) fills in the earlier history.` }
  if (droplet.status === 'rate-limited') return { points: own, summary, note: `${since}. DigitalOcean’s history waits for the token’s hourly budget${droplet.nextRefreshAt ? ` (next try at ${clock.format(Date.parse(droplet.nextRefreshAt))})` : ''}.` }
  return { points: own, summary }
}

/** The five charts; memoised so a card's other refreshes (facts, units, containers) do not redraw them. */
const ChartGrid = memo(function ChartGrid({ hostId, points, range, width, threshold }: { hostId: string; points: ChartPoint[]; range: MetricsRange; width: number; threshold: number }) {
  const { columns, columnWidth } = columnsFor(width)
  const plotWidth = columnWidth - Y_AXIS_WIDTH - MARGIN.left - MARGIN.right
  const from = points[0].t
  const to = points[points.length - 1].t
  const xTicks = useMemo(() => timeTicks(from, to, plotWidth), [from, to, plotWidth])
  const xDomain = useMemo(() => [from, to] as [number, number], [from, to])
  const style = useMemo(() => ({ gridTemplateColumns: `repeat(${columns}, ${columnWidth}px)`, columnGap: GRID_GAP }), [columns, columnWidth])
  const last = points[points.length - 1]
  return (
    <div className="hcharts-grid" style={style}>
      {CHARTS.map((spec) => (
        <figure key={spec.id} className={`hchart hchart-${spec.id}`} aria-label={`${spec.title} on ${hostId}`}>
          <figcaption>
            {spec.title}
            <span className="mono">{spec.now(last)}</span>
          </figcaption>
          <MetricChart spec={spec} points={points} width={columnWidth} plotWidth={plotWidth} xTicks={xTicks} xDomain={xDomain} tick={range === '7d' ? dayTick : timeTick} threshold={threshold} />
        </figure>
      ))}
    </div>
  )
})

const MetricChart = memo(function MetricChart({
  spec,
  points,
  width,
  plotWidth,
  xTicks,
  xDomain,
  tick,
  threshold
}: {
  spec: ChartSpec
  points: ChartPoint[]
  width: number
  plotWidth: number
  xTicks: number[]
  xDomain: [number, number]
  tick: (t: number) => string
  threshold: number
}) {
  // two points (min and max) per two pixel columns: no more points than pixels, and a spike stays drawn
  const data = useMemo(() => thinToColumns(points, spec.keys, Math.max(10, Math.floor(plotWidth / 2))), [points, spec.keys, plotWidth])
  const yTicks = useMemo(() => (spec.percent ? PERCENT_TICKS : valueTicks(maxOf(data, spec.keys))), [data, spec])
  const yDomain = useMemo(() => (spec.percent ? PERCENT_DOMAIN : ([0, yTicks[yTicks.length - 1]] as [number, number])), [spec.percent, yTicks])
  const formatter = useMemo(() => (v: unknown, name: unknown) => [spec.format(typeof v === 'number' ? v : null), SERIES_NAME[name as MetricKey] ?? spec.title] as [string, string], [spec])
  const label = useMemo(() => ({ value: `${threshold}%`, position: 'insideTopRight' as const, fontSize: 10 }), [threshold])
  // The tooltip is mounted on the first pointer over the chart: one recharts part less per chart to draw
  // (the chart follows the pointer from the start, so the first hover already shows its values).
  const [hovered, setHovered] = useState(false)
  const hover = useMemo(() => () => setHovered(true), [])
  return (
    <LineChart width={width} height={CHART_HEIGHT} data={data} margin={MARGIN} onMouseEnter={hovered ? undefined : hover}>
      <CartesianGrid vertical={false} strokeDasharray="2 3" />
      <XAxis dataKey="t" type="number" scale="time" domain={xDomain} ticks={xTicks} interval={0} tickFormatter={tick} tickLine={false} fontSize={10} />
      <YAxis domain={yDomain} ticks={yTicks} interval={0} tickFormatter={spec.tick} tickLine={false} axisLine={false} fontSize={10} width={Y_AXIS_WIDTH} />
      {spec.threshold && <ReferenceLine y={threshold} className="hchart-threshold" strokeDasharray="4 3" ifOverflow="extendDomain" label={label} />}
      {hovered && <Tooltip isAnimationActive={false} labelFormatter={whenOf} formatter={formatter} contentStyle={TOOLTIP_STYLE} />}
      {spec.keys.map((key, i) => (
        // No dash pattern on a line: recharts measures a dashed path's length (getTotalLength), a layout per line.
        <Line key={key} type="linear" dataKey={key} className={`hchart-${key}`} stroke="currentColor" strokeOpacity={i ? 0.45 : 1} strokeWidth={1.5} dot={false} activeDot={{ r: 3 }} isAnimationActive={false} connectNulls />
      ))}
    </LineChart>
  )
})

/** Bytes per second as B/s, KB/s, MB/s; short (axis ticks): 600, 1.2K, 3M. */
function rate(v: number | null, short = false): string {
  if (v === null) return '—'
  const [n, u] = v >= 1e6 ? [v / 1e6, 'MB'] : v >= 1e3 ? [v / 1e3, 'KB'] : [v, 'B']
  const num = n >= 10 || u === 'B' ? String(Math.round(n)) : String(+n.toFixed(1))
  return short ? `${num}${u === 'B' ? '' : u[0]}` : `${num} ${u}/s`
}

/** The last hour of CPU as a small line, for the host card's header (plain SVG: one path, no chart). */
export function Sparkline({ hostId, title }: { hostId: string; title: string }) {
  const metrics = useContractQuery('metrics.host', { hostId, range: '1h' })
  const points = metrics.data?.points
  const spark = useMemo(() => {
    const pts = (points ?? []).filter((p) => p.cpu !== null)
    if (pts.length < 2) return null
    const t0 = pts[0].t
    const span = Math.max(1, pts[pts.length - 1].t - t0)
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${(((p.t - t0) / span) * SPARK_W).toFixed(1)},${(SPARK_H - ((p.cpu ?? 0) / 100) * SPARK_H).toFixed(1)}`).join(' ')
    return { d, now: Math.round(pts[pts.length - 1].cpu ?? 0) }
  }, [points])
  if (!spark) return null
  return (
    <svg className="hspark" width={SPARK_W} height={SPARK_H} viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} role="img" aria-label={`${title}: CPU over the last hour, now ${spark.now}%`}>
      <path d={spark.d} fill="none" stroke="currentColor" strokeWidth="1.25" />
    </svg>
  )
}
const SPARK_W = 120
const SPARK_H = 22
