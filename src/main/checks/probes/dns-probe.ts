/**
 * DNS checks: is there a record for the name in the zones Dropdeck manages, does it point at a
 * droplet (the one expected, when set), and does the name resolve to it. A name in a managed zone with
 * no record (seed 002's ipa.insightpulseai.net) and a record pointing at no droplet (a dangling
 * `staging`) are failures found from the providers alone; a record that is right at the provider is
 * then resolved, and a resolver that cannot be asked makes the run unknown rather than down.
 */
import { Resolver } from 'node:dns/promises'
import type { CheckSpec } from '../../../shared/contract/checks'
import { fail, ok, unknown, type ProbeResult } from '../probe-result'

type DnsCheck = Extract<CheckSpec, { kind: 'dns' }>

/** The part of a DNS record (dns.records.list) this check reads. */
export interface KnownRecord {
  name: string
  type: string
  content: string
  proxied: boolean | null
  droplet: { id: number; name: string } | null
  dangling: boolean
  danglingReason?: string
}

export interface DnsKnowledge {
  /** Zone names Dropdeck manages (any provider). */
  zones: string[]
  records: KnownRecord[]
  /** Droplet names by address, to judge what the name resolves to. */
  dropletByAddress: Map<string, string>
}

const ADDRESS_TYPES = new Set(['A', 'AAAA', 'CNAME'])
const NXDOMAIN = new Set(['ENOTFOUND'])
const NO_ADDRESS = new Set(['ENODATA'])

export function recordsFor(hostname: string, records: KnownRecord[]): KnownRecord[] {
  const name = hostname.toLowerCase().replace(/\.$/, '')
  const exact = records.filter((r) => ADDRESS_TYPES.has(r.type) && r.name.toLowerCase() === name)
  if (exact.length) return exact
  const parent = name.slice(name.indexOf('.') + 1)
  return records.filter((r) => ADDRESS_TYPES.has(r.type) && r.name.toLowerCase() === `*.${parent}`)
}

const zoneOf = (hostname: string, zones: string[]) => zones.find((z) => hostname === z || hostname.endsWith(`.${z}`))

/** The verdict from the providers' records; undefined when they leave it to resolution. */
export function judgeRecords(check: DnsCheck, known: DnsKnowledge): ProbeResult | { expected: KnownRecord[] } {
  const host = check.hostname.toLowerCase().replace(/\.$/, '')
  const zone = zoneOf(host, known.zones)
  const records = recordsFor(host, known.records)
  if (records.length === 0) {
    if (zone) return fail(`${host} has no A, AAAA or CNAME record in the ${zone} zone: it does not resolve (NXDOMAIN). Add a record pointing at its droplet, or stop using the name.`, { detail: `zone ${zone}` })
    return { expected: [] }
  }
  const dangling = records.filter((r) => r.dangling)
  if (dangling.length) {
    const r = dangling[0]
    return fail(`${host} points at ${r.content}, which is no droplet's address${r.danglingReason ? ` (${r.danglingReason})` : ''}: update the record to a droplet, or delete it.`, { detail: records.map((x) => `${x.type} ${x.content}`).join(', ') })
  }
  if (check.expectDroplet) {
    const addressRecords = records.filter((r) => r.type !== 'CNAME')
    if (addressRecords.length && !addressRecords.some((r) => r.droplet?.name === check.expectDroplet)) {
      const at = addressRecords.map((r) => `${r.content}${r.droplet ? ` (${r.droplet.name})` : ''}`).join(', ')
      return fail(`${host} points at ${at}, not at ${check.expectDroplet}.`, { detail: at })
    }
  }
  return { expected: records }
}

export async function probeDns(check: DnsCheck, known: DnsKnowledge): Promise<ProbeResult> {
  const judged = judgeRecords(check, known)
  if (!('expected' in judged)) return judged
  const host = check.hostname.toLowerCase().replace(/\.$/, '')
  const resolver = new Resolver({ timeout: Math.min(check.timeoutSeconds * 1000, 5000), tries: 2 })
  if (check.resolver) resolver.setServers([check.resolver])
  const started = performance.now()
  let addresses: string[]
  try {
    const [v4, v6] = await Promise.all([resolver.resolve4(host).catch(noData), resolver.resolve6(host).catch(noData)])
    addresses = [...v4, ...v6]
  } catch (err) {
    const code = (err as { code?: string }).code ?? ''
    const latencyMs = performance.now() - started
    if (NXDOMAIN.has(code)) return fail(`${host} does not resolve (NXDOMAIN)${judged.expected.length ? ' although the provider has a record: is the zone delegated to it?' : '.'}`, { latencyMs })
    const said = judged.expected.length ? `The provider's record says ${judged.expected.map((r) => r.content).join(', ')}; ` : ''
    return unknown(`${said}${host} could not be resolved from this machine (${code || (err as Error).message}).`, { latencyMs })
  }
  const latencyMs = performance.now() - started
  if (addresses.length === 0) return fail(`${host} resolves to no address.`, { latencyMs })
  const detail = `resolves to ${addresses.join(', ')}`
  const direct = judged.expected.filter((r) => r.type !== 'CNAME' && !r.proxied)
  // A proxied (Cloudflare) record resolves to the proxy's addresses, not the droplet's: judged by the API's record above.
  if (direct.length && !addresses.some((a) => direct.some((r) => r.content === a))) {
    return fail(`${host} resolves to ${addresses.join(', ')}, not to its record's ${direct.map((r) => r.content).join(', ')}: the change has not propagated, or another server answers for the zone.`, { latencyMs, detail })
  }
  if (!judged.expected.length && known.dropletByAddress.size && !addresses.some((a) => known.dropletByAddress.has(a))) {
    return fail(`${host} resolves to ${addresses.join(', ')}, which is no droplet's address.`, { latencyMs, detail })
  }
  if (check.expectDroplet && !judged.expected.length && !addresses.some((a) => known.dropletByAddress.get(a) === check.expectDroplet)) {
    return fail(`${host} resolves to ${addresses.join(', ')}, not to ${check.expectDroplet}.`, { latencyMs, detail })
  }
  const to = addresses.map((a) => (known.dropletByAddress.has(a) ? `${a} (${known.dropletByAddress.get(a)})` : a)).join(', ')
  return ok(`${host} resolves to ${to}.`, { latencyMs, detail })
}

function noData(err: { code?: string }): string[] {
  if (err.code && NO_ADDRESS.has(err.code)) return []
  throw err
}
