/**
 * The alert centre: firing alerts first, then history; each says what is wrong, since when and the
 * next step (a link to the area where it is fixed), and can be acknowledged. Desktop notifications are
 * asked for here, on the operator's click; the optional Slack-compatible webhook is set and tested here.
 */
import { useQueryClient } from '@tanstack/react-query'
import { Bell, Check as CheckIcon, Send } from 'lucide-react'
import { useState, useSyncExternalStore, type FormEvent } from 'react'
import { useContractMutation } from '../rpc/contract-queries'
import { ErrorNotice } from '../ui/ErrorNotice'
import { formatAgo } from '../ui/format'
import { checksKeys, useAlerts, useWebhook } from './checks-queries'

const permission = () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission)
const listeners = new Set<() => void>()
const subscribe = (f: () => void) => {
  listeners.add(f)
  return () => listeners.delete(f)
}

export function AlertsPanel() {
  const alerts = useAlerts()
  const perm = useSyncExternalStore(subscribe, permission)
  // refetches the alert list on success (method-options.ts); alerts.changed usually updates it first
  const ack = useContractMutation('alerts.acknowledge')
  const rows = alerts.data ?? []
  const ask = async () => {
    await Notification.requestPermission()
    for (const f of listeners) f()
  }
  return (
    <section className="hpanel" aria-label="Alerts">
      <div className="hpanel-bar">
        {perm === 'default' && (
          <button type="button" className="button button-small" onClick={() => void ask()}>
            <Bell size={13} aria-hidden="true" />
            Enable desktop notifications
          </button>
        )}
        {perm === 'granted' && <span className="faint small">Desktop notifications on.</span>}
        {perm === 'denied' && <span className="faint small">Desktop notifications are blocked for this page.</span>}
        <WebhookField />
      </div>
      {alerts.isError && <ErrorNotice error={alerts.error} title="Alerts could not be loaded" />}
      {rows.length === 0 && alerts.data ? (
        <p className="faint hpanel-empty">No alerts. An alert fires when a check goes down (after 3 failures in a row) and resolves when it is up again.</p>
      ) : (
        <ul className="halerts" aria-label="Alert list">
          {rows.map((a) => (
            <li key={a.id} className={`halert halert-${a.state} halert-${a.severity}`}>
              <div className="halert-head">
                <span className={`hchip hchip-${a.state === 'resolved' ? 'ok' : a.severity === 'critical' ? 'danger' : 'warn'}`}>{a.state === 'resolved' ? 'resolved' : a.severity}</span>
                <strong>{a.checkName}</strong>
                <span className="faint small" title={a.firedAt}>
                  since {formatAgo(a.firedAt, { pastADay: 'days' })}
                  {a.resolvedAt && `, resolved ${formatAgo(a.resolvedAt, { pastADay: 'days' })}`}
                  {a.acknowledgedAt && ', acknowledged'}
                </span>
                <span className="toolbar-spacer" />
                {a.state === 'firing' && !a.acknowledgedAt && (
                  <button type="button" className="button button-small" onClick={() => ack.mutate({ id: a.id })} aria-label={`Acknowledge ${a.checkName}`}>
                    <CheckIcon size={12} aria-hidden="true" />
                    Acknowledge
                  </button>
                )}
              </div>
              <p className="halert-msg">{a.message}</p>
              {a.detail && a.state === 'firing' && <pre className="hdetail">{a.detail}</pre>}
              {a.state === 'firing' && (
                <a className="small" href={`#/${a.nextStep.area}`}>
                  {a.nextStep.label}
                  {a.nextStep.hostId ? ` on ${a.nextStep.hostId}` : ''} →
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function WebhookField() {
  const client = useQueryClient()
  const webhook = useWebhook()
  const [draft, setDraft] = useState<string | null>(null)
  const value = draft ?? webhook.data?.url ?? ''
  const save = useContractMutation('alerts.webhook.set', {
    onSuccess: (r) => {
      client.setQueryData(checksKeys.webhook, r)
      setDraft(null)
    }
  })
  const test = useContractMutation('alerts.webhook.test')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate({ url: value.trim() || null })
  }
  return (
    <form className="hwebhook" onSubmit={submit} aria-label="Alert webhook">
      <input className="input input-mono" value={value} onChange={(e) => setDraft(e.target.value)} placeholder="Slack-compatible webhook URL (optional)" aria-label="Webhook URL" />
      <button type="submit" className="button button-small" disabled={draft === null || save.isPending}>
        Save
      </button>
      <button type="button" className="button button-small" onClick={() => test.mutate({})} disabled={!webhook.data?.url || test.isPending}>
        <Send size={12} aria-hidden="true" />
        Test
      </button>
      {test.isSuccess && <span className="small hok">Sent ({test.data.status})</span>}
      {(save.isError || test.isError) && <ErrorNotice error={save.error ?? test.error} title="Webhook" />}
    </form>
  )
}
