// Calls through the real router from tests that drive the real services: `call` returns a method's
// result or throws its error as a DropdeckError (code, message, data and retryable as the envelope
// said); `failure` returns the error of a call that must fail.
import type { Services } from '../../src/main/app/services'
import type { CallContext } from '../../src/main/rpc/context'
import type { MethodName, Params, Result } from '../../src/shared/contract'
import { DropdeckError } from '../../src/shared/errors'

export interface RouterCalls {
  call<M extends MethodName>(method: M, params: Params<M>, context?: CallContext): Promise<Result<M>>
  failure<M extends MethodName>(method: M, params: Params<M>, context?: CallContext): Promise<DropdeckError>
}

/** `getServices` is read on each call, so the services may be created later (in beforeAll). */
export function routerCalls(getServices: () => Services, ctx: CallContext): RouterCalls {
  async function call<M extends MethodName>(method: M, params: Params<M>, context: CallContext = ctx): Promise<Result<M>> {
    const envelope = await getServices().router.call(method, params, context)
    if (!envelope.ok) throw new DropdeckError(envelope.error.code, envelope.error.message, { data: envelope.error.data, retryable: envelope.error.retryable })
    return envelope.result as Result<M>
  }
  async function failure<M extends MethodName>(method: M, params: Params<M>, context: CallContext = ctx): Promise<DropdeckError> {
    try {
      await call(method, params, context)
    } catch (err) {
      return err as DropdeckError
    }
    throw new Error(`${method} succeeded; a failure was expected`)
  }
  return { call, failure }
}
