/**
 * The hosts Dropdeck can reach: ~/.ssh/config aliases (re-read on every list, so edits show up), hosts
 * added by hand (dataDir/hosts.json), and droplets (a hook the providers wire in). Settings only:
 * a host's connection state is the pool's (./host-view.ts puts the two together).
 *
 * ~/.ssh/config is read once per lookup: `get` and `resolve` parse it once and evaluate the list from
 * that parse (each parse evaluates every alias).
 */
import path from 'node:path'
import { z } from 'zod'
import { ManualHostInputSchema } from '../../shared/contract/ssh'
import { DropdeckError } from '../../shared/errors'
import { JsonFile, keepValidEntries } from '../storage/json-file'
import { parseProxyUrl } from './proxy-route'
import { defaultSshConfigPath, expandPath, readSshConfig, type HostConfig, type SshConfigFile } from './host-config'

export type ManualHostInput = z.output<typeof ManualHostInputSchema>

/** What the providers hand in for a droplet; the rest comes from ssh_config (`Host *`, an IP alias). */
export interface DropletHostInput {
  id: string
  name?: string
  hostname: string
  user: string
  port?: number
  identityFiles?: string[]
}

export interface HostsServiceDeps {
  dataDir: string
  env: NodeJS.ProcessEnv
  dropletHosts: () => Promise<DropletHostInput[]>
  log: (line: string) => void
  /** Reads and parses an ssh_config (readSshConfig); the count of reads is what tests measure. */
  readSshConfig?: (file: string) => Promise<SshConfigFile>
}

const ManualHostsFileSchema = z.array(ManualHostInputSchema)

export class HostsService {
  /** Hosts added by hand: dataDir/hosts.json. */
  private readonly manualHosts: JsonFile<ManualHostInput[]>
  /** The last list read, so state events go out synchronously and in order. */
  private known = new Map<string, HostConfig>()

  constructor(private readonly deps: HostsServiceDeps) {
    this.manualHosts = new JsonFile({
      file: path.join(deps.dataDir, 'hosts.json'),
      schema: ManualHostsFileSchema,
      empty: () => [],
      kind: 'hosts',
      startsFrom: 'no hosts added by hand',
      log: deps.log,
      logPrefix: 'ssh',
      repair: keepValidEntries(ManualHostInputSchema)
    })
  }

  private sshConfig(): Promise<SshConfigFile> {
    return (this.deps.readSshConfig ?? readSshConfig)(defaultSshConfigPath(this.deps.env))
  }

  private manual(): Promise<ManualHostInput[]> {
    return this.manualHosts.read()
  }

  /** Every host, ssh_config first; a later source never shadows an earlier alias. */
  async configs(): Promise<HostConfig[]> {
    return this.configsFrom(await this.sshConfig())
  }

  private async configsFrom(config: SshConfigFile): Promise<HostConfig[]> {
    const out = [...config.hosts]
    const seen = new Set(out.map((h) => h.id))
    const droplets = await this.deps.dropletHosts().catch((err: Error) => {
      this.deps.log(`ssh: droplet hosts unavailable: ${err.message}`)
      return []
    })
    for (const m of await this.manual()) {
      if (seen.has(m.id)) continue
      seen.add(m.id)
      out.push(overlay(config.compute(m.hostname), { ...m, source: 'manual' }))
    }
    for (const d of droplets) {
      if (seen.has(d.id)) continue
      seen.add(d.id)
      out.push(overlay(config.compute(d.hostname), { ...d, source: 'droplet' }))
    }
    this.known = new Map(out.map((h) => [h.id, h]))
    return out
  }

  async get(id: string): Promise<HostConfig> {
    return this.getFrom(await this.sshConfig(), id)
  }

  private async getFrom(config: SshConfigFile, id: string): Promise<HostConfig> {
    const listed = config.sameAs.get(id) ?? id
    const found = (await this.configsFrom(config)).find((h) => h.id === listed)
    if (!found) throw new DropdeckError('NOT_FOUND', `No SSH host "${id}": not in ${defaultSshConfigPath(this.deps.env)}, the droplets, or the hosts added by hand.`)
    return found
  }

  /** For the pool: a known host, or a ProxyJump hop written as [user@]host[:port]. */
  async resolve(id: string): Promise<HostConfig> {
    const config = await this.sshConfig()
    const listed = config.sameAs.get(id) ?? id
    const found = (await this.configsFrom(config)).find((h) => h.id === listed)
    if (found) return found
    const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(id)
    if (!m) throw new DropdeckError('NOT_FOUND', `No SSH host "${id}".`)
    const base = config.compute(m[2].replace(/^\[|\]$/g, ''))
    return { ...base, id, name: id, ...(m[1] ? { user: m[1] } : {}), ...(m[3] ? { port: Number(m[3]) } : {}) }
  }

  /** The host as last read (every connect reads the list first), for state events. */
  cached(id: string): HostConfig | undefined {
    return this.known.get(id)
  }

  async add(input: ManualHostInput): Promise<HostConfig> {
    const taken = () => new DropdeckError('BAD_REQUEST', `A host named "${input.id}" already exists; pick another name.`)
    const config = await this.sshConfig()
    if ((await this.configsFrom(config)).some((h) => h.id === input.id)) throw taken()
    if (input.proxy) parseProxyUrl(input.proxy) // refuse a malformed URL now, not at connect time
    // Checked again in the file's queue: a concurrent add of the same name may have landed meanwhile.
    await this.manualHosts.update((hosts) => {
      if (hosts.some((m) => m.id === input.id)) throw taken()
      hosts.push(input)
    })
    return this.getFrom(config, input.id)
  }

  async remove(id: string): Promise<void> {
    if (!(await this.manual()).some((m) => m.id === id)) {
      const other = (await this.configs()).find((h) => h.id === id)
      throw other
        ? new DropdeckError('BAD_REQUEST', `"${id}" comes from ${other.source === 'ssh-config' ? 'the ssh config' : 'the droplets'}; only hosts added by hand can be removed here.`)
        : new DropdeckError('NOT_FOUND', `No SSH host "${id}".`)
    }
    await this.manualHosts.update((hosts) => {
      const index = hosts.findIndex((m) => m.id === id)
      if (index >= 0) hosts.splice(index, 1)
    })
  }
}

function overlay(base: HostConfig, h: Partial<ManualHostInput & DropletHostInput> & { id: string; hostname: string; source: HostConfig['source'] }): HostConfig {
  return {
    ...base,
    id: h.id,
    name: h.name ?? h.id,
    hostname: h.hostname,
    source: h.source,
    ...(h.user ? { user: h.user } : {}),
    ...(h.port ? { port: h.port } : {}),
    ...(h.identityFiles?.length ? { identityFiles: h.identityFiles.map((f) => expandPath(f, { host: h.hostname, user: h.user ?? base.user, port: h.port ?? base.port, alias: h.id })) } : {}),
    ...(h.proxyJump ? { proxyJump: h.proxyJump } : {}),
    ...(h.proxy ? { proxy: h.proxy } : {}),
    localForwards: base.localForwards
  }
}
