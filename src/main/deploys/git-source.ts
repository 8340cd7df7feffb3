/**
 * Versions built from git on the host (seed 001's "git-based deploy with Docker Compose"), for a
 * Compose service with a `build:` section. The clone is the service's own folder on the host:
 * - `git fetch` there (with the host's own git credentials, never prompting), then the ref resolves to a
 *   commit (a remote branch first, then a tag, then anything git names: a local branch, a sha);
 * - the image is built from a throwaway `git worktree` of that commit in Dropdeck's state folder, so the
 *   build runs outside the lock and the operator's folder is not touched by it;
 * - under the lock, the commit is checked out (detached) in the folder, so the Compose files and the
 *   folders they mount match the version that runs; a working tree with changes to tracked files is
 *   refused, never overwritten, and the checkout from before comes back when the deploy does not stay.
 * The built image is tagged `<repo>:deploy_<first 8 of the commit>` (seed 004), so a rollback to it is
 * a tag deploy that needs no rebuild.
 */
import type { ComposeCli, GitRefs } from '../../shared/contract/deploys'
import { DropdeckError } from '../../shared/errors'
import type { Exec } from './host-state'
import { sq } from './host-state'

/** Git must never wait for a password nobody can type; an SSH remote must not ask about host keys either. */
const GIT_ENV = 'export GIT_TERMINAL_PROMPT=0 GIT_SSH_COMMAND="${GIT_SSH_COMMAND:-ssh -o BatchMode=yes}";'

export interface GitPlan {
  /** What the operator asked for, and what it resolved to. */
  ref: string
  commit: string
  subject: string
  /** The service's Compose folder, and the clone's top folder holding it. */
  workingDir: string
  repoDir: string
}

/** The Compose command's global part (`docker-compose -p P -f a.yml -f b.yml`), quoted for sh. */
function composeBase(cli: ComposeCli, project: string, files: string[], extra: string[] = []): string {
  return [...cli.command.split(' '), '-p', project, ...extra, ...files.flatMap((f) => ['-f', f])].map(sq).join(' ')
}

/**
 * Whether `docker-compose config`'s normalised output gives `service` a `build:` section. Both Compose
 * versions print the resolved YAML with two-space indents: `services:`, `  <name>:`, `    build:`.
 */
export function serviceHasBuild(configYaml: string, service: string): boolean {
  const lines = configYaml.split('\n')
  const start = lines.findIndex((l) => /^services:\s*$/.test(l))
  if (start < 0) return false
  const name = new RegExp(`^  ["']?${service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?:\\s*$`)
  const at = lines.findIndex((l, i) => i > start && name.test(l))
  if (at < 0) return false
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i]
    if (l.trim() === '') continue
    if (!l.startsWith('    ')) break
    if (/^ {4}build:/.test(l)) return true
  }
  return false
}

/** Refuses (BAD_REQUEST, saying why) unless the service is a Compose service whose files give it `build:`. */
export async function requireBuild(exec: Exec, hostId: string, cli: ComposeCli | null, svc: { id: string; kind: string; name: string; project: string | null; compose: { workingDir: string; configFiles: string[] } | null }): Promise<void> {
  if (svc.kind !== 'compose' || !svc.compose || !svc.project) {
    throw new DropdeckError('BAD_REQUEST', `${svc.name} is a plain container: a git deploy builds a Compose service from its \`build:\` section. Deploy an image tag instead, or run it from a Compose file with \`build:\`.`)
  }
  if (!cli) throw new DropdeckError('UPSTREAM', `Neither \`docker compose\` nor \`docker-compose\` is on ${hostId}; install the Compose plugin (apt install docker-compose-plugin) and retry.`)
  const files = absoluteFiles(svc.compose)
  const r = await exec(hostId, `cd ${sq(svc.compose.workingDir)} && ${composeBase(cli, svc.project, files)} config 2>&1`, { timeoutMs: 30_000 })
  if (r.code !== 0) throw new DropdeckError('UPSTREAM', `${cli.command} config failed for ${svc.id} on ${hostId}: ${lastLines(r.stdout + r.stderr)}`)
  if (!serviceHasBuild(r.stdout, svc.name)) {
    throw new DropdeckError('BAD_REQUEST', `${svc.name} has no \`build:\` section in ${files.join(', ')}: a git deploy needs a Compose \`build:\` to build the ref on the host. Deploy an image tag instead, or add \`build:\` to the service.`)
  }
}

export function absoluteFiles(compose: { workingDir: string; configFiles: string[] }): string[] {
  return compose.configFiles.map((f) => (f.startsWith('/') ? f : `${compose.workingDir}/${f}`))
}

