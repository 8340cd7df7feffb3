/**
 * The report as a document (headings, paragraphs, tables), rendered to Markdown or to one standalone
 * printable HTML page (no scripts, no remote assets; Print → PDF works from the browser).
 */
import type { AuditData } from './audit-data'
import { findings, type Finding } from './findings'

type Block = { h: string } | { p: string } | { table: { head: string[]; rows: string[][] } }

const money = (n: number) => `$${n.toFixed(2)}`

export function reportBlocks(data: AuditData, generatedAt: string): Block[] {
  const found = findings(data)
  const count = (s: Finding['severity']) => found.filter((f) => f.severity === s).length
  const blocks: Block[] = [
    { p: `Generated ${generatedAt} by Dropdeck from live data: ${data.droplets.length} droplets, ${data.records.length} DNS records, ${data.hosts.length} connected ${data.hosts.length === 1 ? 'host' : 'hosts'}, ${data.checks.length} checks.` },
    { h: 'Summary' },
    { p: `${count('critical')} critical, ${count('warning')} warnings, ${count('info')} notes.` },
    { h: 'Findings' }
  ]
  blocks.push(found.length ? { table: { head: ['Severity', 'Finding', 'Where', 'Suggested fix'], rows: found.map((f) => [f.severity.toUpperCase(), f.title, f.subject, f.fix]) } } : { p: 'Nothing found.' })

  blocks.push({ h: 'Inventory: droplets' })
  const total = data.droplets.reduce((s, d) => s + d.priceMonthly, 0)
  blocks.push(
    data.droplets.length
      ? {
          table: {
            head: ['Droplet', 'Size', 'Region', 'Public IPv4', 'Private IPv4', 'Monthly', 'Tags', 'Backups'],
            rows: [
              ...data.droplets.map((d) => [d.name, `${d.sizeSlug} (${d.vcpus} vCPU, ${Math.round(d.memoryMb / 1024)} GB, ${d.diskGb} GB)`, d.region, d.publicIpv4 ?? '—', d.privateIpv4 ?? '—', money(d.priceMonthly), d.tags.join(', ') || '—', d.backups === null ? 'unknown' : d.backups ? 'yes' : 'no']),
              ['Total', '', '', '', '', money(total), '', '']
            ]
          }
        }
      : { p: 'No droplets (no DigitalOcean token, or none in this team).' }
  )

  blocks.push({ h: 'Inventory: hosts' })
  blocks.push(
    data.hosts.length
      ? {
          table: {
            head: ['Host', 'Droplet', 'OS', 'Memory used', 'Fullest disk', 'Containers', 'Public listeners'],
            rows: data.hosts.map((h) => {
              const disk = h.facts ? [...h.facts.disks].sort((a, b) => b.usedPercent - a.usedPercent)[0] : undefined
              const cs = h.containers
              return [
                h.host.id,
                h.droplet?.name ?? '—',
                h.facts ? osLabel(h.facts.os) : 'unknown',
                h.facts ? `${h.facts.memory.usedPercent}%` : 'unknown',
                disk ? `${disk.mount} ${disk.usedPercent}%` : 'unknown',
                cs ? `${cs.length} (${cs.filter((c) => c.state === 'running').length} running, ${cs.filter((c) => c.state === 'running' && c.health === 'unhealthy').length} unhealthy, ${cs.filter((c) => c.state === 'exited').length} exited)` : 'unknown',
                h.publicPorts ? h.publicPorts.join(', ') || 'none' : 'unknown'
              ]
            })
          }
        }
      : { p: 'No SSH host is connected; connect hosts to include their disks, containers and listeners.' }
  )

  blocks.push({ h: 'Routing map' })
  const routes = data.records.filter((r) => ['A', 'AAAA', 'CNAME'].includes(r.type)).map((r) => {
    const host = r.droplet ? data.hosts.find((h) => h.droplet?.id === r.droplet?.id) : undefined
    const services = host?.containers?.filter((c) => c.state === 'running').map((c) => `${c.name}${c.ports.length ? ` (${c.ports.join(', ')})` : ''}`).join('; ')
    const target = r.droplet ? `${r.droplet.name} (${r.content})` : r.dangling ? `${r.content} — NO DROPLET` : r.content
    return [r.name, r.type, `${target}${r.proxied ? ' via Cloudflare proxy' : ''}`, services || (host ? 'no running containers' : r.droplet ? 'host not connected' : '—')]
  })
  for (const m of data.missing) routes.push([m.hostname, '—', 'NO RECORD', '—'])
  blocks.push(routes.length ? { table: { head: ['Name', 'Type', 'Points at', 'Serves'], rows: routes } } : { p: 'No DNS zones are visible (no Cloudflare or DigitalOcean DNS token).' })

  if (data.checks.length) {
    blocks.push({ h: 'Checks' })
    blocks.push({ table: { head: ['Check', 'State', 'Since', 'Last result'], rows: data.checks.map(({ check, status }) => [check.name, status.state + (status.severity ? ` (${status.severity})` : ''), status.since ?? '—', status.message]) } })
  }
  if (data.gaps.length) {
    blocks.push({ h: 'Not covered' })
    for (const g of data.gaps) blocks.push({ p: g })
  }
  return blocks
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function toMarkdown(blocks: Block[], title: string): string {
  const out = [`# ${title}`, '']
  for (const b of blocks) {
    if ('h' in b) out.push(`## ${b.h}`, '')
    else if ('p' in b) out.push(b.p, '')
    else out.push(`| ${b.table.head.map(mdCell).join(' | ')} |`, `|${b.table.head.map(() => '---').join('|')}|`, ...b.table.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`), '')
  }
  return out.join('\n')
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export function toHtml(blocks: Block[], title: string): string {
  const body = blocks
    .map((b) => {
      if ('h' in b) return `<h2>${esc(b.h)}</h2>`
      if ('p' in b) return `<p>${esc(b.p)}</p>`
      const rows = b.table.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 && /^(CRITICAL|WARNING|INFO)$/.test(c) ? `<td class="sev ${c.toLowerCase()}">${esc(c)}</td>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('\n')
      return `<table><thead><tr>${b.table.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${rows}\n</tbody></table>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}.sev{font-weight:600}.critical{color:#b42318}.warning{color:#9a6700}.info{color:#57606a}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
</style></head><body>
<h1>${esc(title)}</h1>
${body}
</body></html>
`
}

export function renderReport(data: AuditData, format: 'markdown' | 'html', generatedAt: string): string {
  const blocks = reportBlocks(data, generatedAt)
  const title = 'Infrastructure audit'
  return format === 'markdown' ? toMarkdown(blocks, title) : toHtml(blocks, title)
}

/** `Debian GNU/Linux 12 (bookworm)`, not `… (bookworm) 12`: os-release's name often carries the version already. */
function osLabel(os: { name: string; version: string | null }): string {
  return os.version && !os.name.includes(os.version) ? `${os.name} ${os.version}` : os.name
}
