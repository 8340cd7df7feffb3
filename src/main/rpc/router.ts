/**
 * The router: knows the contract and the services, not the transport. Every call is validated
 * against the contract, and every failure comes back as one `RpcError`; nothing thrown by a
 * service or sent by a client can take the process down.
 */
import { ZodError } from 'zod'
import { isMethodName, methods, type MethodName, type ParsedParams, type Result, type RpcEnvelope } from '../../shared/contract'
import { DropdeckError, type RpcError } from '../../shared/errors'
import type { CallContext } from './context'

export type Handler<M extends MethodName> = (params: ParsedParams<M>, ctx: CallContext) => Promise<Result<M>> | Result<M>
export type Handlers = { [M in MethodName]: Handler<M> }
/** The handlers of one contract file's methods, e.g. `HandlersFor<typeof tunnelsMethods>`. */
export type HandlersFor<T> = Pick<Handlers, keyof T & MethodName>

export interface Router {
  call(method: unknown, params: unknown, ctx: CallContext): Promise<RpcEnvelope>
}

export function createRouter(handlers: Handlers, log: (line: string) => void = () => {}): Router {
  return {
    async call(method, params, ctx) {
      if (!isMethodName(method)) {
        return fail(new DropdeckError('METHOD_NOT_FOUND', `Unknown method ${JSON.stringify(String(method)).slice(0, 120)}.`))
      }
      const spec = methods[method]
      // JSON-RPC allows params to be omitted; the contract's empty objects accept that.
      const parsed = spec.params.safeParse(params ?? {})
      if (!parsed.success) {
        return fail(new DropdeckError('BAD_REQUEST', `Invalid params for ${method}: ${describeIssues(parsed.error)}`, { data: { issues: parsed.error.issues.map(issueSummary) } }))
      }
      try {
        const handler = handlers[method] as Handler<typeof method>
        const result = await handler(parsed.data as never, ctx)
        // A service that drifts from the contract is our bug; catch it here, not in the UI.
        const checked = spec.result.safeParse(result)
        if (!checked.success) {
          log(`router: ${method} returned a result outside the contract: ${describeIssues(checked.error)}`)
          return fail(new DropdeckError('INTERNAL', `${method} produced an invalid result; this is a Dropdeck bug.`))
        }
        return { ok: true, result: checked.data }
      } catch (err) {
        const error = toRpcError(err)
        if (error.code === 'INTERNAL') log(`router: ${method} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`)
        return { ok: false, error }
      }
    }
  }
}

function fail(error: DropdeckError): RpcEnvelope {
  return { ok: false, error: error.toJSON() }
}

/** Maps anything thrown into the one error shape. Unknown errors keep their message but are INTERNAL. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof DropdeckError) return err.toJSON()
  if (err instanceof ZodError) return { code: 'BAD_REQUEST', message: describeIssues(err), retryable: false, data: { issues: err.issues.map(issueSummary) } }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message: message || 'Unexpected error.', retryable: false }
}

function issueSummary(issue: ZodError['issues'][number]): { path: string; message: string } {
  return { path: issue.path.map(String).join('.'), message: issue.message }
}

function describeIssues(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const { path, message } = issueSummary(issue)
      return path ? `${path}: ${message}` : message
    })
    .join('; ')
}