/** `git fetch` in the folder when the clone has a remote; says whether it ran and what a failure said. */
async function fetch(exec: Exec, hostId: string, dir: string): Promise<{ fetched: boolean; error: string | null }> {
  const r = await exec(hostId, `${GIT_ENV} cd ${sq(dir)} || exit 3; if [ -z "$(git remote)" ]; then echo NOREMOTE; exit 0; fi; git fetch --all --prune --tags --quiet 2>&1`, { timeoutMs: 120_000 })
  if (r.code === 3) throw new DropdeckError('NOT_FOUND', `The service's folder ${dir} is not on ${hostId}.`)
  if (r.stdout.includes('NOREMOTE')) return { fetched: false, error: null }
  return r.code === 0 ? { fetched: true, error: null } : { fetched: false, error: lastLines(r.stdout + r.stderr) }
}

/** The clone's top folder, or a clear refusal when the folder is not in a git clone. */
async function repoDirOf(exec: Exec, hostId: string, dir: string): Promise<string> {
  const r = await exec(hostId, `cd ${sq(dir)} && git rev-parse --show-toplevel 2>&1`, { timeoutMs: 15_000 })
  if (r.code !== 0) {
    throw new DropdeckError('BAD_REQUEST', `${dir} on ${hostId} is not in a git clone (${lastLines(r.stdout + r.stderr)}); a git deploy builds from the clone the Compose project lives in. Clone the repository there, or deploy an image tag.`)
  }
  return r.stdout.trim()
}

const DIRTY = 'git status --porcelain --untracked-files=no'

/** Changed tracked files, as `git status --porcelain` lists them. */
function dirtyLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('DIRTY ')).map((l) => l.slice(6))
}

function dirtyError(hostId: string, dir: string, dirty: string[]): DropdeckError {
  const shown = dirty.slice(0, 5).map((l) => l.trim()).join(', ')
  return new DropdeckError('BAD_REQUEST', `${dir} on ${hostId} has local changes to tracked files (${shown}${dirty.length > 5 ? `, and ${dirty.length - 5} more` : ''}): a git deploy checks out another commit there and will not overwrite them. Commit, stash or discard them on the host, then retry.`, { data: { dirty } })
}

/**
 * Fetches, resolves `ref` to a commit, and checks the working tree has no changes to tracked files.
 * Throws NOT_FOUND for a ref the clone does not know (after the fetch), BAD_REQUEST for local changes.
 */
