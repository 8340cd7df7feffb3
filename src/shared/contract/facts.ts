/**
 * The contract for host facts: CPU, memory, swap, load, disk per mount, uptime and OS, read from
 * /proc and df over the host's pooled SSH connection. Assembled into ../contract.ts; documented in
 * docs/api.md ("Host facts").
 */
export const factsMethods = {} as const
