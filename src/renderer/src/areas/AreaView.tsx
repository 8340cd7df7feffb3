/**
 * An area's screen: its view, once what it needs is there. Areas that depend on a provider token
 * (Droplets, DNS) ask for it first; an area without a view in this build says plainly what it will
 * do and what it needs.
 */
import { ArrowRight, KeyRound } from 'lucide-react'
import { ContainersView } from '../containers/ContainersView'
import { DnsView } from '../dns/DnsView'
import { DeploysView } from '../deploys/DeploysView'
import { DropletsView } from '../droplets/DropletsView'
import { FilesView } from '../files/FilesView'
import type { Area } from '../navigation/areas'
import { HealthView } from '../health/HealthView'
import { HostsView } from '../ssh/HostsView'
import { LogsView } from '../logs/LogsView'
import { TunnelsView } from '../tunnels/TunnelsView'
import { EmptyState } from './EmptyState'
import { RequirementList } from './RequirementList'
import { useTokenState } from './use-token-state'

export function AreaView({ area, onOpenSettings }: { area: Area; onOpenSettings: () => void }) {
  const tokenState = useTokenState(area.needsToken?.keys)
  const requirements = <RequirementList requirements={area.requirements} onOpenSettings={onOpenSettings} />
  const openSettings = (label: string) => (
    <button type="button" className="button button-primary" onClick={onOpenSettings}>
      {label}
      <ArrowRight size={14} aria-hidden="true" />
    </button>
  )

  if (area.needsToken && tokenState === 'missing') {
    return (
      <EmptyState icon={area.icon} title={area.needsToken.title} actions={openSettings('Open Settings')} footer={requirements}>
        {area.needsToken.body}
      </EmptyState>
    )
  }

  if (area.needsToken && tokenState === 'keychain-unavailable') {
    return (
      <EmptyState icon={KeyRound} title="The OS keychain is not available" actions={openSettings('See how to fix it')} footer={requirements}>
        {area.label} needs a provider token, and Dropdeck stores tokens only in the OS keychain. Settings shows what is wrong and how to fix it.
      </EmptyState>
    )
  }

  // Hosts and tunnels need no provider token: SSH config alone is enough.
  if (area.id === 'hosts') return <HostsView />
  if (area.id === 'tunnels') return <TunnelsView />
  if (area.id === 'containers') return <ContainersView />
  if (area.id === 'health') return <HealthView />
  if (area.id === 'logs') return <LogsView />
  if (area.id === 'deploys') return <DeploysView />
  if (area.id === 'files') return <FilesView />

  // Areas with data views show them once their token is stored; nothing flashes while it loads.
  const DataView = area.id === 'droplets' ? DropletsView : area.id === 'dns' ? DnsView : undefined
  if (DataView && tokenState === 'present') return <DataView />
  if (DataView && tokenState === 'checking') return <p className="fleet-loading" role="status" />

  // While the token status loads, show the neutral overview rather than flashing a call to action.
  return (
    <EmptyState icon={area.icon} title={area.label} badge="Not in this build" footer={requirements}>
      {area.summary}
    </EmptyState>
  )
}
