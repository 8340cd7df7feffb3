/** DNS record writes. Each answer is written into the zone's cache, then the zone is re-read. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { errorData } from '../../../shared/error-data'
import { DropdeckError } from '../../../shared/errors'
import { errorMessage } from '../rpc/errors'
import { useApi } from '../rpc/api-context'
import { providerKeys, type DnsRecord, type DnsRecordInput, type Zone } from '../rpc/provider-queries'

export function useSaveRecord(zone: Zone) {
  const api = useApi()
  const client = useQueryClient()
  const key = providerKeys.records(zone.provider, zone.id)
  return useMutation({
    mutationFn: ({ id, record }: { id?: string; record: DnsRecordInput }) =>
      id ? api.call('dns.records.update', { provider: zone.provider, zoneId: zone.id, id, record }) : api.call('dns.records.create', { provider: zone.provider, zoneId: zone.id, record }),
    onSuccess: (saved) => {
      client.setQueryData<DnsRecord[]>(key, (old) => (old ? [...old.filter((record) => record.id !== saved.id), saved] : old))
      void client.invalidateQueries({ queryKey: key })
      void client.invalidateQueries({ queryKey: providerKeys.missing })
    }
  })
}

export function useDeleteRecord(zone: Zone) {
  const api = useApi()
  const client = useQueryClient()
  const key = providerKeys.records(zone.provider, zone.id)
  return useMutation({
    mutationFn: ({ id, confirm }: { id: string; confirm: string }) => api.call('dns.records.delete', { provider: zone.provider, zoneId: zone.id, id, confirm }),
    onSuccess: (_result, { id }) => {
      client.setQueryData<DnsRecord[]>(key, (old) => old?.filter((record) => record.id !== id))
      void client.invalidateQueries({ queryKey: key })
      void client.invalidateQueries({ queryKey: providerKeys.missing })
    }
  })
}

/**
 * BAD_REQUEST issues by record field. The router reports paths like `record.content`; a service
 * may report `content` alone. Anything not about one field lands under `''`.
 */
export function recordFieldErrors(error: unknown): Record<string, string> {
  if (!error) return {}
  if (!(error instanceof DropdeckError) || error.code !== 'BAD_REQUEST') return { '': errorMessage(error) }
  const listed = errorData(error, 'BAD_REQUEST')?.issues
  const issues = listed && listed.length > 0 ? listed : issuesFromMessage(error.message)
  if (issues.length === 0) return { '': error.message }
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const path = typeof issue.path === 'string' ? issue.path.replace(/^record\./, '') : ''
    const field = ['type', 'name', 'content', 'ttl', 'proxied', 'priority'].includes(path.split('.')[0]) ? path.split('.')[0] : ''
    const message = typeof issue.message === 'string' ? issue.message : error.message
    if (!(field in out)) out[field] = message ? message[0].toUpperCase() + message.slice(1) : message
  }
  return out
}

const recordFields = ['type', 'name', 'content', 'ttl', 'proxied', 'priority']

/**
 * A service's own validation arrives as a ZodError turned into BAD_REQUEST with only a message,
 * "content: an A record needs an IPv4 address; ttl: ..." (no data.issues); read the fields back out
 * of it so each message still lands under its field.
 */
function issuesFromMessage(message: string): Array<{ path: string; message: string }> {
  const body = message.replace(/^Invalid params for [\w.]+: /, '')
  const parts = body.split('; ').map((part) => /^([\w.]+): (.+)$/.exec(part))
  if (parts.some((match) => !match || !recordFields.includes(match[1].replace(/^record\./, '').split('.')[0]))) return []
  return parts.map((match) => ({ path: match![1], message: match![2] }))
}
