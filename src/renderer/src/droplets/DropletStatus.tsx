/** A droplet's status as a dot and a word; colour is never the only signal. */
import type { Droplet } from '../rpc/provider-queries'

export function DropletStatus({ status }: { status: Droplet['status'] }) {
  return (
    <span className={`dstatus dstatus-${status}`}>
      <span className="dstatus-dot" aria-hidden="true" />
      {status}
    </span>
  )
}
