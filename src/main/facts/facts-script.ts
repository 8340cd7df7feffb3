/**
 * The one command a facts refresh runs: every source printed under a marker line, so one exec (one
 * SSH channel, one round trip) reads everything and TypeScript does the parsing. Plain POSIX sh and
 * coreutils, nothing to install on the droplet.
 */

export const MARKER = '@@dropdeck:'

export const FACT_SECTIONS = ['hostname', 'now', 'nproc', 'cpuinfo', 'loadavg', 'meminfo', 'uptime', 'os-release', 'kernel', 'df', 'end'] as const
export type FactSection = (typeof FACT_SECTIONS)[number]

const SOURCES: Record<Exclude<FactSection, 'end'>, string> = {
  hostname: 'cat /proc/sys/kernel/hostname 2>/dev/null || hostname',
  now: 'date -u +%s',
  nproc: 'nproc 2>/dev/null',
  // only the lines Dropdeck reads: a 64-core host's full cpuinfo is ~70 KB
  cpuinfo: "grep -E '^(processor|model name|Hardware|cpu model)' /proc/cpuinfo 2>/dev/null",
  loadavg: 'cat /proc/loadavg',
  meminfo: 'cat /proc/meminfo',
  uptime: 'cat /proc/uptime',
  'os-release': 'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
  kernel: 'uname -sr',
  // -P: one line per filesystem; -B1: bytes; -T: the type, to skip tmpfs and the like. df exits 1
  // when one mount cannot be read (a FUSE mount of another user) but still prints the others.
  df: 'LC_ALL=C df -P -B1 -T 2>/dev/null'
}

/**
 * The sections that are files under /proc and /etc, all printed by one awk: each `cat` is a fork and
 * an exec on the host, and a Health refresh runs this on every host at once (bench:inventory). The
 * output is what the plain commands in SOURCES print, so the parsers read either.
 */
const AWK_SECTIONS = ['hostname', 'cpuinfo', 'loadavg', 'meminfo', 'uptime', 'os-release', 'kernel'] as const satisfies readonly FactSection[]

const AWK_PROGRAM = [
  'function cat(file,  l, n) { n = 0; while ((getline l < file) > 0) { print l; n++ } close(file); return n }',
  'BEGIN {',
  `  M = "${MARKER}"`,
  '  print M "hostname"; cat("/proc/sys/kernel/hostname")',
  '  print M "cpuinfo"; while ((getline l < "/proc/cpuinfo") > 0) if (l ~ /^(processor|model name|Hardware|cpu model)/) print l; close("/proc/cpuinfo")',
  '  print M "loadavg"; cat("/proc/loadavg")',
  '  print M "meminfo"; cat("/proc/meminfo")',
  '  print M "uptime"; cat("/proc/uptime")',
  '  print M "os-release"; if (cat("/etc/os-release") == 0) cat("/usr/lib/os-release")',
  '  getline t < "/proc/sys/kernel/ostype"; getline r < "/proc/sys/kernel/osrelease"; print M "kernel"; print t " " r',
  '}'
].join('\n')

export function factsScript(): string {
  const plain = (names: readonly string[]) => names.map((name) => `echo '${MARKER}${name}'; ${SOURCES[name as keyof typeof SOURCES]}`)
  const rest = (Object.keys(SOURCES) as Array<keyof typeof SOURCES>).filter((name) => !(AWK_SECTIONS as readonly string[]).includes(name))
  return [
    ...plain(rest.filter((name) => name !== 'df')),
    // awk is POSIX and on every droplet image; without it, the plain commands print the same.
    `if command -v awk >/dev/null 2>&1; then awk '${AWK_PROGRAM}'; else`,
    ...plain(AWK_SECTIONS),
    'fi',
    ...plain(['df']),
    `echo '${MARKER}end'`
  ].join('\n')
}

/** Splits the script's output into its sections; a section the host never reached is absent. */
export function splitSections(stdout: string): Map<FactSection, string> {
  const out = new Map<FactSection, string>()
  let name: FactSection | undefined
  let buf: string[] = []
  const flush = () => {
    if (name) out.set(name, buf.join('\n'))
  }
  for (const line of stdout.split('\n')) {
    if (line.startsWith(MARKER)) {
      const next = line.slice(MARKER.length).trim() as FactSection
      if ((FACT_SECTIONS as readonly string[]).includes(next)) {
        flush()
        name = next
        buf = []
        continue
      }
    }
    buf.push(line)
  }
  flush()
  return out
}
