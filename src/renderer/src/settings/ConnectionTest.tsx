/**
 * Settings, Network: the connection test. Pick a provider API or an SSH host, run it, and read each hop
 * (the route and where it came from, the proxy's answer, TLS, the far end), then copy the report as text
 * for the IT department.
 */
import { useState } from 'react'
import { Check, Copy, Minus, X } from 'lucide-react'
import type { NetworkHop, NetworkTestResult, Params } from '../../../shared/contract'
import { errorMessage } from '../rpc/errors'
import { useHosts } from '../ssh/ssh-queries'
import { FieldError } from './FieldError'
import { SettingRow } from './SettingRow'
import { useNetworkTest } from './network-queries'
import './network.css'

type Target = Params<'network.test'>['target']

const HOP_NAMES: Record<NetworkHop['kind'], string> = { route: 'Route', proxy: 'Proxy', tls: 'TLS', api: 'API', ssh: 'SSH' }

function encode(target: Target): string {
  return typeof target === 'string' ? target : `host:${target.hostId}`
}

function decode(value: string): Target {
  return value.startsWith('host:') ? { hostId: value.slice(5) } : (value as 'digitalocean' | 'cloudflare')
}

export function ConnectionTest() {
  const hosts = useHosts().data ?? []
  const [target, setTarget] = useState('digitalocean')
  const [copied, setCopied] = useState(false)
  const test = useNetworkTest()
  const result = test.data

  return (
    <div className="network-test">
      <SettingRow
        label="Connection test"
        htmlFor="network-test-target"
        description="Connects along the route Dropdeck uses and shows each hop: which proxy and why, its answer, the certificate, the far end. Sends no token."
        descriptionId="network-test-description"
      >
        <div className="inline-form">
          <select id="network-test-target" className="input" value={target} onChange={(event) => setTarget(event.target.value)} aria-describedby="network-test-description">
            <option value="digitalocean">DigitalOcean API</option>
            <option value="cloudflare">Cloudflare API</option>
            {hosts.map((host) => (
              <option key={host.id} value={encode({ hostId: host.id })}>
                SSH: {host.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-primary"
            disabled={test.isPending}
            onClick={() => {
              setCopied(false)
              test.mutate({ target: decode(target) })
            }}
          >
            {test.isPending ? 'Testing…' : 'Run test'}
          </button>
        </div>
        <FieldError id="network-test-error" message={test.error ? errorMessage(test.error) : undefined} />
      </SettingRow>
      {result && <TestReport result={result} copied={copied} onCopy={() => void navigator.clipboard.writeText(result.text).then(() => setCopied(true))} />}
    </div>
  )
}

function TestReport({ result, copied, onCopy }: { result: NetworkTestResult; copied: boolean; onCopy: () => void }) {
  return (
    <div className="network-report" aria-live="polite">
      <div className="network-report-header">
        <span className={`status ${result.ok ? 'status-on' : 'network-status-failed'}`}>{result.ok ? 'Reachable' : 'Not reachable'}</span>
        <span className="network-report-target">{result.target}</span>
        <button type="button" className="button button-small" onClick={onCopy}>
          <Copy size={12} aria-hidden="true" /> {copied ? 'Copied' : 'Copy as text'}
        </button>
      </div>
      <ol className="network-hops">
        {result.hops.map((hop, i) => (
          <li key={i} className={`network-hop network-hop-${hop.status}`}>
            <span className="network-hop-icon" aria-label={hop.status}>
              {hop.status === 'ok' ? <Check size={13} /> : hop.status === 'failed' ? <X size={13} /> : <Minus size={13} />}
            </span>
            <span className="network-hop-kind">{HOP_NAMES[hop.kind]}</span>
            <div className="network-hop-body">
              <div className="network-hop-summary">{hop.summary}</div>
              {hop.details.length > 0 && (
                <ul className="network-hop-details">
                  {hop.details.map((line, j) => (
                    <li key={j}>{line}</li>
                  ))}
                </ul>
              )}
            </div>
          </li>
        ))}
      </ol>
    </div>
  )
}
