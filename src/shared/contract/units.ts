/**
 * The contract for systemd units on SSH hosts (the units the operator picked per host): state from
 * `systemctl show`, and restart/reload/stop through `sudo -n`. Assembled into ../contract.ts;
 * documented in docs/api.md ("Systemd unit methods").
 */
export const unitsMethods = {} as const
