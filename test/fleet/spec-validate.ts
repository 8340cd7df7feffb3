// Check an HTTP response against the provider's own OpenAPI description in
// ../shared/specs/*.trimmed.refs.json: find the operation (a concrete path is matched to the
// spec's path template), pick the documented response for the status (exact, then 4XX, then
// default), and validate the body with Ajv, resolving the spec's internal $refs in place.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import * as ajvFormats from 'ajv-formats'
import { sharedDir } from './paths'

type Json = Record<string, unknown>

export interface ValidationResult {
  ok: boolean
  errors: string[]
  operationId?: string
  pathTemplate?: string
  /** Which documented response was used: "200", "4XX", "default"... */
  responseKey?: string
  /** Set when the known spec gaps made us validate against less than the spec says. */
  note?: string
}

export type HeaderBag = Headers | Record<string, string | string[] | undefined>

interface Operation {
  method: string
  template: string
  regex: RegExp
  params: number
  op: Json
}

interface LoadedSpec {
  doc: Json
  basePath: string
  operations: Operation[]
}

// ajv-formats is CommonJS with a default export; accept either shape of the interop
type FormatsPlugin = (ajv: Ajv) => Ajv
const addFormats: FormatsPlugin = ((ajvFormats as unknown as { default?: FormatsPlugin }).default ?? (ajvFormats as unknown as FormatsPlugin)) as FormatsPlugin

let ajv: Ajv | undefined
const specs = new Map<string, LoadedSpec>()
const compiled = new Map<string, ValidateFunction>()

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1')
}

function resolvePointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only internal $refs are supported: ${ref}`)
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc)
}

/** Load every *.trimmed.refs.json once; the provider is the file name's first word. */
function load(): Ajv {
  if (ajv) return ajv
  // strict:false: the specs use OpenAPI keywords (example, nullable, discriminator...);
  // unicodeRegExp:false: DigitalOcean's tag-name pattern is not a valid unicode-mode RegExp
  const instance = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true, validateSchema: false, logger: false })
  addFormats(instance)
  for (const f of ['float', 'double', 'int32', 'int64']) instance.addFormat(f, true)
  const dir = path.join(sharedDir(), 'specs')
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.trimmed.refs.json'))) {
    const provider = file.split('.')[0]
    const doc = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Json
    instance.addSchema(doc, provider)
    const server = ((doc.servers as { url: string }[] | undefined) ?? [])[0]?.url
    const basePath = server ? new URL(server).pathname.replace(/\/$/, '') : ''
    const operations: Operation[] = []
    for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')
      for (const [method, op] of Object.entries(item)) {
        if (!op || typeof op !== 'object' || !('responses' in op)) continue
        operations.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${source}/?$`), params: (template.match(/\{/g) ?? []).length, op: op as Json })
      }
    }
    specs.set(provider, { doc, basePath, operations })
  }
  if (!specs.size) throw new Error(`no *.trimmed.refs.json in ${dir} (set DROPDECK_SHARED_DIR?)`)
  ajv = instance
  return instance
}

function spec(provider: string): LoadedSpec {
  load()
  const s = specs.get(provider)
  if (!s) throw new Error(`no spec for provider "${provider}" (have: ${[...specs.keys()].join(', ')})`)
  return s
}

export function providers(): string[] {
  load()
  return [...specs.keys()]
}

/** The operation for a method and a path template or concrete path (or full URL). */
export function findOperation(provider: string, method: string, pathOrUrl: string): Operation | undefined {
  const s = spec(provider)
  let p = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl).pathname : pathOrUrl.split('?')[0]
  if (s.basePath && p.startsWith(s.basePath + '/')) p = p.slice(s.basePath.length)
  const m = method.toUpperCase()
  const exact = s.operations.find((o) => o.method === m && o.template === p)
  if (exact) return exact
  // the most specific template wins: fewest parameters
  return s.operations.filter((o) => o.method === m && o.regex.test(p)).sort((a, b) => a.params - b.params)[0]
}

function validatorFor(provider: string, pointer: string): ValidateFunction {
  const key = `${provider}${pointer}`
  let v = compiled.get(key)
  if (!v) {
    v = load().compile({ $ref: key })
    compiled.set(key, v)
  }
  return v
}

