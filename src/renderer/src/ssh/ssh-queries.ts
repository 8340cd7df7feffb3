/**
 * Hosts and tunnels as react-query caches, kept live by hosts.changed and tunnels.changed.
 * Keys are the method names (rpc/contract-queries.ts); freshness is in rpc/method-options.ts.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { Result } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'
import { useContractQuery } from '../rpc/contract-queries'

export type Host = Result<'hosts.list'>[number]
export type Tunnel = Result<'tunnels.list'>[number]
export type TunnelPreset = Result<'tunnels.presets'>[number]

export const sshKeys = {
  hosts: ['hosts.list'] as const,
  tunnels: ['tunnels.list'] as const,
  presets: ['tunnels.presets'] as const
}

export function useHosts(enabled = true) {
  return useContractQuery('hosts.list', undefined, { enabled })
}

export function useTunnels(enabled = true) {
  return useContractQuery('tunnels.list', undefined, { enabled })
}

export function useTunnelPresets(enabled = true) {
  return useContractQuery('tunnels.presets', undefined, { enabled })
}

export function upsertHost(client: QueryClient, host: Host): void {
  client.setQueryData<Host[]>(sshKeys.hosts, (old) => {
    if (!old) return old
    return old.some((h) => h.id === host.id) ? old.map((h) => (h.id === host.id ? host : h)) : [...old, host]
  })
}

/** Follows hosts.changed and tunnels.changed into the caches. */
export function useSshEvents(): void {
  const api = useApi()
  const client = useQueryClient()
  useEffect(() => {
    const offs = [
      api.on('hosts.changed', (host) => {
        const known = client.getQueryData<Host[]>(sshKeys.hosts)
        if (known && !known.some((h) => h.id === host.id)) void client.invalidateQueries({ queryKey: sshKeys.hosts })
        else upsertHost(client, host)
      }),
      api.on('tunnels.changed', (payload) => {
        if ('tunnels' in payload) {
          client.setQueryData(sshKeys.tunnels, payload.tunnels)
          return
        }
        const tunnel = payload.tunnel
        client.setQueryData<Tunnel[]>(sshKeys.tunnels, (old) => {
          if (!old) return [tunnel]
          return old.some((t) => t.id === tunnel.id) ? old.map((t) => (t.id === tunnel.id ? tunnel : t)) : [...old, tunnel]
        })
      })
    ]
    return () => offs.forEach((off) => off())
  }, [api, client])
}

export function openUrl(url: string): void {
  window.open(url, '_blank', 'noopener')
}
