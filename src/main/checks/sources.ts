/**
 * What checks, proposals and the audit report read from the rest of the app, through the same
 * router calls the UI makes (so they see the services' caches, validation and errors), plus the SSH
 * pool's connection state. Provider lists are read tolerantly: a list may come as an array or as
 * `{items, errors}` when some provider failed, and a provider without a token contributes nothing.
 */
import type { z } from 'zod'
import type { Droplet, FirewallSchema, MethodName, Params, Result } from '../../shared/contract'
import type { Container, HealthResult } from '../../shared/contract/containers'
import type { HostFacts } from '../../shared/contract/facts'
import type { Unit } from '../../shared/contract/units'
import { DropdeckError } from '../../shared/errors'
import type { CallContext } from '../rpc/context'
import type { Router } from '../rpc/router'
import type { SshServices } from '../ssh/ssh-handlers'
import type { DockerEngine } from '../docker/engine'
import { showCommand, showFailure } from '../systemd/systemctl-commands'
import { parseUnits } from '../systemd/systemctl-show'
import type { DnsKnowledge, KnownRecord } from './probes/dns-probe'
import type { HostAccess } from './probes/host-runner'

export interface HostSummary {
  id: string
  hostname: string
  state: string
  source: string
}

export interface Zone {
  provider: 'digitalocean' | 'cloudflare'
  id: string
  name: string
}

export interface HealthSources {
  host: HostAccess
  hosts(): Promise<HostSummary[]>
  facts(hostId: string): Promise<HostFacts>
  containers(hostId: string): Promise<Container[]>
  containerHealth(hostId: string, id: string): Promise<HealthResult[]>
  /** The named units, or the host's picked units. */
  units(hostId: string, names?: readonly string[]): Promise<Unit[]>
  threshold(): Promise<number>
  droplets(): Promise<Droplet[]>
  zones(): Promise<Zone[]>
  records(zone: Zone): Promise<KnownRecord[]>
  dnsKnowledge(): Promise<DnsKnowledge>
  missingHostnames(): Promise<Array<{ hostname: string; usedBy: string }>>
  firewalls(): Promise<Array<z.infer<typeof FirewallSchema>>>
  /** Droplet detail (features, backups); null when it cannot be read. */
  dropletDetail(id: number): Promise<Result<'droplets.get'> | null>
  /** The URL a container's own health check fetches (with its environment filled in), if it fetches one. */
  containerHealthUrl(hostId: string, id: string): Promise<string | null>
}

/** `wget -q -O- http://127.0.0.1:$PORT/health` with PORT=8069 in the environment: http://127.0.0.1:8069/health. */
export function healthUrlOf(test: readonly string[] | undefined, env: readonly string[] | undefined): string | null {
  if (!test || test[0] === 'NONE') return null
  const vars = new Map((env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
  const command = test.slice(1).join(' ').replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => vars.get(name) ?? whole)
  const url = /https?:\/\/[^\s'"|;&)]+/.exec(command)?.[0]
  return url && !url.includes('$') ? url.replace('//localhost', '//127.0.0.1') : null
}

/** An array, or the array inside `{items|droplets|zones|records: [...]}`. */
export function listOf<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[]
  if (value && typeof value === 'object') {
    for (const key of ['items', 'droplets', 'zones', 'records', 'firewalls', 'hostnames']) {
      const inner = (value as Record<string, unknown>)[key]
      if (Array.isArray(inner)) return inner as T[]
    }
  }
  return []
}

export function createSources(getRouter: () => Router, ctx: CallContext, ssh: SshServices, engine: DockerEngine): HealthSources {
  async function call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const envelope = await getRouter().call(method, params, ctx)
    if (!envelope.ok) throw new DropdeckError(envelope.error.code, envelope.error.message, { retryable: envelope.error.retryable, data: envelope.error.data })
    return envelope.result as Result<M>
  }
  // No token, or a provider down: the lists Dropdeck cannot read are empty for checks and reports.
  const quiet = async <T>(fn: () => Promise<T>, fallback: T): Promise<T> => fn().catch(() => fallback)
  const quietList = async (fn: () => Promise<unknown>): Promise<unknown> => fn().catch(() => [])
  const hasToken = async (provider: 'digitalocean' | 'cloudflare') => quiet(async () => (await call('secrets.status', {}))[provider], false)

  const sources: HealthSources = {
    host: { state: (hostId) => ssh.pool.state(hostId).state, exec: (hostId, command, options) => ssh.exec(hostId, command, options) },
    hosts: async () => listOf<HostSummary>(await call('hosts.list', {})),
    facts: (hostId) => call('hosts.facts', { hostId }),
    containers: (hostId) => call('containers.list', { hostId }),
    containerHealth: (hostId, id) => call('containers.health', { hostId, id }),
    units: async (hostId, names) => {
      if (!names) return call('units.list', { hostId })
      if (names.length === 0) return []
      const r = await ssh.exec(hostId, showCommand(names), { timeoutMs: 15_000 })
      if (r.code !== 0) throw showFailure(hostId, r)
      return parseUnits(names, r.stdout)
    },
    threshold: async () => (await call('settings.get', {})).alertThresholdPercent,
    droplets: async () => ((await hasToken('digitalocean')) ? listOf<Droplet>(await quietList(() => call('droplets.list', {}))) : []),
    zones: async () => listOf<Zone>(await quietList(() => call('dns.zones.list', {}))),
    records: async (zone) => listOf<KnownRecord>(await quietList(() => call('dns.records.list', { provider: zone.provider, zoneId: zone.id }))),
    dnsKnowledge: async () => {
      const [zones, droplets] = await Promise.all([sources.zones(), sources.droplets()])
      const records = (await Promise.all(zones.map((z) => sources.records(z)))).flat()
      const dropletByAddress = new Map<string, string>()
      for (const d of droplets) for (const ip of [d.publicIpv4, d.privateIpv4, d.publicIpv6]) if (ip) dropletByAddress.set(ip, d.name)
      return { zones: zones.map((z) => z.name.toLowerCase()), records, dropletByAddress }
    },
    missingHostnames: async () => listOf<{ hostname: string; usedBy: string }>(await quietList(() => call('dns.missing', {}))),
    firewalls: async () => ((await hasToken('digitalocean')) ? listOf<z.infer<typeof FirewallSchema>>(await quietList(() => call('firewalls.list', {}))) : []),
    dropletDetail: (id) => quiet(() => call('droplets.get', { id }), null),
    containerHealthUrl: async (hostId, id) => {
      const inspect = (await engine.request(hostId, 'GET', `/containers/${encodeURIComponent(id)}/json`)).json<{ Config?: { Healthcheck?: { Test?: string[] }; Env?: string[] } }>()
      return healthUrlOf(inspect.Config?.Healthcheck?.Test, inspect.Config?.Env)
    }
  }
  return sources
}
