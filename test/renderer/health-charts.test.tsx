// @vitest-environment jsdom
/**
 * The host charts' sources and the data they draw, against the real router over in-memory answers:
 * DigitalOcean's history is asked for only while Dropdeck's own samples do not reach back over the
 * range, and is drawn with a line saying so; a droplet without the metrics agent gets one quiet line;
 * points are thinned to the chart's columns without losing a spike; time ticks fall on round times.
 */
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { MetricPoint, Result } from '../../src/shared/contract'
import { thinToColumns, timeTicks, valueTicks, type ChartPoint } from '../../src/renderer/src/health/chart-data'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type DropletMetrics = Result<'metrics.droplet'>

const host: Host = { id: 'web-1', name: 'web-1', hostname: '10.0.0.5', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected' } as Host
const now = Date.now()
const point = (t: number, cpu: number): MetricPoint => ({ t, cpu, load1: 0.5, mem: 40, swap: 0, disk: 60, rx: 1000, tx: 500 })
/** `minutes` of samples every 15 s up to now. */
const sampled = (minutes: number) => Array.from({ length: minutes * 4 }, (_, i) => point(now - (minutes * 4 - i) * 15_000, 10 + (i % 5)))

function app(localMinutes: number, droplet: DropletMetrics) {
  return renderApp(
    {
      handlers: {
        'hosts.list': () => [host],
        'containers.list': () => [],
        'units.list': () => [],
        'units.picked': () => ({ units: [] }),
        'alerts.list': () => [],
        'checks.list': () => [],
        'metrics.host': ({ hostId, range }) => ({ hostId, range, stepSeconds: 15, points: sampled(localMinutes) }),
        'metrics.droplet': () => droplet
      }
    },
    '#/health'
  )
}

const doPoints = Array.from({ length: 60 }, (_, i) => ({ ...point(now - (60 - i) * 60_000, 30), load1: null, swap: null }))
const dropletCalls = (fake: ReturnType<typeof app>['fake']) => fake.calls.filter((c) => c.method === 'metrics.droplet')

describe('Health charts: sources', () => {
  it('draws DigitalOcean’s history while the local samples do not cover the range, and says so', async () => {
    const fetchedAt = new Date(now - 60_000).toISOString()
    const { fake } = app(5, { status: 'ok', dropletId: 42, points: doPoints, fetchedAt, nextRefreshAt: new Date(now + 240_000).toISOString() })
    const charts = await screen.findByRole('region', { name: 'Charts for web-1' }, { timeout: 5000 })
    await within(charts).findByText('60 points from DigitalOcean')
    expect(within(charts).getByText(/Drawn from DigitalOcean’s monitoring history, fetched at/)).toBeTruthy()
    expect(dropletCalls(fake)[0].params).toEqual({ hostId: 'web-1', range: '1h' })
  })

  it('asks DigitalOcean nothing when the local samples cover the range', async () => {
    const { fake } = app(60, { status: 'ok', dropletId: 42, points: doPoints, fetchedAt: null, nextRefreshAt: null })
    const charts = await screen.findByRole('region', { name: 'Charts for web-1' }, { timeout: 5000 })
    await within(charts).findByText('240 points, every 15 s')
    // a longer range the local samples do not cover does ask
    fireEvent.click(within(charts).getByRole('radio', { name: '24h' }))
    await waitFor(() => expect(dropletCalls(fake).map((c) => c.params)).toEqual([{ hostId: 'web-1', range: '24h' }]))
  })

  it('says in one quiet line that a droplet has no metrics agent, and draws the local samples', async () => {
    app(5, { status: 'no-agent', dropletId: 42, points: [], fetchedAt: null, nextRefreshAt: null })
    const charts = await screen.findByRole('region', { name: 'Charts for web-1' }, { timeout: 5000 })
    await within(charts).findByText(/has no metrics agent/)
    expect(within(charts).getByText(/install do-agent/)).toBeTruthy()
    expect(within(charts).getByText('20 points, every 15 s')).toBeTruthy()
  })
})

describe('Health charts: data', () => {
  const flat = (n: number): ChartPoint[] => Array.from({ length: n }, (_, i) => ({ ...point(i * 1000, 10), load1: 1 }))

  it('thins to two points a column and keeps a one-sample spike', () => {
    const pts = flat(1000)
    pts[617] = { ...pts[617], cpu: 99 }
    const thin = thinToColumns(pts, ['cpu'], 50)
    expect(thin.length).toBeLessThanOrEqual(100)
    expect(thin.some((p) => p.cpu === 99)).toBe(true)
    expect(thin.map((p) => p.t)).toEqual([...thin.map((p) => p.t)].sort((a, b) => a - b))
  })

  it('leaves short series whole, without the points that have no value', () => {
    const pts = flat(10)
    pts[3] = { ...pts[3], cpu: null }
    expect(thinToColumns(pts, ['cpu'], 50)).toHaveLength(9)
  })

  it('puts time ticks on round times, as many as fit', () => {
    const from = Date.UTC(2026, 0, 1, 10, 7)
    const ticks = timeTicks(from, from + 3_600_000, 200)
    expect(ticks.length).toBeGreaterThanOrEqual(2)
    expect(ticks.length).toBeLessThanOrEqual(3)
    for (const t of ticks) expect(t % 60_000).toBe(0)
    // 40 s between two round minutes: the latest time, not an empty axis
    expect(timeTicks(from + 5_000, from + 45_000, 200)).toEqual([from + 45_000])
    expect(valueTicks(3.2)).toEqual([0, 2.5, 5])
    expect(valueTicks(0)).toEqual([0, 0.5, 1])
  })
})
