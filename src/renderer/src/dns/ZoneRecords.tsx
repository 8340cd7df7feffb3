/**
 * One zone's records: filter, only-dangling, refresh past the provider's cache, edit and delete
 * (typed confirmation for the zone's own name), and Cloudflare's proxy switch (asks first).
 */
import * as Switch from '@radix-ui/react-switch'
import { Pencil, Plus, Search, Trash2, TriangleAlert } from 'lucide-react'
import { useMemo, useState } from 'react'
import { ApiBudget } from '../fleet/ApiBudget'
import { providerNames } from '../fleet/format'
import { StaleBadge } from '../fleet/StaleBadge'
import { useRecords, useRefreshRecords, type DnsRecord, type DnsRecordInput, type Zone } from '../rpc/provider-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { QueryState } from '../ui/QueryState'
import { ConfirmDialog } from '../ui/ConfirmDialog'
import { TypedConfirmDialog } from '../ui/TypedConfirmDialog'
import { useDeleteRecord, useSaveRecord } from './dns-mutations'
import { draftFromRecord, emptyDraft, relativeName, type RecordDraft } from './RecordFormDialog'
import { RefreshButton } from '../ui/RefreshButton'
import { ProviderBadge } from './ProviderBadge'

/** The records filter's element id. */
export const DNS_SEARCH_ID = 'dns-search'

/** The record form the view opens: a new record in a zone, or one being edited. */
export type RecordForm = { zone: Zone; editing?: DnsRecord; initial: RecordDraft } | null

