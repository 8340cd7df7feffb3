/**
 * Hosts and tunnels as react-query caches, kept live by hosts.changed and tunnels.changed.
 * Keys are the method names, like provider-queries.ts.
 */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { Result } from '../../../shared/contract'
import { useApi } from '../rpc/api-context'

export type Host = Result<'hosts.list'>[number]
export type Tunnel = Result<'tunnels.list'>[number]
export type TunnelPreset = Result<'tunnels.presets'>[number]

export const sshKeys = {
  hosts: ['hosts.list'] as const,
  tunnels: ['tunnels.list'] as const,
  presets: ['tunnels.presets'] as const
}

export function useHosts(enabled = true) {
  const api = useApi()
  return useQuery({ queryKey: sshKeys.hosts, queryFn: () => api.call('hosts.list'), enabled, staleTime: 30_000, refetchOnWindowFocus: true })
}

export function useTunnels(enabled = true) {
  const api = useApi()
  return useQuery({ queryKey: sshKeys.tunnels, queryFn: () => api.call('tunnels.list'), enabled, staleTime: 30_000 })
}

export function useTunnelPresets(enabled = true) {
  const api = useApi()
  return useQuery({ queryKey: sshKeys.presets, queryFn: () => api.call('tunnels.presets'), enabled, staleTime: 60_000 })
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
