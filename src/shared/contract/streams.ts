/**
 * The one stream pattern. Everything that flows (terminal output, log lines, container watches, and
 * next deploy progress and health checks) is a kind `x` with the same names:
 * - `x.open` → `{id, …}`: starts a stream owned by the calling client (window or socket), closed with it;
 * - `x.ack` `{id, …}`: the client has taken in what it was sent (flow control; kinds whose events are
 *   rare and small, such as container watches, have none);
 * - `x.close` `{id}` → `{closed: true}`: ends it (unknown ids are ignored: a stream may end first);
 * - events `x.data` and `x.state`, each `{id, …}` keyed by the stream's id, delivered to the owning
 *   client only. Events about shared state (`*.changed`) go to every client.
 * Pure types plus the list of kinds; docs/api.md "Streams" has the rest.
 */
import type { EventName, EventPayload, MethodName, Params, Result } from '../contract'

/** Every stream kind, by the prefix its methods and events share. */
export const streamKinds = ['terminals', 'logs', 'containers.watch', 'files.transfers', 'deploys'] as const
export type StreamKind = (typeof streamKinds)[number]

export type StreamOpen<K extends StreamKind> = `${K}.open` & MethodName
export type StreamClose<K extends StreamKind> = `${K}.close` & MethodName
/** `never` for a kind without acknowledgements. */
export type StreamAck<K extends StreamKind> = `${K}.ack` & MethodName
export type StreamData<K extends StreamKind> = `${K}.data` & EventName
export type StreamState<K extends StreamKind> = `${K}.state` & EventName

export type StreamOpenParams<K extends StreamKind> = Params<StreamOpen<K>>
export type StreamOpenResult<K extends StreamKind> = Result<StreamOpen<K>>
/** What `x.ack` takes besides the id. */
export type StreamAckParams<K extends StreamKind> = Omit<Params<StreamAck<K>>, 'id'>
export type StreamDataPayload<K extends StreamKind> = EventPayload<StreamData<K>>
export type StreamStatePayload<K extends StreamKind> = EventPayload<StreamState<K>>
