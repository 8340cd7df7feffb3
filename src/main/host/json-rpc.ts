/**
 * JSON-RPC 2.0 framing for the headless host: parse one frame, and turn router envelopes and bus
 * events into JSON-RPC responses and notifications. Method names are exactly the contract's.
 */
import type { RpcEnvelope } from '../../shared/contract'
import type { RpcError } from '../../shared/errors'

export const PARSE_ERROR = -32700
export const INVALID_REQUEST = -32600
export const METHOD_NOT_FOUND = -32601
export const INVALID_PARAMS = -32602
export const INTERNAL_ERROR = -32603
/** Implementation-defined server errors (-32000..-32099): a service failed; see error.data.code. */
export const SERVER_ERROR = -32000

export type JsonRpcId = string | number | null

export interface JsonRpcRequest {
  id?: JsonRpcId
  method: string
  params?: unknown
}

export type ParsedFrame =
  | { kind: 'requests'; batch: boolean; items: Array<JsonRpcRequest | { invalid: JsonRpcId }> }
  | { kind: 'parse-error' }
  | { kind: 'batch-too-long'; length: number }

/** Longer batches are refused whole: one frame must not start an unbounded amount of work. */
export const MAX_BATCH = 100

export function parseFrame(text: string, maxBatch = MAX_BATCH): ParsedFrame {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { kind: 'parse-error' }
  }
  const batch = Array.isArray(value)
  const list = batch ? (value as unknown[]) : [value]
  if (batch && list.length === 0) return { kind: 'requests', batch: false, items: [{ invalid: null }] }
  if (list.length > maxBatch) return { kind: 'batch-too-long', length: list.length }
  return { kind: 'requests', batch, items: list.map(toRequest) }
}

function toRequest(value: unknown): JsonRpcRequest | { invalid: JsonRpcId } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { invalid: null }
  const frame = value as Record<string, unknown>
  const id = validId(frame.id) ? frame.id : null
  if (frame.jsonrpc !== '2.0' || typeof frame.method !== 'string' || ('id' in frame && !validId(frame.id))) return { invalid: id }
  // By-position params (an array) fail the contract's object schemas and come back as -32602.
  return { id: 'id' in frame ? id : undefined, method: frame.method, params: frame.params }
}

function validId(id: unknown): id is JsonRpcId {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

export function errorResponse(id: JsonRpcId, code: number, error: RpcError): object {
  return { jsonrpc: '2.0', id, error: { code, message: error.message, data: { code: error.code, retryable: error.retryable, ...(error.data === undefined ? {} : { details: error.data }) } } }
}

export function envelopeToResponse(id: JsonRpcId, envelope: RpcEnvelope): object {
  if (envelope.ok) return { jsonrpc: '2.0', id, result: envelope.result }
  const { error } = envelope
  const code = error.code === 'METHOD_NOT_FOUND' ? METHOD_NOT_FOUND : error.code === 'BAD_REQUEST' ? INVALID_PARAMS : error.code === 'INTERNAL' ? INTERNAL_ERROR : SERVER_ERROR
  return errorResponse(id, code, error)
}

export function notification(method: string, params: unknown): object {
  return { jsonrpc: '2.0', method, params }
}
