/**
 * The systemd units of a host: the service units it has, the picked units per host, their state from one `systemctl show` per
 * refresh, and start/stop/restart/reload through `sudo -n`. The contract's units.* are in ./units-handlers.ts.
 */
import type { AvailableUnit, Unit, UnitAction } from '../../shared/contract/units'
import { DropdeckError } from '../../shared/errors'
import type { OpsDeps } from '../app/ops-deps'
import { execBatchFor } from '../ssh/exec-batch'
import { actionCommand, actionFailure, listCommand, showCommand, showFailure } from './systemctl-commands'
import { parseAvailableUnits } from './systemctl-list'
import { parseUnits } from './systemctl-show'
import { PickedUnitsStore } from './picked-units-store'

const SHOW_TIMEOUT_MS = 15_000
/** A restart waits for the unit's start job; systemd's default start timeout is 90 s. */
const ACTION_TIMEOUT_MS = 120_000

export interface UnitsService {
  /** The picked units' state; exposed for the benchmark and other services. */
  list(hostId: string): Promise<Unit[]>
  /** The service units the host has (loaded, or installed and not loaded), by id. */
  available(hostId: string): Promise<AvailableUnit[]>
  /** The units picked for a host, and setting them. */
  picked: PickedUnitsStore
  /** Acts on a unit and returns its state after. NOT_FOUND for a unit systemd does not know. */
  act(hostId: string, unit: string, action: UnitAction): Promise<Unit>
}

export function createUnitsService(deps: OpsDeps): UnitsService {
  const picked = new PickedUnitsStore(deps.dataDir, deps.log)
  // Read-only, so it may share an exec with a hosts.facts for the same host asked for in the same tick.
  const batch = execBatchFor(deps.ssh)

  async function show(hostId: string, names: readonly string[]): Promise<Unit[]> {
    if (names.length === 0) return []
    const r = await batch.run(hostId, showCommand(names), { timeoutMs: SHOW_TIMEOUT_MS })
    if (r.code !== 0) throw showFailure(hostId, r)
    try {
      return parseUnits(names, r.stdout)
    } catch (err) {
      throw new DropdeckError('UPSTREAM', `systemctl show on ${hostId} printed something Dropdeck cannot read (${(err as Error).message}).`, { retryable: true })
    }
  }

  async function act(hostId: string, unit: string, action: UnitAction): Promise<Unit> {
    const [before] = await show(hostId, [unit])
    // Asking sudo to act on a unit systemd does not know only yields a less clear message.
    if (!before.exists) throw new DropdeckError('NOT_FOUND', `${hostId} has no unit ${unit}; check the name (systemctl list-units) or remove it from the picked units.`)
    const r = await deps.ssh.exec(hostId, actionCommand(action, unit), { timeoutMs: ACTION_TIMEOUT_MS })
    if (r.code !== 0) {
      const host = await deps.ssh.hosts.get(hostId)
      throw actionFailure(hostId, host.user, action, unit, r)
    }
    const [after] = await show(hostId, [unit])
    return after
  }

  const list = async (hostId: string) => show(hostId, await picked.get(hostId))

  async function available(hostId: string): Promise<AvailableUnit[]> {
    const r = await batch.run(hostId, listCommand(), { timeoutMs: SHOW_TIMEOUT_MS })
    if (r.code !== 0) throw showFailure(hostId, r, 'systemctl list-units')
    return parseAvailableUnits(r.stdout)
  }

  return { list, available, picked, act }
}
