/** Under a host that keeps failing: which attempt failed, and when the next one is (counting down), or that it stopped. */
import { useEffect, useState } from 'react'
import type { Host } from '../../../shared/contract'

export function RetryNote({ retry }: { retry: NonNullable<Host['retry']> }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!retry.nextAt) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [retry.nextAt])
  if (retry.gaveUp) return <span className="sstate-retry">Stopped after {retry.attempt} attempts</span>
  const inS = retry.nextAt ? Math.max(0, Math.ceil((Date.parse(retry.nextAt) - now) / 1000)) : null
  return (
    <span className="sstate-retry">
      Attempt {retry.attempt} failed{inS !== null ? ` · next try in ${inS} s` : ''}
    </span>
  )
}
