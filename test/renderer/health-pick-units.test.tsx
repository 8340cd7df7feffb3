// @vitest-environment jsdom
/**
 * The Health card's "Edit units" form against the real router over in-memory answers: it offers the
 * units the host has (units.available), failed ones first, then running ones, each with its state;
 * typing filters them; a typed name the host lacks is kept and marked "not on this host"; the pick
 * saved is what was chosen. A host without systemd gets one quiet line instead of offers.
 */
import './setup-dom'
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'
import { renderApp } from './render-app'

type Host = Result<'hosts.list'>[number]
type AvailableUnit = Result<'units.available'>[number]

const host: Host = { id: 'web-1', name: 'web-1', hostname: '10.0.0.5', port: 22, user: 'root', source: 'ssh-config', identityFiles: [], localForwards: [], state: 'connected' } as Host
const unit = (id: string, activeState: string, subState: string, description = ''): AvailableUnit => ({ id, description, loadState: 'loaded', activeState, subState, unitFileState: 'enabled' })

function app(available: () => AvailableUnit[]) {
  const saved: string[][] = []
  const view = renderApp(
    {
      handlers: {
        'hosts.list': () => [host],
        'containers.list': () => [],
        'units.list': () => [],
        'units.picked': () => ({ units: [] }),
        'units.available': () => available(),
        'units.pick': ({ units }) => {
          saved.push(units)
          return { units }
        },
        'metrics.host': ({ hostId, range }) => ({ hostId, range, stepSeconds: 15, points: [] }),
        'alerts.list': () => [],
        'checks.list': () => []
      }
    },
    '#/health'
  )
  return { ...view, saved }
}

async function openForm() {
  fireEvent.click(await screen.findByRole('button', { name: 'Edit units' }, { timeout: 5000 }))
  return screen.findByRole('form', { name: 'Pick units on web-1' })
}

describe('Health: picking units from the ones the host has', () => {
  it('offers the host units, failed first then running, with their state; typing filters; a missing name is marked', async () => {
    const { saved } = app(() => [
      unit('apache2.service', 'active', 'running', 'The Apache HTTP Server'),
      unit('backup-nightly.service', 'inactive', 'dead'),
      unit('cron.service', 'active', 'running', 'Command Scheduler'),
      unit('e2i-worker.service', 'failed', 'failed', 'e2i queue worker')
    ])
    const form = await openForm()
    // nothing picked on a host with no saved pick
    expect(within(form).queryByRole('list', { name: 'Units' })).toBeNull()
    const offers = await within(form).findByRole('list', { name: 'Units on web-1' })
    expect(within(offers).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Pick e2i-worker (failed)', 'Pick apache2 (running)', 'Pick cron (running)', 'Pick backup-nightly (inactive, enabled)'])

    const field = within(form).getByLabelText('Units that matter on web-1')
    fireEvent.change(field, { target: { value: 'sched' } }) // matches a description too
    await waitFor(() => expect(within(offers).getAllByRole('button').map((b) => b.textContent)).toEqual(['cronrunningCommand Scheduler']))
    fireEvent.click(within(offers).getByRole('button', { name: 'Pick cron (running)' }))
    expect((field as HTMLInputElement).value).toBe('')
    const chips = within(form).getByRole('list', { name: 'Units' })
    expect(within(chips).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['cron'])
    // a picked unit is no longer offered
    expect(within(offers).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).not.toContain('Pick cron (running)')

    fireEvent.change(field, { target: { value: 'nginx' } })
    expect(within(form).getByText('No unit on web-1 matches “nginx”; Enter adds it anyway.')).toBeTruthy()
    fireEvent.keyDown(field, { key: 'Enter' })
    expect(within(chips).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['cron', 'nginxnot on this host'])

    fireEvent.click(within(form).getByRole('button', { name: 'Save units' }))
    await waitFor(() => expect(saved).toEqual([['cron', 'nginx']]))
  })

  it('says in one quiet line that a host without systemd has no units to offer, and still takes typed names', async () => {
    app(() => {
      throw new DropdeckError('UPSTREAM', 'systemd is not running on web-1 (System has not been booted with systemd as init system (PID 1). Can’t operate.); units can only be read on a host booted with systemd.')
    })
    const form = await openForm()
    expect(await within(form).findByText('web-1 does not run systemd: no units to offer.')).toBeTruthy()
    expect(within(form).queryByRole('alert')).toBeNull()
    const field = within(form).getByLabelText('Units that matter on web-1')
    fireEvent.change(field, { target: { value: 'nginx' } })
    fireEvent.keyDown(field, { key: 'Enter' })
    expect(within(within(form).getByRole('list', { name: 'Units' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['nginx'])
  })
})
