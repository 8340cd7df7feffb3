/**
 * DNS: every zone at Cloudflare and DigitalOcean in one list (a provider that could not be read
 * gets a notice, and the other's zones stay), the selected zone's records with the
 * droplet each points at, dangling records flagged (and countable, and filterable), and host names
 * the operator uses that have no record, each with a prefilled Create.
 */
import { Globe, Plus } from 'lucide-react'
import { useMemo, useState } from 'react'
import { EmptyState } from '../areas/EmptyState'
import { providerNames } from '../fleet/format'
import { ProviderListErrors } from '../fleet/ProviderListErrors'
import { StaleBadge } from '../fleet/StaleBadge'
import { useHashPath } from '../navigation/use-hash-path'
import { useMissingHostnames, useZones } from '../rpc/provider-queries'
import { Callout } from '../ui/Callout'
import { QueryState } from '../ui/QueryState'
import { emptyDraft, RecordFormDialog, relativeName } from './RecordFormDialog'
import { ProviderBadge } from './ProviderBadge'
import { ZoneRecords, type RecordForm } from './ZoneRecords'

export function DnsView() {
  const zones = useZones()
  const missing = useMissingHostnames()
  const [path, setPath] = useHashPath('dns')
  const [form, setForm] = useState<RecordForm>(null)

  const list = useMemo(() => [...(zones.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name) || a.provider.localeCompare(b.provider)), [zones.data])
  const selected = list.find((zone) => zone.provider === path[0] && zone.id === path[1]) ?? list[0]

  if (!zones.data) return <QueryState query={zones} layout="view" loading="Loading zones…" failed="Zones could not be loaded">{() => null}</QueryState>
  const failed = zones.data.errors
  if (list.length === 0 && failed.length > 0) {
    return (
      <div className="fleet-message">
        <ProviderListErrors errors={failed} what="zones" />
      </div>
    )
  }
  if (list.length === 0) {
    return (
      <EmptyState icon={Globe} title="No zones yet">
        Neither provider lists a zone for the stored tokens. Add a domain at DigitalOcean or a zone at Cloudflare, then refresh.
      </EmptyState>
    )
  }

  const missingList = missing.data ?? []

  return (
    <div className="dns-view">
      <nav className="zone-list" aria-label="Zones">
        <p className="zone-list-title">
          Zones <span className="count">{list.length}</span>
        </p>
        <ul>
          {list.map((zone) => (
            <li key={`${zone.provider}:${zone.id}`}>
              <a
                href={`#/dns/${zone.provider}/${encodeURIComponent(zone.id)}`}
                className="zone-item"
                aria-current={zone === selected ? 'true' : undefined}
                aria-label={`${zone.name} (${providerNames[zone.provider]})`}
                title={`${zone.name} at ${providerNames[zone.provider]}${zone.status ? ` (${zone.status})` : ''}`}
              >
                <ProviderBadge provider={zone.provider} />
                <span className="truncate">{zone.name}</span>
              </a>
            </li>
          ))}
        </ul>
        {zones.isError && <StaleBadge error={zones.error} />}
      </nav>
      <div className="zone-main">
        <ProviderListErrors errors={failed} what="zones" />
        {missingList.length > 0 && (
          <div className="missing-callouts">
            <Callout tone="warning" title={missingList.length === 1 ? '1 host name has no DNS record' : `${missingList.length} host names have no DNS record`}>
              <ul className="missing-list">
                {missingList.map((entry) => (
                  <li key={entry.hostname}>
                    <span>
                      <strong className="mono">{entry.hostname}</strong> is used but has no DNS record <span className="faint">— {entry.usedBy}</span>
                    </span>
                    {entry.zone ? (
                      <button
                        type="button"
                        className="button button-small"
                        aria-label={`Create a record for ${entry.hostname}`}
                        onClick={() => {
                          const zone = list.find((z) => z.provider === entry.zone!.provider && z.id === entry.zone!.id) ?? entry.zone!
                          setPath([zone.provider, zone.id])
                          setForm({ zone, initial: emptyDraft(zone, { name: relativeName(entry.hostname, zone) }) })
                        }}
                      >
                        <Plus size={12} aria-hidden="true" />
                        Create
                      </button>
                    ) : (
                      <span className="faint small">No zone here holds it</span>
                    )}
                  </li>
                ))}
              </ul>
            </Callout>
          </div>
        )}
        {selected && <ZoneRecords key={`${selected.provider}:${selected.id}`} zone={selected} onEdit={setForm} />}
      </div>
      {form && <RecordFormDialog zone={form.zone} editing={form.editing} initial={form.initial} onClose={() => setForm(null)} />}
    </div>
  )
}