function formatErrors(v: ValidateFunction): string[] {
  return (v.errors ?? []).slice(0, 25).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`)
}

/** Validate data against any schema in a provider's spec, e.g. '#/components/schemas/droplet'. */
export function validateSchema(provider: string, pointer: string, data: unknown): { ok: boolean; errors: string[] } {
  const v = validatorFor(provider, pointer)
  const ok = v(data) as boolean
  return { ok, errors: ok ? [] : formatErrors(v) }
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const bag = headers as Record<string, string | string[] | undefined>
  const hit = Object.keys(bag).find((k) => k.toLowerCase() === name.toLowerCase())
  const v = hit ? bag[hit] : undefined
  return Array.isArray(v) ? v[0] : v
}

/**
 * Validate a response body (and, if given, the headers the spec declares for it) against the
 * provider's spec. `pathOrUrl` may be the spec's template (/v2/droplets/{droplet_id}), a concrete
 * path (/v2/droplets/42?x=1, /client/v4/zones) or a full URL.
 */
export function validateResponse(provider: string, method: string, pathOrUrl: string, status: number, body: unknown, opts: { headers?: HeaderBag } = {}): ValidationResult {
  const s = spec(provider)
  const op = findOperation(provider, method, pathOrUrl)
  if (!op) return { ok: false, errors: [`no ${method.toUpperCase()} operation matches ${pathOrUrl} in the ${provider} spec`] }
  const responses = op.op.responses as Record<string, Json>
  const digit = String(status)[0]
  const responseKey = [String(status), `${digit}XX`, `${digit}xx`, 'default'].find((k) => k in responses)
  const base = { operationId: op.op.operationId as string, pathTemplate: op.template, responseKey }
  if (!responseKey) return { ok: false, errors: [`status ${status} is not documented for ${op.op.operationId}`], ...base }

  // follow a $ref to components/responses, keeping the pointer so Ajv can compile in place
  let pointer = `#/paths/${escapePointer(op.template)}/${op.method.toLowerCase()}/responses/${escapePointer(responseKey)}`
  let response = responses[responseKey]
  while (typeof response.$ref === 'string') {
    pointer = response.$ref
    response = resolvePointer(s.doc, pointer) as Json
  }
  const errors: string[] = []
  let note: string | undefined

  for (const [name, h] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
    if (!opts.headers) break
    const def = (typeof h.$ref === 'string' ? resolvePointer(s.doc, h.$ref) : h) as Json
    const value = header(opts.headers, name)
    if (value === undefined) errors.push(`header ${name} is missing`)
    else if ((def.schema as Json | undefined)?.type === 'integer' && !/^-?\d+$/.test(value)) errors.push(`header ${name} is not an integer: ${value}`)
  }

  const content = (response.content ?? {}) as Record<string, Json>
  const mediaKey = Object.keys(content).find((k) => k.startsWith('application/json'))
  if (!mediaKey || !content[mediaKey].schema) {
    if (body !== undefined && body !== null && body !== '') errors.push(`no body is documented for ${status}, got one`)
    return { ok: errors.length === 0, errors, ...base }
  }
  let schemaPointer = `${pointer}/content/${escapePointer(mediaKey)}/schema`
  const schema = content[mediaKey].schema as Json
  // Cloudflare's DNS 4xx schemas are allOf(success envelope, failure envelope), which nothing
  // satisfies (README "known gaps"); the failure half is the envelope Cloudflare really sends
  const failure = Array.isArray(schema.allOf) ? (schema.allOf as Json[]).find((x) => typeof x.$ref === 'string' && x.$ref.endsWith('api-response-common-failure')) : undefined
  if (failure && status >= 400) {
    schemaPointer = failure.$ref as string
    note = `validated against ${schemaPointer} only: the spec's 4xx schema is unsatisfiable`
  }
  const v = validatorFor(provider, schemaPointer)
  if (!(v(body) as boolean)) errors.push(...formatErrors(v))
  return { ok: errors.length === 0, errors, note, ...base }
}

/** Every operation in a provider's spec (for coverage checks). */
export function operations(provider: string): { method: string; path: string; operationId: string }[] {
  return spec(provider).operations.map((o) => ({ method: o.method, path: o.template, operationId: o.op.operationId as string }))
}

/**
 * Validate a request body a client built against the operation's documented requestBody. Cloudflare's
 * request schemas reuse the response schema (they require `id`, README "known gaps"): validate
 * DigitalOcean requests only. An operation without a documented body accepts no body.
 */
export function validateRequest(provider: string, method: string, pathOrUrl: string, body: unknown): ValidationResult {
  const s = spec(provider)
  const op = findOperation(provider, method, pathOrUrl)
  if (!op) return { ok: false, errors: [`no ${method.toUpperCase()} operation matches ${pathOrUrl} in the ${provider} spec`] }
  const base = { operationId: op.op.operationId as string, pathTemplate: op.template }
  let pointer = `#/paths/${escapePointer(op.template)}/${op.method.toLowerCase()}/requestBody`
  let requestBody = op.op.requestBody as Json | undefined
  if (!requestBody) return body === undefined ? { ok: true, errors: [], ...base } : { ok: false, errors: [`${base.operationId} documents no request body, got one`], ...base }
  while (typeof requestBody.$ref === 'string') {
    pointer = requestBody.$ref
    requestBody = resolvePointer(s.doc, pointer) as Json
  }
  const content = (requestBody.content ?? {}) as Record<string, Json>
  const mediaKey = Object.keys(content).find((k) => k.startsWith('application/json'))
  if (!mediaKey || !content[mediaKey].schema) return { ok: false, errors: [`${base.operationId} documents no JSON request body`], ...base }
  if (body === undefined) return requestBody.required ? { ok: false, errors: [`${base.operationId} requires a body`], ...base } : { ok: true, errors: [], ...base }
  const v = validatorFor(provider, `${pointer}/content/${escapePointer(mediaKey)}/schema`)
  const ok = v(body) as boolean
  return { ok, errors: ok ? [] : formatErrors(v), ...base }
}
