/**
 * Which Compose the host has: the v2 plugin (`docker compose`) or the v1 Python tool
 * (`docker-compose`), found by asking each for its short version in one command. v2 is preferred.
 */
import type { ComposeCli } from '../../shared/contract/deploys'
import type { Exec, HostState } from './host-state'
import { sq } from './host-state'

/** One command that prints both answers between markers; a missing tool prints nothing for its part. */
export const DETECT_COMPOSE = 'echo "@@v2"; docker compose version --short 2>/dev/null; echo "@@v1"; docker-compose version --short 2>/dev/null; true'

/**
 * Reads DETECT_COMPOSE's output. v2 prints `2.24.6` (older v2 builds `v2.0.1`); v1 prints `1.29.2`.
 * A docker CLI without the plugin prints its usage on stderr (dropped), so its part is empty.
 */
export function parseComposeDetection(stdout: string): ComposeCli | null {
  const part = (marker: string) => {
    const start = stdout.indexOf(marker)
    if (start < 0) return ''
    const rest = stdout.slice(start + marker.length)
    const end = rest.indexOf('@@')
    return (end < 0 ? rest : rest.slice(0, end)).trim()
  }
  const version = (text: string) => /^v?(\d+\.\d+\.\d+[^\s]*)/m.exec(text)?.[1]
  const v2 = version(part('@@v2'))
  if (v2) return { command: 'docker compose', version: v2 }
  const v1 = version(part('@@v1'))
  if (v1) return { command: 'docker-compose', version: v1 }
  return null
}

/**
 * The `up` command for one service with Dropdeck's override file last (it pins the image).
 * `--no-deps`: dependencies are left alone. v2 also gets `--pull never` (the image was pulled before the
 * lock); v1 has no such flag and never pulls an image that is present.
 */
export function composeUpArgs(cli: ComposeCli, project: string, configFiles: string[], overrideFile: string, service: string, beside = false): string[] {
  const files = [...configFiles, overrideFile].flatMap((f) => ['-f', f])
  // beside: a second container of the service with the new configuration, the running one left as it is
  const scale = beside ? ['--no-recreate', '--scale', `${service}=2`] : []
  const up = ['up', '-d', '--no-deps', ...scale, ...(cli.command === 'docker compose' ? ['--pull', 'never'] : []), service]
  return [...cli.command.split(' '), '-p', project, ...files, ...up]
}

/** Dropdeck's override: only the service's image, in the same file format version as the project's first file. */
export function overrideFile(service: string, image: string, versionLine: string | null): string {
  const head = versionLine ? `${versionLine.trim()}\n` : ''
  return `${head}# Written by Dropdeck: pins ${service} to the deployed image. The project's own files are not edited.\nservices:\n  ${JSON.stringify(service)}:\n    image: ${JSON.stringify(image)}\n`
}

/** What running `up` for one Compose service needs; kept in a deploy's journal so recovery can run it too. */
export interface ComposeTarget {
  cli: ComposeCli
  project: string
  service: string
  workingDir: string
  /** The project's files, absolute. */
  files: string[]
  /** The first file's `version:` line, copied into the override (v1 refuses mixed versions). */
  versionLine: string | null
}

/** Writes Dropdeck's override pinning `image` (without running anything: a rollback that left the old container running). */
export function pinImage(state: HostState, hostId: string, t: ComposeTarget, image: string): Promise<string> {
  return state.writeFile(hostId, `compose/${t.project}/${t.service}.override.yml`, overrideFile(t.service, image, t.versionLine))
}

/** Writes Dropdeck's override pinning `image` and brings the one service up with it (`beside`: as a second container). */
export async function composeUp(exec: Exec, state: HostState, hostId: string, t: ComposeTarget, image: string, beside = false): Promise<{ ok: boolean; output: string; override: string }> {
  const override = await pinImage(state, hostId, t, image)
  const args = composeUpArgs(t.cli, t.project, t.files, override, t.service, beside)
  const r = await exec(hostId, `cd ${sq(t.workingDir)} && ${args.map(sq).join(' ')} 2>&1`, { timeoutMs: 300_000 })
  return { ok: r.code === 0, output: (r.stdout + r.stderr).trim(), override }
}
