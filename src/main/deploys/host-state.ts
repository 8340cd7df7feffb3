/**
 * Dropdeck's state folder on the host (`$DROPDECK_STATE_DIR`, else `~/.dropdeck`): per-service deploy
 * locks and the deploy history, so every operator and every machine sees the same. A lock is an
 * atomic `mkdir` holding `info.json` (who, from which machine, what, since when, the timeout, and the
 * holder's journal for recovery); the history is JSON lines appended to `history.jsonl`. Compose
 * override files pinning a service's image live in `compose/`.
 *
 * Everything goes through one shell command per operation over the pooled SSH connection; payloads
 * travel base64-encoded so nothing the operator named is ever interpreted by the shell.
 */
import { DeployEntrySchema, type DeployEntry, type DeployLock } from '../../shared/contract/deploys'

export interface Exec {
  (hostId: string, command: string, options?: { timeoutMs?: number }): Promise<{ stdout: string; stderr: string; code: number | null }>
}

/** What the holder writes into the lock: the contract's lock minus `stale`, plus its recovery journal. */
export interface LockInfo extends Omit<DeployLock, 'stale'> {
  hostId: string
  /** Last time the holder wrote the lock, on the holder's clock (shown; staleness uses quietMs). */
  updatedAt: string
  journal?: DeployJournal
  /**
   * Read, never written: how long the lock has gone unwritten, on the host's clock (see locksAt).
   * A lock quiet for longer than timeoutMs is stale.
   */
  quietMs?: number
}

/** Enough for another app (or this one after a cut) to put the service back to one running version. */
export interface DeployJournal {
  kind: 'compose' | 'container'
  /** The service's container name (plain) or the service name (Compose). */
  name: string
  /** The container running before the deploy, and its image reference. */
  oldContainerId: string | null
  fromImage: string | null
  toImage: string
  /** The new container, once created (plain containers: under a temporary name). */
  tempName?: string
  newContainerId?: string
  /** Set once the old version was stopped (stop-first) and once it was removed (the switch). */
  oldStopped?: boolean
  switched?: boolean
  /** Compose services started beside the old container (which keeps running until the switch removes it). */
  gapless?: boolean
  /** Compose services: how to bring the service up again with the version from before. */
  compose?: import('./compose-cli').ComposeTarget
  /**
   * A git deploy: what the service's folder had checked out before (a branch, else a commit), written
   * before the checkout; recovery checks it out again when the version from before is what runs.
   */
  checkout?: { dir: string; before: string; label: string }
}

export const STATE_DIR = '"${DROPDECK_STATE_DIR:-$HOME/.dropdeck}"'

/** Single-quotes a string for sh. */
export function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

const b64 = (text: string) => sq(Buffer.from(text, 'utf8').toString('base64'))

/** The lock folder's name for a service: its id with `:` and `/` made file-name safe. */
export function lockKey(serviceId: string): string {
  return serviceId.replace(/[^a-zA-Z0-9_.-]/g, '_')
}

export type AcquireResult = { acquired: true } | { acquired: false; holder: LockInfo | null }

export class HostState {
  constructor(private readonly exec: Exec) {}

  private async run(hostId: string, script: string, what: string): Promise<string> {
    const r = await this.exec(hostId, `S=${STATE_DIR}; ${script}`, { timeoutMs: 30_000 })
    // No exit status: the channel closed under the command (the connection was cut), which a deploy
    // recovers from once the host answers, unlike a command that failed.
    if (r.code === null) throw new Error(`${what} on ${hostId} was cut off: the SSH channel closed before the command ended`)
    if (r.code !== 0) throw new Error(`${what} on ${hostId} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300) || 'no output'}`)
    return r.stdout
  }

  /** Takes the service's lock with one atomic mkdir; if it is held, says by whom. */
  async acquire(info: LockInfo): Promise<AcquireResult> {
    const dir = `"$S/locks/"${sq(lockKey(info.serviceId))}`
    const out = await this.run(
      info.hostId,
      `mkdir -p "$S/locks" && if mkdir ${dir} 2>/dev/null; then printf %s ${b64(JSON.stringify(info))} | base64 -d > ${dir}/info.json && echo ACQUIRED; else echo HELD; cat ${dir}/info.json 2>/dev/null; fi`,
      'taking the deploy lock'
    )
    if (out.startsWith('ACQUIRED')) return { acquired: true }
    return { acquired: false, holder: parseInfo(out.slice(out.indexOf('\n') + 1)) }
  }

  /** Rewrites the holder's info (step, journal, heartbeat); only while this deploy holds the lock. */
  async update(info: LockInfo): Promise<boolean> {
    const dir = `"$S/locks/"${sq(lockKey(info.serviceId))}`
    const out = await this.run(
      info.hostId,
      `if grep -q ${sq(`"deployId":"${info.deployId}"`)} ${dir}/info.json 2>/dev/null; then printf %s ${b64(JSON.stringify(info))} | base64 -d > ${dir}/info.new && mv ${dir}/info.new ${dir}/info.json && echo OK; fi`,
      'updating the deploy lock'
    )
    return out.startsWith('OK')
  }