export function ZoneRecords({ zone, onEdit }: { zone: Zone; onEdit: (form: RecordForm) => void }) {
  const records = useRecords(zone)
  const refreshRecords = useRefreshRecords()
  const [query, setQuery] = useState('')
  const [onlyDangling, setOnlyDangling] = useState(false)
  const [deleting, setDeleting] = useState<DnsRecord | null>(null)
  const [refreshing, setRefreshing] = useState(false)
  const remove = useDeleteRecord(zone)
  const toggle = useSaveRecord(zone)

  // The zone's own name ("@") first, as every DNS console lists it; then by name and type.
  const all = useMemo(() => {
    const apex = (r: DnsRecord) => (relativeName(r.name, zone) === '@' ? 0 : 1)
    return [...(records.data ?? [])].sort((a, b) => apex(a) - apex(b) || a.name.localeCompare(b.name) || a.type.localeCompare(b.type))
  }, [records.data, zone])
  const [proxyAsk, setProxyAsk] = useState<{ record: DnsRecord; proxied: boolean } | null>(null)
  const setProxied = (record: DnsRecord, proxied: boolean) =>
    toggle.mutate({
      id: record.id,
      // Cloudflare serves a proxied record with an automatic TTL (1) whatever was set; turning the proxy
      // off keeps the TTL the record had.
      record: { type: record.type as DnsRecordInput['type'], name: record.name, content: record.content, ttl: proxied ? 1 : record.ttl, proxied, ...(record.priority === null ? {} : { priority: record.priority }) }
    })
  const dangling = all.filter((record) => record.dangling)
  const q = query.trim().toLowerCase()
  const shown = all.filter((record) => (!onlyDangling || record.dangling) && (!q || `${record.type} ${record.name} ${record.content} ${record.droplet?.name ?? ''}`.toLowerCase().includes(q)))

  const refresh = () => {
    setRefreshing(true)
    void refreshRecords(zone).finally(() => setRefreshing(false))
  }

  return (
    <section className="zone-records" aria-labelledby="zone-title">
      <div className="toolbar">
        <h2 className="zone-title" id="zone-title">
          <ProviderBadge provider={zone.provider} />
          {zone.name}
        </h2>
        <div className="filter filter-narrow">
          <Search size={13} className="filter-icon" aria-hidden="true" />
          <input
            id={DNS_SEARCH_ID}
            className="input filter-input"
            placeholder="Search records"
            aria-label="Search records"
            value={query}
            spellCheck={false}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && query) {
                e.preventDefault()
                setQuery('')
              }
            }}
          />
        </div>
        {records.data && <span className="summary faint">{all.length} records</span>}
        {dangling.length > 0 && (
          <button type="button" className={`dangling-summary${onlyDangling ? ' is-active' : ''}`} aria-pressed={onlyDangling} onClick={() => setOnlyDangling((v) => !v)}>
            <TriangleAlert size={12} aria-hidden="true" />
            {dangling.length} dangling record{dangling.length === 1 ? '' : 's'}
          </button>
        )}
        {records.isError && records.data && <StaleBadge error={records.error} />}
        <div className="toolbar-spacer" />
        <ApiBudget providers={[zone.provider]} />
        <RefreshButton label="Refresh records" busy={refreshing || records.isFetching} onRefresh={refresh} iconOnly />
        <button type="button" className="button button-small button-primary" onClick={() => onEdit({ zone, initial: emptyDraft(zone) })}>
          <Plus size={13} aria-hidden="true" />
          Add record
        </button>
      </div>
      {toggle.error && <div className="inline-notice"><ErrorNotice error={toggle.error} title="The proxy setting was not changed" onDismiss={() => toggle.reset()} /></div>}
      {remove.error && !deleting && <div className="inline-notice"><ErrorNotice error={remove.error} onDismiss={() => remove.reset()} /></div>}

      <QueryState
        query={records}
        layout="view"
        loading="Loading records…"
        failed="Records could not be loaded"
        isEmpty={() => shown.length === 0}
        empty={<p className="table-empty">{all.length === 0 ? 'This zone has no records.' : 'No record matches.'}</p>}
      >
        {() => (
        <div className="rtable-scroll">
          <table className="rtable" aria-label={`Records in ${zone.name}`}>
            <colgroup>
              <col style={{ width: 64 }} />
              <col style={{ width: '22%' }} />
              <col />
              <col style={{ width: 64 }} />
              {zone.provider === 'cloudflare' && <col style={{ width: 70 }} />}
              <col style={{ width: '22%' }} />
              <col style={{ width: 72 }} />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">Content</th>
                <th scope="col" className="num">TTL</th>
                {zone.provider === 'cloudflare' && <th scope="col">Proxied</th>}
                <th scope="col">Points at</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((record) => {
                const relative = relativeName(record.name, zone)
                return (
                  <tr key={record.id} className={record.dangling ? 'is-dangling' : undefined}>
                    <td>
                      <span className="rtype">{record.type}</span>
                    </td>
                    <td className="mono" title={record.name}>
                      <span className="truncate-block">
                        {relative}
                        {relative !== '@' && relative !== record.name && <span className="faint-mono">.{zone.name}</span>}
                      </span>
                    </td>
                    <td className="mono" title={record.content}>
                      <span className="truncate-block">
                        {record.priority !== null && <span className="faint-mono">{record.priority} </span>}
                        {record.content}
                      </span>
                    </td>
                    <td className="num faint" title={record.ttl === 1 ? 'Automatic (Cloudflare: 300 s, or whatever its proxy uses)' : `${record.ttl} s`}>
                      {record.ttl === 1 ? 'auto' : record.ttl}
                    </td>
                    {zone.provider === 'cloudflare' && (
                      <td>
                        {record.proxied !== null && ['A', 'AAAA', 'CNAME'].includes(record.type) ? (
                          <Switch.Root
                            className="switch switch-small"
                            checked={record.proxied}
                            disabled={toggle.isPending}
                            aria-label={`Proxied: ${record.name}`}
                            // Live DNS: asked first, never flipped by one stray click.
                            onCheckedChange={(checked) => setProxyAsk({ record, proxied: checked })}
                          >
                            <Switch.Thumb className="switch-thumb" />
                          </Switch.Root>
                        ) : (
                          <span className="faint">—</span>
                        )}
                      </td>
                    )}
                    <td className="points-at">
                      {record.dangling ? (
                        <span className="dangling">
                          <span className="chip chip-warn">
                            <TriangleAlert size={11} aria-hidden="true" />
                            dangling
                          </span>
                          {record.danglingReason && <span className="dangling-reason">{record.danglingReason}</span>}
                        </span>
                      ) : record.droplet ? (
                        <a className="droplet-link" href={`#/droplets/${record.droplet.id}`}>
                          {record.droplet.name}
                        </a>
                      ) : (
                        <span className="faint">—</span>
                      )}
                    </td>
                    <td className="row-actions">
                      <button type="button" className="icon-button" aria-label={`Edit ${record.type} ${record.name}`} onClick={() => onEdit({ zone, editing: record, initial: draftFromRecord(record, zone) })}>
                        <Pencil size={13} aria-hidden="true" />
                      </button>
                      <button
                        type="button"
                        className="icon-button icon-button-danger"
                        aria-label={`Delete ${record.type} ${record.name}`}
                        onClick={() => {
                          remove.reset()
                          setDeleting(record)
                        }}
                      >
                        <Trash2 size={13} aria-hidden="true" />
                      </button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
        )}
      </QueryState>
      <TypedConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={deleting ? `Delete the ${deleting.type} record ${deleting.name}?` : ''}
        description={deleting ? `${deleting.name} ${deleting.type} ${deleting.content} is removed at ${providerNames[zone.provider]}. Anything that resolves this name stops finding it.` : ''}
        expected={deleting?.name ?? ''}
        confirmLabel="Delete record"
        busy={remove.isPending}
        error={remove.error ? <ErrorNotice error={remove.error} /> : undefined}
        onConfirm={(typed) => deleting && remove.mutate({ id: deleting.id, confirm: typed }, { onSuccess: () => setDeleting(null) })}
      />
      <ConfirmDialog
        open={proxyAsk !== null}
        onOpenChange={(open) => !open && setProxyAsk(null)}
        title={proxyAsk ? `${proxyAsk.proxied ? 'Proxy' : 'Stop proxying'} ${proxyAsk.record.name}?` : ''}
        description={
          proxyAsk
            ? proxyAsk.proxied
              ? `Live DNS: visitors of ${proxyAsk.record.name} go through Cloudflare (its addresses answer instead of ${proxyAsk.record.content}), and the TTL becomes automatic. Services that are not HTTP(S) on Cloudflare's ports stop working through this name.`
              : `Live DNS: ${proxyAsk.record.name} answers with ${proxyAsk.record.content} itself, so the origin's address is public and Cloudflare's cache and protection no longer apply.`
            : ''
        }
        confirmLabel={proxyAsk?.proxied ? 'Proxy through Cloudflare' : 'Stop proxying'}
        onConfirm={() => {
          if (proxyAsk) setProxied(proxyAsk.record, proxyAsk.proxied)
          setProxyAsk(null)
        }}
      />
    </section>
  )
}
