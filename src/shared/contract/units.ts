/**
 * The contract for systemd units on SSH hosts (the units the operator picked per host): state from
 * `systemctl show`, and start/stop/restart/reload through `sudo -n`. Assembled into ../contract.ts;
 * documented in docs/api.md ("Systemd unit methods").
 */
import { z } from 'zod'
import { HostIdSchema } from './ssh'

/**
 * A unit name as systemd spells it: letters, digits and `:-_.\@`, at most 256 characters, never
 * starting with `-` (so it can never be read as an option). A name without a type suffix means `.service`.
 */
export const UnitNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9:_.\\@][A-Za-z0-9:_.\\@-]*$/, 'a systemd unit name such as nginx or e2i-api.service')

export const UnitActionSchema = z.enum(['start', 'stop', 'restart', 'reload'])
export type UnitAction = z.infer<typeof UnitActionSchema>

export const UnitSchema = z.object({
  /** As picked (e.g. `nginx`), which is what the operator recognises. */
  name: z.string(),
  /** systemd's own id, e.g. `nginx.service`. */
  id: z.string(),
  description: z.string(),
  /** loaded, not-found, masked, error, bad-setting. */
  loadState: z.string(),
  /** active, reloading, inactive, failed, activating, deactivating. */
  activeState: z.string(),
  /** running, exited, dead, failed, auto-restart, ... */
  subState: z.string(),
  /** When the unit last became active (ISO 8601); null when it never did or is not active. */
  since: z.string().nullable(),
  mainPid: z.number().int().nullable(),
  /** The unit's cgroup memory; null without memory accounting or when stopped. */
  memoryBytes: z.number().int().nullable(),
  /** false when systemd knows no such unit (LoadState=not-found). */
  exists: z.boolean()
})
export type Unit = z.infer<typeof UnitSchema>

/**
 * A service unit the host has (units.available): loaded now (`systemctl list-units --all`), or an
 * installed unit file systemd has not loaded (enabled or disabled, not running).
 */
export const AvailableUnitSchema = z.object({
  /** systemd's id, e.g. `nginx.service`; what a pick may name. */
  id: z.string(),
  description: z.string(),
  /** loaded, masked, error, bad-setting; `not-loaded` for a unit file systemd has not loaded. */
  loadState: z.string(),
  /** active, reloading, inactive, failed, activating, deactivating. */
  activeState: z.string(),
  /** running, exited, dead, failed, auto-restart, ... */
  subState: z.string(),
  /** The unit file's state (enabled, disabled, static, ...); null when systemd listed no unit file. */
  unitFileState: z.string().nullable()
})
export type AvailableUnit = z.infer<typeof AvailableUnitSchema>

/** At most this many units from units.available (a droplet has one to three hundred). */
export const MAX_AVAILABLE_UNITS = 2000

export const unitsMethods = {
  /** The host's picked units with their state, in the picked order. */
  'units.list': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.array(UnitSchema) },
  /** The service units the host has, with their state, by id (see AvailableUnitSchema). */
  'units.available': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.array(AvailableUnitSchema).max(MAX_AVAILABLE_UNITS) },
  /** The picked unit names for a host (none until the operator picks some). */
  'units.picked': { params: z.object({ hostId: HostIdSchema }).strict(), result: z.object({ units: z.array(z.string()) }) },
  /** Replaces the host's picked units (duplicates dropped, order kept). */
  'units.pick': {
    params: z.object({ hostId: HostIdSchema, units: z.array(UnitNameSchema).max(50) }).strict(),
    result: z.object({ units: z.array(z.string()) })
  },
  /**
   * Runs `sudo -n systemctl <action> <unit>` on the host; returns the unit's state afterwards.
   * NOT_FOUND for a unit systemd does not know; UNAUTHORIZED when sudo wants a password.
   */
  'units.action': {
    params: z.object({ hostId: HostIdSchema, unit: UnitNameSchema, action: UnitActionSchema }).strict(),
    result: UnitSchema
  }
} as const
