/** Firewall rules in a line: "in: 22, 80, 443 · out: all", and the template seed 002 asks for. */
import type { Firewall } from '../rpc/provider-queries'

type Rule = Firewall['rules'][number]

const ALL_PORTS = new Set(['', '0', 'all', '1-65535'])

function ruleWord(rule: Rule): string {
  if (rule.protocol === 'icmp') return 'icmp'
  const ports = ALL_PORTS.has(rule.ports) ? 'all' : rule.ports
  return rule.protocol === 'tcp' ? ports : `${rule.protocol} ${ports}`
}

function side(rules: Rule[]): string {
  if (rules.length === 0) return 'none'
  const open = (protocol: Rule['protocol']) => rules.some((rule) => rule.protocol === protocol && ALL_PORTS.has(rule.ports))
  if (open('tcp') && open('udp')) return 'all'
  return [...new Set(rules.map(ruleWord))].join(', ')
}

export function summarizeRules(rules: Rule[]): string {
  return `in: ${side(rules.filter((r) => r.direction === 'inbound'))} · out: ${side(rules.filter((r) => r.direction === 'outbound'))}`
}

/** Every rule in full, one a line, for a tooltip. */
export function describeRules(rules: Rule[]): string {
  return rules
    .map((rule) => {
      const ports = rule.protocol === 'icmp' ? '' : ` ${ALL_PORTS.has(rule.ports) ? 'all ports' : rule.ports}`
      const peers = rule.peers.join(', ') || 'nowhere'
      return rule.direction === 'inbound' ? `in ${rule.protocol}${ports} from ${peers}` : `out ${rule.protocol}${ports} to ${peers}`
    })
    .join('\n')
}

/** What `firewalls.createFromTemplate` creates (seed 002), in words for the dialog. */
export const TEMPLATE_SUMMARY = 'in: 22, 80, 443 · out: all'
export const TEMPLATE_DESCRIPTION = 'Inbound SSH (22), HTTP (80) and HTTPS (443) from anywhere; all outbound traffic allowed. Every other inbound port is closed.'

/** DigitalOcean firewall names: letters, digits, "." and "-". */
export function suggestFirewallName(base?: string): string {
  const cleaned = (base ?? '').replace(/[^a-zA-Z0-9.-]+/g, '-').replace(/^-+|-+$/g, '')
  return cleaned ? `${cleaned}-firewall` : 'production-firewall'
}
