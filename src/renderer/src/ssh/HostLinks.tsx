/**
 * One click from a host (a Hosts row, a droplet's details) to the other areas that show it: a terminal
 * on it, its containers, its health, its deploys, and a new tunnel. Links go through the hash routes
 * with the host in them (?host=<id>: the containers filtered to it, its health card first, the tunnel
 * dialog set to it), the terminal through a queued request (a reload must not open shells by itself).
 */
import { Boxes, Cable, HeartPulse, Rocket, SquareTerminal } from 'lucide-react'
import { hashFor } from '../navigation/use-hash-path'
import { requestTerminal } from '../terminals/terminal-requests'

export function HostLinks({ hostId }: { hostId: string }) {
  return (
    <span className="host-links" role="group" aria-label={`Open ${hostId} in`}>
      <button type="button" className="icon-button" aria-label={`Terminal on ${hostId}`} title={`Open a terminal on ${hostId}`} onClick={() => requestTerminal({ hostId })}>
        <SquareTerminal size={14} aria-hidden="true" />
      </button>
      <a className="icon-button" href={hashFor('containers', [], { host: hostId })} aria-label={`Containers on ${hostId}`} title={`${hostId}'s containers and their logs`}>
        <Boxes size={14} aria-hidden="true" />
      </a>
      <a className="icon-button" href={hashFor('health', [], { host: hostId })} aria-label={`Health of ${hostId}`} title={`${hostId}'s charts and checks`}>
        <HeartPulse size={14} aria-hidden="true" />
      </a>
      <a className="icon-button" href={hashFor('deploys', [hostId])} aria-label={`Deploys on ${hostId}`} title={`Deploy and roll back services on ${hostId}`}>
        <Rocket size={14} aria-hidden="true" />
      </a>
      <a className="icon-button" href={hashFor('tunnels', ['new'], { host: hostId })} aria-label={`Tunnel to ${hostId}`} title={`Forward a local port to one of ${hostId}'s ports`}>
        <Cable size={14} aria-hidden="true" />
      </a>
    </span>
  )
}