export async function prepareGitDeploy(exec: Exec, hostId: string, workingDir: string, ref: string): Promise<GitPlan & { fetchError: string | null }> {
  const repoDir = await repoDirOf(exec, hostId, workingDir)
  const fetched = await fetch(exec, hostId, workingDir)
  const candidates = [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`, ref]
  const script = [
    `cd ${sq(workingDir)} || exit 3`,
    `sha=; for c in ${candidates.map(sq).join(' ')}; do sha=$(git rev-parse --verify --quiet "$c^{commit}") && break; done`,
    '[ -n "$sha" ] || { echo NOREF; exit 0; }',
    'echo "SHA $sha"',
    'git log -1 --format="SUBJ %s" "$sha"',
    `${DIRTY} | head -n 50 | sed 's/^/DIRTY /'`
  ].join('\n')
  const r = await exec(hostId, script, { timeoutMs: 30_000 })
  if (r.code !== 0) throw new DropdeckError('UPSTREAM', `Reading the clone in ${workingDir} on ${hostId} failed: ${lastLines(r.stdout + r.stderr)}`)
  if (r.stdout.includes('NOREF')) {
    const why = fetched.error ? ` (the fetch failed: ${fetched.error})` : fetched.fetched ? ' after a fetch' : ' (the clone has no remote to fetch from)'
    throw new DropdeckError('NOT_FOUND', `${repoDir} on ${hostId} has no branch, tag or commit ${ref}${why}. Pick one from the list, or push it first.`, { data: { ref } })
  }
  const commit = /^SHA ([0-9a-f]{40,64})$/m.exec(r.stdout)?.[1]
  if (!commit) throw new DropdeckError('UPSTREAM', `git did not resolve ${ref} in ${workingDir} on ${hostId}: ${lastLines(r.stdout)}`)
  const dirty = dirtyLines(r.stdout)
  if (dirty.length) throw dirtyError(hostId, workingDir, dirty)
  return { ref, commit, subject: /^SUBJ (.*)$/m.exec(r.stdout)?.[1] ?? '', workingDir, repoDir, fetchError: fetched.error }
}

/**
 * The script that builds the service's image from a worktree of the commit and tags it `image`
 * (through an override file that sets the service's image, written beside Dropdeck's pinning override),
 * then removes the worktree whatever happened. Compose reads the folder's `.env` as it would in place.
 */
export function buildScript(o: { cli: ComposeCli; project: string; service: string; plan: GitPlan; files: string[]; buildOverride: string; worktree: string }): string {
  const { plan, worktree } = o
  const inTree = (p: string) => (p === plan.repoDir ? worktree : p.startsWith(`${plan.repoDir}/`) ? `${worktree}/${p.slice(plan.repoDir.length + 1)}` : p)
  const dir = inTree(plan.workingDir)
  const files = [...o.files.map(inTree), o.buildOverride]
  const env = `${plan.workingDir}/.env`
  return [
    'set -e',
    GIT_ENV,
    `W=${sq(worktree)}; R=${sq(plan.repoDir)}`,
    'rm -rf "$W"; git -C "$R" worktree prune',
    `trap 'git -C "$R" worktree remove --force "$W" >/dev/null 2>&1 || true; rm -rf "$W"; git -C "$R" worktree prune || true' EXIT`,
    // Stopped (a cancel, the time limit): exit, so the EXIT trap removes the worktree.
    "trap 'exit 143' TERM INT HUP",
    `git -C "$R" worktree add --detach --quiet "$W" ${sq(plan.commit)}`,
    `echo "building ${plan.commit.slice(0, 12)} in $W"`,
    `cd ${sq(dir)}`,
    `set --; if [ -f ${sq(env)} ]; then set -- --env-file ${sq(env)}; fi`,
    `${composeBase(o.cli, o.project, files, ['--project-directory', dir])} "$@" build ${sq(o.service)}`
  ].join('\n')
}

/** Checks out `commit` (detached) in the folder, refusing over local changes; returns what was checked out before. */
export async function checkout(exec: Exec, hostId: string, plan: GitPlan): Promise<{ before: string; beforeLabel: string }> {
  const script = [
    `cd ${sq(plan.workingDir)} || exit 3`,
    `d=$(${DIRTY}); if [ -n "$d" ]; then printf '%s\\n' "$d" | head -n 50 | sed 's/^/DIRTY /'; exit 0; fi`,
    'b=$(git symbolic-ref -q --short HEAD || true); h=$(git rev-parse HEAD)',
    `git -c advice.detachedHead=false checkout -q --detach ${sq(plan.commit)} 2>&1 || exit 4`,
    'echo "BEFORE ${b:-$h}"; echo "LABEL ${b:-detached at $h}"'
  ].join('\n')
  const r = await exec(hostId, script, { timeoutMs: 60_000 })
  const dirty = dirtyLines(r.stdout)
  if (dirty.length) throw dirtyError(hostId, plan.workingDir, dirty)
  if (r.code !== 0) throw new DropdeckError('UPSTREAM', `Checking out ${plan.commit.slice(0, 12)} in ${plan.workingDir} on ${hostId} failed: ${lastLines(r.stdout + r.stderr)}. Nothing was started.`)
  return { before: /^BEFORE (.*)$/m.exec(r.stdout)?.[1] ?? '', beforeLabel: /^LABEL (.*)$/m.exec(r.stdout)?.[1] ?? '' }
}

/**
 * What the folder has checked out now (the branch, else the commit), read before the checkout so the
 * deploy's journal can hold it: a cut during or right after the checkout still knows what to put back.
 */
export async function currentCheckout(exec: Exec, hostId: string, dir: string): Promise<{ before: string; beforeLabel: string }> {
  const r = await exec(hostId, `cd ${sq(dir)} || exit 3; b=$(git symbolic-ref -q --short HEAD || true); h=$(git rev-parse HEAD) || exit 4; echo "BEFORE \${b:-$h}"; echo "LABEL \${b:-detached at $h}"`, { timeoutMs: 15_000 })
  if (r.code === null) throw new Error(`Reading the checkout in ${dir} on ${hostId} was cut off: the SSH channel closed before the command ended`)
  if (r.code !== 0) throw new DropdeckError('UPSTREAM', `Reading what ${dir} on ${hostId} has checked out failed: ${lastLines(r.stdout + r.stderr)}. Nothing was started.`)
  return { before: /^BEFORE (.*)$/m.exec(r.stdout)?.[1] ?? '', beforeLabel: /^LABEL (.*)$/m.exec(r.stdout)?.[1] ?? '' }
}

/** Puts back the checkout from before a deploy that did not stay (a branch name or a commit). */
export async function restoreCheckout(exec: Exec, hostId: string, dir: string, before: string): Promise<void> {
  const r = await exec(hostId, `cd ${sq(dir)} && git -c advice.detachedHead=false checkout -q ${sq(before)} -- 2>&1`, { timeoutMs: 60_000 })
  // No exit status: the connection went, which the caller recovers from (unlike git refusing).
  if (r.code === null) throw new Error(`git checkout ${before} in ${dir} was cut off: the SSH channel closed before the command ended`)
  if (r.code !== 0) throw new CheckoutError(`git checkout ${before} in ${dir} failed: ${lastLines(r.stdout + r.stderr)}`)
}

/** git itself refused to put a checkout back (not a cut connection). */
export class CheckoutError extends Error {}

/** After a fetch: branches, tags and recent commits of the clone, newest first, and its state. */
export async function listRefs(exec: Exec, hostId: string, workingDir: string): Promise<GitRefs> {
  const repoDir = await repoDirOf(exec, hostId, workingDir)
  const fetched = await fetch(exec, hostId, workingDir)
  const fmt = '%(refname)%09%(if)%(*objectname)%(then)%(*objectname)%(else)%(objectname)%(end)%09%(creatordate:iso-strict)%09%(if)%(*objectname)%(then)%(*subject)%(else)%(subject)%(end)'
  const script = [
    `cd ${sq(workingDir)} || exit 3`,
    `echo "@@head"; git symbolic-ref -q --short HEAD || echo; git log -1 --format='%H%x09%s'`,
    `echo "@@dirty"; ${DIRTY} | head -n 50`,
    `echo "@@refs"; git for-each-ref --sort=-creatordate --count=200 --format=${sq(fmt)} refs/remotes refs/heads refs/tags`,
    `echo "@@log"; git log -n 30 --format='%H%x09%cI%x09%s' HEAD --branches --remotes --tags`
  ].join('\n')
  const r = await exec(hostId, script, { timeoutMs: 30_000 })
  if (r.code !== 0) throw new DropdeckError('UPSTREAM', `Reading the clone in ${workingDir} on ${hostId} failed: ${lastLines(r.stdout + r.stderr)}`)
  const sections = new Map<string, string[]>()
  let current: string[] = []
  for (const line of r.stdout.split('\n')) {
    const marker = /^@@(head|dirty|refs|log)$/.exec(line)
    if (marker) sections.set(marker[1], (current = []))
    else current.push(line)
  }
  const part = (name: string) => sections.get(name) ?? []
  const [branchLine = '', headLine = ''] = part('head')
  const [headCommit = '', ...headSubject] = headLine.split('\t')
  const branches = new Map<string, GitRefs['branches'][number]>()
  const tags: GitRefs['tags'] = []
  for (const line of part('refs')) {
    const [refname, commit, date, ...subject] = line.split('\t')
    if (!refname || !commit) continue
    const entry = { commit, date, subject: subject.join('\t') }
    if (refname.startsWith('refs/tags/')) tags.push({ name: refname.slice('refs/tags/'.length), ...entry })
    else if (refname.startsWith('refs/remotes/')) {
      const name = refname.split('/').slice(3).join('/')
      // `origin/HEAD` only points at a branch; another remote's branch of the same name loses to origin's.
      if (name === 'HEAD' || (branches.has(name) && !refname.startsWith('refs/remotes/origin/'))) continue
      branches.set(name, { name, ...entry })
    } else if (refname.startsWith('refs/heads/')) {
      const name = refname.slice('refs/heads/'.length)
      if (!branches.has(name)) branches.set(name, { name, ...entry })
    }
  }
  const commits = part('log').filter(Boolean).map((line) => {
    const [commit, date, ...subject] = line.split('\t')
    return { name: commit.slice(0, 12), commit, date, subject: subject.join('\t') }
  })
  const byDate = (a: { date: string }, b: { date: string }) => b.date.localeCompare(a.date)
  return {
    workingDir,
    repoDir,
    head: { branch: branchLine.trim() || null, commit: headCommit, subject: headSubject.join('\t') },
    dirty: part('dirty').filter(Boolean),
    fetched: fetched.fetched,
    fetchError: fetched.error,
    branches: [...branches.values()].sort(byDate),
    tags: tags.sort(byDate),
    commits
  }
}

export function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').filter(Boolean).slice(-n).join(' ').slice(0, 600) || 'no output'
}
