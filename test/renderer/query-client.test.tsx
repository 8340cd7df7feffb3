// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { DropdeckError } from '../../src/shared/errors'
import { createQueryClient } from '../../src/renderer/src/rpc/query-client'
import { fieldErrors } from '../../src/renderer/src/rpc/errors'

describe('query client defaults', () => {
  const retry = createQueryClient().getDefaultOptions().queries!.retry as (failures: number, error: unknown) => boolean

  it('retries only errors the service marked retryable, a few times', () => {
    expect(retry(0, new DropdeckError('UPSTREAM', 'dropped', { retryable: true }))).toBe(true)
    expect(retry(3, new DropdeckError('UPSTREAM', 'dropped', { retryable: true }))).toBe(false)
    expect(retry(0, new DropdeckError('BAD_REQUEST', 'no'))).toBe(false)
    expect(retry(0, new Error('plain'))).toBe(false)
  })

  it('maps BAD_REQUEST issues to fields', () => {
    const error = new DropdeckError('BAD_REQUEST', 'Invalid params', { data: { issues: [{ path: 'managedTag', message: 'letters only' }] } })
    expect(fieldErrors(error)).toEqual({ managedTag: 'Letters only' })
    expect(fieldErrors(new DropdeckError('TIMEOUT', 'took too long'))).toEqual({ '': 'took too long' })
  })
})