  /** Releases the lock if `deployId` holds it (a lock taken over meanwhile is left alone). */
  async release(hostId: string, serviceId: string, deployId: string): Promise<boolean> {
    const dir = `"$S/locks/"${sq(lockKey(serviceId))}`
    const out = await this.run(hostId, `if grep -q ${sq(`"deployId":"${deployId}"`)} ${dir}/info.json 2>/dev/null; then rm -rf ${dir} && echo RELEASED; fi`, 'releasing the deploy lock')
    return out.startsWith('RELEASED')
  }

  /** Removes a lock whatever holds it (a stale takeover, after the caller checked it is stale). */
  async breakLock(hostId: string, serviceId: string, expectDeployId: string | null): Promise<boolean> {
    const dir = `"$S/locks/"${sq(lockKey(serviceId))}`
    const guard = expectDeployId ? `grep -q ${sq(`"deployId":"${expectDeployId}"`)} ${dir}/info.json 2>/dev/null` : `test -d ${dir}`
    const out = await this.run(hostId, `if ${guard}; then rm -rf ${dir} && echo REMOVED; fi`, 'clearing the deploy lock')
    return out.startsWith('REMOVED')
  }

  /** Every lock on the host. A lock folder whose info is not written yet shows as held by someone unknown. */
  async locks(hostId: string): Promise<LockInfo[]> {
    return (await this.locksAt(hostId)).locks
  }

  /**
   * Every lock on the host, each with how long it has been quiet judged on the host's own clock (the
   * host's `date +%s` against its info.json's modification time, read in the same command), so an
   * operator whose clock is off neither breaks a live lock nor misses a stale one.
   */
  async locksAt(hostId: string): Promise<{ locks: LockInfo[]; hostNow: number }> {
    const out = await this.run(hostId, `date +%s; for d in "$S"/locks/*/; do [ -d "$d" ] || continue; echo "@@${'$'}(basename "$d") ${'$'}(stat -c %Y "$d/info.json" 2>/dev/null || stat -c %Y "$d")"; cat "$d/info.json" 2>/dev/null; echo; done`, 'reading the deploy locks')
    const hostNow = Number(out.slice(0, out.indexOf('\n')).trim()) * 1000
    const locks: LockInfo[] = []
    for (const block of out.split('@@').slice(1)) {
      const nl = block.indexOf('\n')
      const written = Number(block.slice(0, nl).trim().split(' ')[1]) * 1000
      const info = parseInfo(block.slice(nl + 1))
      if (!info) continue
      if (Number.isFinite(hostNow) && Number.isFinite(written)) info.quietMs = Math.max(0, hostNow - written)
      locks.push(info)
    }
    return { locks, hostNow: Number.isFinite(hostNow) ? hostNow : Date.now() }
  }

  async appendHistory(hostId: string, entry: DeployEntry): Promise<void> {
    await this.run(hostId, `mkdir -p "$S" && printf '%s\\n' "${'$'}(printf %s ${b64(JSON.stringify(entry))} | base64 -d)" >> "$S/history.jsonl"`, 'writing the deploy history')
  }

  /** The newest `limit` entries, newest first; lines that do not parse are skipped. */
  async history(hostId: string, limit = 500): Promise<DeployEntry[]> {
    const out = await this.run(hostId, `tail -n ${Math.max(1, Math.floor(limit))} "$S/history.jsonl" 2>/dev/null || true`, 'reading the deploy history')
    const entries: DeployEntry[] = []
    for (const line of out.split('\n')) {
      if (!line.trim()) continue
      try {
        const parsed = DeployEntrySchema.safeParse(JSON.parse(line))
        if (parsed.success) entries.push(parsed.data)
      } catch {
        /* a torn line: skip it */
      }
    }
    return entries.reverse()
  }

  /** Writes a file under the state folder (Compose overrides); returns its absolute path on the host. */
  async writeFile(hostId: string, relative: string, content: string): Promise<string> {
    const out = await this.run(hostId, `f="$S/"${sq(relative)}; mkdir -p "${'$'}(dirname "$f")" && printf %s ${b64(content)} | base64 -d > "$f.new" && mv "$f.new" "$f" && echo "$f"`, 'writing a file in the state folder')
    return out.trim()
  }

  /** The state folder's absolute path on the host. */
  async path(hostId: string): Promise<string> {
    return (await this.run(hostId, 'echo "$S"', 'finding the state folder')).trim()
  }
}

function parseInfo(text: string): LockInfo | null {
  const line = text.split('\n').find((l) => l.trim().startsWith('{'))
  if (!line) return null
  try {
    const info = JSON.parse(line) as LockInfo
    return typeof info.deployId === 'string' && typeof info.serviceId === 'string' ? info : null
  } catch {
    return null
  }
}

/**
 * The contract's view of a lock: stale once quiet for longer than its timeout, judged on the host's
 * clock when the lock was read with locksAt; `now` (the operator's clock) only for a lock read otherwise.
 */
export function publicLock(info: LockInfo, now = Date.now()): DeployLock {
  const quiet = info.quietMs ?? now - Date.parse(info.updatedAt || info.since)
  return {
    deployId: info.deployId,
    serviceId: info.serviceId,
    who: info.who,
    machine: info.machine,
    what: info.what,
    since: info.since,
    timeoutMs: info.timeoutMs,
    stale: !Number.isFinite(quiet) || quiet > info.timeoutMs,
    ...(info.step ? { step: info.step } : {})
  }
}
