/**
 * Droplet actions, snapshots, firewalls, tags and the audit log through the real services against
 * the real DigitalOcean stub: progress until completed, typed confirmation, the managed-tag lock,
 * and every request the client built checked against DigitalOcean's published spec.
 */
import { readFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSecretService, type SecretService } from '../fleet/secret-service'
import { findOperation, validateRequest } from '../fleet/spec-validate'
import { fastTuning, requestsTo, startWorld, type World } from './harness'

const E2I = 544907207
const ODOO = 498221043
const N8N = 498229117
const OCR = 451730266
const SANDBOX = 561004318
const NOW = new Date('2026-03-01T09:30:45Z')

let keyring: SecretService
let w: World

beforeAll(async () => {
  keyring = await startSecretService()
  Object.assign(process.env, keyring.env)
  w = await startWorld({ digitalocean: { actionDurationMs: 300 }, tuning: { ...fastTuning, droplets: { actionPollMs: 50, now: () => NOW } } })
})

afterAll(async () => {
  await w?.stop()
  await keyring?.stop()
})

describe('droplet actions', () => {
  it('power off: progress events from the actions API until completed, then droplets.changed', async () => {
    const from = w.dos.requests.length
    const action = await w.call('droplets.action', { id: N8N, action: { type: 'power_off' }, confirm: 'n8n-prod' })
    expect(action).toMatchObject({ type: 'power_off', status: 'in-progress', dropletId: N8N, completedAt: null })
    const done = await w.waitForEvent('droplets.actionProgress', (p) => p.id === action.id && p.status === 'completed')
    expect(done).toMatchObject({ dropletName: 'n8n-prod', type: 'power_off', completedAt: expect.any(String) })
    await w.waitForEvent('droplets.changed', (p) => p.ids.includes(N8N))
    const progress = w.eventsOf('droplets.actionProgress').filter((p) => p.id === action.id)
    expect(progress.filter((p) => p.status === 'in-progress').length).toBeGreaterThanOrEqual(2)
    expect(progress.at(-1)!.status).toBe('completed')
    // every progress event after the first is one GET /v2/actions/{id}
    const polls = requestsTo(w.dos, 'GET', `/v2/actions/${action.id}`, from)
    expect(polls.length).toBe(progress.length - 1)
    expect(requestsTo(w.dos, 'POST', `/v2/droplets/${N8N}/actions`, from)).toEqual([expect.objectContaining({ status: 201, body: { type: 'power_off' } })])
    // the cached list already knows the new status
    expect((await w.call('droplets.list', {})).find((d) => d.id === N8N)!.status).toBe('off')
  })

  it('snapshot: default name <droplet>-YYYYMMDD-HHMM (UTC); the snapshot is listed once done', async () => {
    const from = w.dos.requests.length
    const action = await w.call('droplets.action', { id: E2I, action: { type: 'snapshot' } })
    expect(requestsTo(w.dos, 'POST', `/v2/droplets/${E2I}/actions`, from)[0].body).toEqual({ type: 'snapshot', name: 'e2i-analytics-prod-20260301-0930' })
    await w.waitForEvent('droplets.actionProgress', (p) => p.id === action.id && p.status === 'completed')
    const own = await w.call('snapshots.list', { dropletId: E2I })
    expect(own).toEqual([expect.objectContaining({ name: 'e2i-analytics-prod-20260301-0930', dropletId: E2I })])
    const all = await w.call('snapshots.list', {})
    expect(all).toContainEqual(expect.objectContaining({ id: own[0].id, name: 'e2i-analytics-prod-20260301-0930', dropletId: E2I }))
    const detail = await w.call('droplets.get', { id: E2I })
    expect(detail.snapshots.map((s) => s.name)).toEqual(['e2i-analytics-prod-20260301-0930'])
    expect(detail.recentActions[0]).toMatchObject({ id: action.id, type: 'snapshot', status: 'completed' })
    expect(detail.networks).toContainEqual({ version: 'v4', type: 'public', ipAddress: '138.197.4.36', netmask: '255.255.240.0', gateway: expect.any(String) })
  })

  it('destructive actions need the droplet\'s current name typed; nothing is sent without it', async () => {
    const from = w.dos.requests.length
    for (const confirm of [undefined, 'odoo-erp', 'ODOO-ERP-PROD']) {
      const err = await w.fail('droplets.action', { id: ODOO, action: { type: 'reboot' }, ...(confirm === undefined ? {} : { confirm }) })
      expect(err.code).toBe('CONFIRMATION_REQUIRED')
      expect(err.data).toEqual({ expected: 'odoo-erp-prod' })
      expect(err.message).toContain('type the droplet\'s name, odoo-erp-prod')
    }
    expect(requestsTo(w.dos, 'POST', `/v2/droplets/${ODOO}/actions`, from)).toHaveLength(0)
    const ok = await w.call('droplets.action', { id: ODOO, action: { type: 'reboot' }, confirm: 'odoo-erp-prod' })
    expect(ok.status).toBe('in-progress')
    await w.waitForEvent('droplets.actionProgress', (p) => p.id === ok.id && p.status === 'completed')
  })

  it('with the managed tag enforced, an unmanaged droplet is read-only until unlocked for one action', async () => {
    await w.call('settings.update', { managedTagEnforced: true })
    try {
      const list = await w.call('droplets.list', {})
      expect(list.find((d) => d.id === SANDBOX)).toMatchObject({ managed: false, readOnly: true })
      expect(list.find((d) => d.id === ODOO)).toMatchObject({ managed: true, readOnly: false })
      const from = w.dos.requests.length
      const err = await w.fail('droplets.action', { id: SANDBOX, action: { type: 'power_on' } })
      expect(err.code).toBe('CONFIRMATION_REQUIRED')
      expect(err.message).toBe('droplet sammy-sandbox is read-only: it has no tag deployed-via-api. Unlock it for this action.')
      const tagErr = await w.fail('droplets.tag', { id: SANDBOX, tag: 'scratch' })
      expect(tagErr.code).toBe('CONFIRMATION_REQUIRED')
      expect(w.dos.requests.slice(from).filter((r) => r.method !== 'GET')).toHaveLength(0)
      const unlocked = await w.call('droplets.action', { id: SANDBOX, action: { type: 'power_on' }, unlock: true })
      expect(unlocked.type).toBe('power_on')
      await w.waitForEvent('droplets.actionProgress', (p) => p.id === unlocked.id && p.status === 'completed')
      expect(w.dos.droplets().find((d) => d.id === SANDBOX)!.status).toBe('active')
    } finally {
      await w.call('settings.update', { managedTagEnforced: false })
    }
  })

  it('tags a droplet with a tag that does not exist yet (created first), and untags it', async () => {
    const from = w.dos.requests.length
    expect((await w.call('droplets.tag', { id: OCR, tag: 'team-ocr' })).tags).toContain('team-ocr')
    const writes = w.dos.requests.slice(from).filter((r) => r.method !== 'GET')
    expect(writes.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /v2/tags/team-ocr/resources 404', 'POST /v2/tags 201', 'POST /v2/tags/team-ocr/resources 204'])
    expect(writes[0].body).toEqual({ resources: [{ resource_id: String(OCR), resource_type: 'droplet' }] })
    expect(w.dos.droplets().find((d) => d.id === OCR)!.tags).toContain('team-ocr')
    const untagged = await w.call('droplets.tag', { id: OCR, tag: 'team-ocr', remove: true })
    expect(untagged.tags).not.toContain('team-ocr')
    expect(w.dos.requests.at(-2)).toMatchObject({ method: 'DELETE', path: '/v2/tags/team-ocr/resources', status: 204 })
    expect(w.dos.droplets().find((d) => d.id === OCR)!.tags).not.toContain('team-ocr')
  })

  it('deletes a snapshot only with its name typed', async () => {
    const [snap] = await w.call('snapshots.list', { dropletId: E2I })
    const from = w.dos.requests.length
    const err = await w.fail('snapshots.delete', { id: snap.id, confirm: 'e2i-analytics-prod' })
    expect(err.code).toBe('CONFIRMATION_REQUIRED')
    expect(err.data).toEqual({ expected: snap.name })
    expect(requestsTo(w.dos, 'DELETE', `/v2/snapshots/${snap.id}`, from)).toHaveLength(0)
    expect(await w.call('snapshots.delete', { id: snap.id, confirm: snap.name })).toEqual({ deleted: true })
    expect(requestsTo(w.dos, 'DELETE', `/v2/snapshots/${snap.id}`, from)).toEqual([expect.objectContaining({ status: 204 })])
    expect(await w.call('snapshots.list', { dropletId: E2I })).toEqual([])
  })
})

describe('firewalls', () => {
  it('creates one from the 22/80/443 template, attaches it to a tag, and the droplet shows it', async () => {
    const from = w.dos.requests.length
    const fw = await w.call('firewalls.createFromTemplate', { name: 'web-basic', dropletIds: [ODOO] })
    expect(fw).toMatchObject({ name: 'web-basic', dropletIds: [ODOO], tags: [] })
    expect(fw.rules).toEqual([
      { direction: 'inbound', protocol: 'tcp', ports: '22', peers: ['0.0.0.0/0', '::/0'] },
      { direction: 'inbound', protocol: 'tcp', ports: '80', peers: ['0.0.0.0/0', '::/0'] },
      { direction: 'inbound', protocol: 'tcp', ports: '443', peers: ['0.0.0.0/0', '::/0'] },
      { direction: 'outbound', protocol: 'tcp', ports: '0', peers: ['0.0.0.0/0', '::/0'] },
      { direction: 'outbound', protocol: 'udp', ports: '0', peers: ['0.0.0.0/0', '::/0'] },
      { direction: 'outbound', protocol: 'icmp', ports: '0', peers: ['0.0.0.0/0', '::/0'] }
    ])
    expect(requestsTo(w.dos, 'POST', '/v2/firewalls', from)).toEqual([expect.objectContaining({ status: 202 })])
    const attached = await w.call('firewalls.attach', { id: fw.id, tags: ['production'], dropletIds: [N8N] })
    expect(attached.tags).toEqual(['production'])
    expect(attached.dropletIds.sort()).toEqual([N8N, ODOO].sort())
    expect((await w.call('firewalls.list', {})).map((f) => f.id)).toEqual([fw.id])
    // e2i is in "production": it gets the firewall through the tag
    expect((await w.call('droplets.get', { id: E2I })).firewalls.map((f) => f.name)).toEqual(['web-basic'])
    const err = await w.fail('firewalls.attach', { id: fw.id, tags: ['no-such-tag'] })
    expect(err.code).toBe('NOT_FOUND')
    expect(err.message).toContain('tag no-such-tag not found')
  })
})

describe('the managed-tag lock beyond droplet actions', () => {
  it('covers deleting a read-only droplet\'s snapshot and putting a firewall on it, until unlocked for that call', async () => {
    await w.call('settings.update', { managedTagEnforced: true })
    try {
      const taken = await w.call('droplets.action', { id: SANDBOX, action: { type: 'snapshot', name: 'sandbox-before-lock' }, unlock: true })
      await w.waitForEvent('droplets.actionProgress', (p) => p.id === taken.id && p.status === 'completed')
      const snap = (await w.call('snapshots.list', { dropletId: SANDBOX })).find((s) => s.name === 'sandbox-before-lock')!
      const fw = await w.call('firewalls.createFromTemplate', { name: 'locked-test' })
      const from = w.dos.requests.length

      const snapErr = await w.fail('snapshots.delete', { id: snap.id, confirm: snap.name })
      expect(snapErr.code).toBe('CONFIRMATION_REQUIRED')
      expect(snapErr.data).toMatchObject({ readOnly: true, tag: 'deployed-via-api' })
      const attachErr = await w.fail('firewalls.attach', { id: fw.id, dropletIds: [SANDBOX] })
      expect(attachErr.code).toBe('CONFIRMATION_REQUIRED')
      expect(attachErr.message).toContain('sammy-sandbox is read-only')
      const createErr = await w.fail('firewalls.createFromTemplate', { name: 'locked-test-2', dropletIds: [ODOO, SANDBOX] })
      expect(createErr.code).toBe('CONFIRMATION_REQUIRED')
      // Refused before anything was sent: not even the managed droplet got the new firewall.
      expect(w.dos.requests.slice(from).filter((r) => r.method !== 'GET')).toHaveLength(0)

      expect(await w.call('snapshots.delete', { id: snap.id, confirm: snap.name, unlock: true })).toEqual({ deleted: true })
      expect((await w.call('firewalls.attach', { id: fw.id, dropletIds: [SANDBOX], unlock: true })).dropletIds).toEqual([SANDBOX])
      // A managed droplet needs no unlock.
      expect((await w.call('firewalls.attach', { id: fw.id, dropletIds: [ODOO] })).dropletIds.sort()).toEqual([ODOO, SANDBOX].sort())
    } finally {
      await w.call('settings.update', { managedTagEnforced: false })
    }
  })
})

describe('audit log', () => {
  it('wrote every mutation to audit.jsonl: who, what, target, result, request id; listed newest first', async () => {
    const lines = (await readFile(join(w.dataDir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>)
    const listed = await w.call('audit.list', {})
    expect(listed.map((e) => e.id)).toEqual(lines.map((e) => e.id).reverse())
    expect(w.eventsOf('audit.appended').map((e) => e.id)).toEqual(lines.map((e) => e.id))
    const actor = `${userInfo().username} via test:1`
    expect(lines.every((e) => e.actor === actor)).toBe(true)
    const summary = lines.map((e) => `${e.action} ${e.result}`)
    expect(summary).toEqual(
      expect.arrayContaining(['droplet.power_off started', 'droplet.power_off ok', 'droplet.snapshot started', 'droplet.snapshot ok', 'droplet.reboot ok', 'droplet.power_on ok', 'droplet.tag ok', 'droplet.untag ok', 'snapshot.delete ok', 'firewall.create ok', 'firewall.attach ok', 'firewall.attach error'])
    )
    // refused before any request (confirmation, lock): not a mutation, not audited
    expect(summary.filter((s) => s === 'droplet.reboot started')).toHaveLength(1)
    const started = lines.find((e) => e.action === 'droplet.power_off' && e.result === 'started')!
    expect(started.target).toBe(`droplet ${N8N} (n8n-prod)`)
    expect(started.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(lines.find((e) => e.action === 'droplet.snapshot' && e.result === 'started')!.message).toContain('name=e2i-analytics-prod-20260301-0930')
    expect((await w.call('audit.list', { limit: 2 })).map((e) => e.id)).toEqual(lines.slice(-2).map((e) => e.id).reverse())
  })
})

describe('requests', () => {
  it('every request the client built is a documented DigitalOcean operation with a body the spec accepts', () => {
    expect(w.dos.requests.length).toBeGreaterThan(30)
    const problems: string[] = []
    for (const r of w.dos.requests) {
      if (!findOperation('digitalocean', r.method, r.path)) problems.push(`${r.method} ${r.path}: not in the spec`)
      const v = validateRequest('digitalocean', r.method, r.path, r.body)
      if (!v.ok) problems.push(`${r.method} ${r.path}: ${v.errors.join('; ')}`)
      expect(r.authorization).toBe(`Bearer ${w.dos.token}`)
    }
    expect(problems).toEqual([])
    // and the validator does refuse what DigitalOcean would
    expect(validateRequest('digitalocean', 'POST', '/v2/droplets/1/actions', { type: 'explode' }).ok).toBe(false)
    expect(validateRequest('digitalocean', 'POST', '/v2/tags/x/resources', { resources: 'droplet:1' }).ok).toBe(false)
    expect(validateRequest('digitalocean', 'POST', '/v2/firewalls', { inbound_rules: [] }).ok).toBe(false)
  })
})
