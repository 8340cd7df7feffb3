/**
 * The contract for log streams: docker logs, journalctl and files followed over SSH, streamed as
 * events. Assembled into ../contract.ts; documented in docs/api.md ("Log methods").
 */
export const logsMethods = {} as const
export const logsEvents = {} as const
