/**
 * Provider HTTP for the headless host (Node): undici's fetch, routed by a PAC file when one is configured, else
 * through `HTTPS_PROXY` / `HTTP_PROXY` unless `NO_PROXY` says otherwise, trusting Node's roots, the OS store
 * and an extra CA bundle (trust-store.ts). Electron uses Chromium's stack instead (net-fetch.electron.ts), which
 * reads the system proxy and certificate store.
 *
 * Failures that operators behind corporate networks hit (a proxy asking for credentials, a proxy that is
 * down, TLS inspection by an unknown CA) become DropdeckErrors that name the proxy and the setting to fix.
 */
import { STATUS_CODES } from 'node:http'
import { Agent, ProxyAgent, fetch as undiciFetch, type Dispatcher, type RequestInit as UndiciRequestInit } from 'undici'
import { DropdeckError } from '../../../shared/errors'
import { parseNoProxy, shouldBypassProxy } from './no-proxy'
import { formatHop, type ProxyHop } from '../../network/proxy-answer'
import type { ProxyResolver, ResolvedProxies } from '../../network/proxy-resolver'
import { createTrustStore, type TrustStore } from '../../network/trust-store'
import { socksDispatcher, type SocksHop } from './socks-dispatcher'

export interface NodeFetchOptions {
  /** An extra PEM bundle to trust, added to the usual roots; defaults to env `DROPDECK_CA_FILE`. */
  caFile?: string
  /** A PAC file's answer, when one is configured; it then decides instead of HTTPS_PROXY / NO_PROXY. */
  proxyResolver?: ProxyResolver
}

/** A fetch, plus closing the connections it keeps alive (agents are cached for the fetch's lifetime). */
export type NodeFetch = typeof fetch & { close(): Promise<void> }

interface ProxyConfig {
  /** Which variable it came from, as set (`HTTPS_PROXY` or `https_proxy`), to name in errors. */
  variable: string
  raw: string
  /** Set when a PAC file chose this proxy rather than a variable: "the PAC file https://...". */
  chosenBy?: string
}

interface ParsedProxy extends ProxyConfig {
  uri: string
  token?: string
  hasCredentials: boolean
  /** host:port actually dialled, for messages. */
  address: string
  display: string
}

export function createNodeFetch(env: NodeJS.ProcessEnv, options: NodeFetchOptions = {}): NodeFetch {
  const settings = readProxyEnv(env)
  const caFile = options.caFile ?? nonEmpty(env.DROPDECK_CA_FILE)
  const agents = new Map<string, Dispatcher>()
  let trust: TrustStore | undefined
  let trustError: DropdeckError | undefined

  // Read lazily, once: a bad CA file should fail the requests that need it, not the host's startup.
  const trustedCa = (): string[] => {
    if (trustError) throw trustError
    try {
      trust ??= createTrustStore(env, caFile)
    } catch (err) {
      trustError = err instanceof DropdeckError ? err : new DropdeckError('BAD_REQUEST', `The CA file ${caFile} (DROPDECK_CA_FILE) cannot be read (${errorCode(err) ?? String(err)}): point it at a PEM bundle.`)
      throw trustError
    }
    return trust.certificates
  }

  const dispatcherFor = (proxy: ParsedProxy | undefined): Dispatcher => {
    const key = proxy ? proxy.uri + (proxy.token ?? '') : 'direct'
    let agent = agents.get(key)
    if (!agent) {
      const tlsOptions = { ca: trustedCa() }
      agent = proxy
        ? new ProxyAgent({
            uri: proxy.uri,
            ...(proxy.token ? { token: proxy.token } : {}),
            proxyTls: tlsOptions,
            requestTls: tlsOptions,
            // Plain-http URLs go to an http proxy in absolute form (GET http://host/path), as proxies expect;
            // https is always tunnelled with CONNECT.
            proxyTunnel: false
          })
        : new Agent({ connect: tlsOptions })
      agents.set(key, agent)
    }
    return agent
  }

  const fetchVia = async (url: string, target: URL, requestInit: UndiciRequestInit, proxy: ParsedProxy | undefined, via?: Dispatcher): Promise<Response> => {
    const dispatcher = via ?? dispatcherFor(proxy)
    try {
      // undici's Response is the WHATWG Response in everything but the class identity.
      return (await undiciFetch(url, { ...requestInit, dispatcher })) as unknown as Response
    } catch (err) {
      throw explainFailure(err, target, proxy, caFile)
    }
  }

  const nodeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const { url, init: requestInit } = normalizeInput(input, init)
    const target = new URL(url)
    const resolved = await options.proxyResolver?.resolve(target)
    if (resolved) return fetchByHops(url, target, requestInit, resolved)
    const proxyConfig = target.protocol === 'https:' ? settings.https : target.protocol === 'http:' ? settings.http : undefined
    const proxy = proxyConfig && !shouldBypassProxy(target, settings.noProxy) ? parseProxy(proxyConfig) : undefined
    return fetchVia(url, target, requestInit, proxy)
  }

  /** The PAC answer's hops in order; the next one only when this one's proxy cannot be reached, as browsers do. */
  const fetchByHops = async (url: string, target: URL, requestInit: UndiciRequestInit, resolved: ResolvedProxies): Promise<Response> => {
    const hops = resolved.hops
    for (const [i, hop] of hops.entries()) {
      try {
        if (hop.kind === 'socks4' || hop.kind === 'socks5') return await fetchVia(url, target, requestInit, undefined, await socksFor({ kind: hop.kind, host: hop.host, port: hop.port }))
        const proxy = hop.kind === 'direct' ? undefined : parseProxy(await hopConfig(hop, resolved.from))
        return await fetchVia(url, target, requestInit, proxy)
      } catch (err) {
        const reason = ((err as DropdeckError).data as { reason?: string } | undefined)?.reason
        if (reason !== 'PROXY_UNREACHABLE' || i === hops.length - 1) throw err
      }
    }
    throw new Error('unreachable')
  }

  const socksFor = async (hop: SocksHop): Promise<Dispatcher> => {
    const credentials = await options.proxyResolver?.credentialsFor?.(hop)
    const key = `${hop.kind}://${credentials ? `${credentials.username}:${credentials.password}@` : ''}${hop.host}:${hop.port}`
    let agent = agents.get(key)
    if (!agent) agents.set(key, (agent = socksDispatcher(hop, credentials, trustedCa())))
    return agent
  }

  const hopConfig = async (hop: Exclude<ProxyHop, { kind: 'direct' }>, chosenBy: string): Promise<ProxyConfig> => {
    const credentials = await options.proxyResolver?.credentialsFor?.(hop)
    const userinfo = credentials ? `${encodeURIComponent(credentials.username)}:${encodeURIComponent(credentials.password)}@` : ''
    const host = hop.host.includes(':') ? `[${hop.host}]` : hop.host
    return { variable: formatHop(hop), raw: `${hop.kind === 'https' ? 'https' : 'http'}://${userinfo}${host}:${hop.port}`, chosenBy }
  }

  return Object.assign(nodeFetch as typeof fetch, {
    async close() {
      const all = [...agents.values()]
      agents.clear()
      await Promise.all(all.map((agent) => agent.close()))
    }
  })
}

/** The proxy HTTPS_PROXY / HTTP_PROXY give for a URL (NO_PROXY applied), for the connection test; none: direct. */
export function envProxyFor(env: NodeJS.ProcessEnv, target: URL): { variable: string; host: string; port: number; display: string; authorization?: string } | undefined {
  const settings = readProxyEnv(env)
  const config = target.protocol === 'https:' ? settings.https : target.protocol === 'http:' ? settings.http : undefined
  if (!config || shouldBypassProxy(target, settings.noProxy)) return undefined
  const proxy = parseProxy(config)
  const url = new URL(proxy.uri)
  return { variable: proxy.variable, host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), display: proxy.display, ...(proxy.token ? { authorization: proxy.token } : {}) }
}

export interface ProxyDescription {
  /** Proxy for https URLs, password masked; null when none. */
  https: string | null
  /** Proxy for http URLs, password masked; null when none. */
  http: string | null
  noProxy: string[]
  /** NO_PROXY entries that are ignored because they could not be read. */
  ignoredNoProxy: string[]
  caFile: string | null
  /** One line for logs and the UI. */
  summary: string
}

/** The proxy setup the headless host will use, safe to log: passwords masked. */
export function describeProxy(env: NodeJS.ProcessEnv, options: NodeFetchOptions = {}): ProxyDescription {
  const settings = readProxyEnv(env)
  const { rules, invalid } = parseNoProxy(settings.noProxy)
  const caFile = options.caFile ?? nonEmpty(env.DROPDECK_CA_FILE) ?? null
  const https = settings.https ? maskProxy(settings.https.raw) : null
  const http = settings.http ? maskProxy(settings.http.raw) : null
  const noProxy = rules.map((rule) => rule.text)
  const parts = [
    `https via ${https ?? 'direct'}`,
    `http via ${http ?? 'direct'}`,
    ...(noProxy.length ? [`NO_PROXY ${noProxy.join(', ')}`] : []),
    ...(invalid.length ? [`ignored NO_PROXY entries ${invalid.join(', ')}`] : []),
    ...(caFile ? [`extra CA ${caFile}`] : [])
  ]
  return { https, http, noProxy, ignoredNoProxy: invalid, caFile, summary: parts.join('; ') }
}

function readProxyEnv(env: NodeJS.ProcessEnv): { https?: ProxyConfig; http?: ProxyConfig; noProxy: string } {
  // Lower case first, as curl, wget and undici do.
  const pick = (...names: string[]): ProxyConfig | undefined => {
    for (const variable of names) {
      const raw = nonEmpty(env[variable])
      if (raw) return { variable, raw }
    }
    return undefined
  }
  return {
    // https URLs use HTTPS_PROXY only (curl's rule): an HTTP_PROXY alone does not capture TLS traffic.
    https: pick('https_proxy', 'HTTPS_PROXY'),
    http: pick('http_proxy', 'HTTP_PROXY'),
    noProxy: nonEmpty(env.no_proxy) ?? nonEmpty(env.NO_PROXY) ?? ''
  }
}

function parseProxy(config: ProxyConfig): ParsedProxy {
  // `proxy.corp:3128` without a scheme means http, as in curl.
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(config.raw) ? config.raw : `http://${config.raw}`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new DropdeckError('BAD_REQUEST', `${config.variable} is not a valid proxy URL (${maskProxy(config.raw)}): use http://host:port or http://user:password@host:port.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DropdeckError('BAD_REQUEST', `${config.variable} uses ${url.protocol.slice(0, -1)}, which Dropdeck does not support for provider APIs: use an http:// or https:// proxy.`)
  }
  const username = decodeURIComponent(url.username)
  const password = decodeURIComponent(url.password)
  const hasCredentials = username !== '' || password !== ''
  const address = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`
  url.username = ''
  url.password = ''
  return {
    ...config,
    uri: url.href,
    ...(hasCredentials ? { token: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } : {}),
    hasCredentials,
    address,
    display: maskProxy(config.raw)
  }
}

function maskProxy(raw: string): string {
  // Masked by text, so that even a proxy URL that does not parse never shows its password.
  return raw.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?[^:@/]*):[^@/]*@/i, '$1:****@')
}

/** undici's fetch needs its own Request class; a global one is taken apart into URL + init. */
function normalizeInput(input: string | URL | Request, init: RequestInit | undefined): { url: string; init: UndiciRequestInit } {
  if (typeof input === 'string') return { url: input, init: (init ?? {}) as UndiciRequestInit }
  if (input instanceof URL) return { url: input.href, init: (init ?? {}) as UndiciRequestInit }
  const fromRequest = {
    method: input.method,
    headers: input.headers,
    body: input.body,
    signal: input.signal,
    redirect: input.redirect,
    ...(input.body ? { duplex: 'half' } : {})
  }
  return { url: input.url, init: { ...fromRequest, ...init } as UndiciRequestInit }
}

const untrustedCertificateCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE'
])

// Before a CONNECT tunnel is up, these can only come from dialling the proxy itself.
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

function explainFailure(err: unknown, target: URL, proxy: ParsedProxy | undefined, caFile: string | undefined): unknown {
  const chain = causeChain(err)
  // Already explained where it happened (a SOCKS proxy's refusal, in socks-dispatcher.ts).
  const explained = chain.find((link) => link instanceof DropdeckError)
  if (explained) return explained
  // The caller's own abort stays an AbortError, so callers can tell "cancelled" from "failed".
  if (chain[0] instanceof Error && chain[0].name === 'AbortError') return err
  const wrap = (message: string, retryable: boolean, reason: string) => {
    const error = new DropdeckError('UPSTREAM', `Could not reach ${target.host}: ${message}`, {
      retryable,
      data: { reason, host: target.host, ...(proxy ? { proxy: proxy.display } : {}) }
    })
    error.cause = err
    return error
  }

  if (proxy) {
    const status = proxyRefusal(chain)
    if (status !== undefined) {
      const refused = `the proxy at ${proxy.address} refused the connection (${status} ${STATUS_CODES[status] ?? 'Unknown'})`
      if (status === 407) {
        const fix = proxy.chosenBy
          ? `${proxy.hasCredentials ? 'the stored credentials were refused' : 'it wants credentials'}: store its user and password under Settings, Network (proxy ${proxy.address})`
          : proxy.hasCredentials
            ? `check ${proxy.variable} credentials`
            : `it wants credentials: set ${proxy.variable} to http://user:password@${proxy.address}`
        return wrap(`${refused}: ${fix}.`, false, 'PROXY_AUTH')
      }
      const otherwise = proxy.chosenBy ? `${proxy.chosenBy} sends it there` : 'or add it to NO_PROXY if it is reachable directly'
      return wrap(`${refused}: the proxy does not allow ${target.host}; ask your network team, ${otherwise}.`, false, 'PROXY_REFUSED')
    }
    const code = chain.map(errorCode).find((c) => c !== undefined && unreachableCodes.has(c))
    if (code) {
      // A name that does not exist will not exist a second later; a refused or timed-out dial may be a proxy restarting.
      const check = proxy.chosenBy ? `${proxy.chosenBy} chose it (${proxy.variable}); check that file` : `check ${proxy.variable}`
      return wrap(`the proxy at ${proxy.address} is unreachable (${code}): ${check}, and that the proxy is running and reachable from here.`, code !== 'ENOTFOUND', 'PROXY_UNREACHABLE')
    }
  }

  const codes = chain.map(errorCode).filter((c): c is string => c !== undefined)
  const tlsCode = codes.find((c) => untrustedCertificateCodes.has(c))
  if (tlsCode) {
    const fix = caFile
      ? `DROPDECK_CA_FILE (${caFile}) does not include the CA that issued it; add your organisation's CA certificate (PEM) to that file`
      : "if your network inspects TLS, install your organisation's CA certificate in this computer's certificate store, or set DROPDECK_CA_FILE to it (a PEM file)"
    return wrap(`its TLS certificate is not trusted (${tlsCode}): ${fix}.`, false, 'TLS_UNTRUSTED')
  }
  if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID')) {
    return wrap(`its TLS certificate is for another host name (ERR_TLS_CERT_ALTNAME_INVALID): check the API base URL${proxy ? ', or whether the proxy intercepts this host' : ''}.`, false, 'TLS_NAME')
  }
  if (codes.includes('CERT_HAS_EXPIRED')) {
    const by = proxy ? ' (or by the proxy, if it inspects TLS)' : ''
    return wrap(`its TLS certificate has expired (CERT_HAS_EXPIRED): if this computer's date is right, the certificate must be renewed by whoever runs ${target.host}${by}.`, false, 'TLS_EXPIRED')
  }
  if (codes.includes('CERT_NOT_YET_VALID')) {
    return wrap(`its TLS certificate is not valid yet (CERT_NOT_YET_VALID): check this computer's date and clock.`, false, 'TLS_EXPIRED')
  }
  const netCode = codes.find((c) => unreachableCodes.has(c))
  if (netCode) {
    return wrap(`the connection failed (${netCode}): check the network${settingsHint(target)}.`, true, 'NETWORK')
  }
  return err
}

function settingsHint(target: URL): string {
  return `; behind a corporate proxy, set ${target.protocol === 'http:' ? 'HTTP_PROXY' : 'HTTPS_PROXY'}`
}

/** The status a proxy answered a CONNECT (or an absolute-form request) with, when it said no. */
function proxyRefusal(chain: unknown[]): number | undefined {
  for (const link of chain) {
    if (!(link instanceof Error)) continue
    const tunnel = /Proxy response \((\d{3})\)/.exec(link.message)
    if (tunnel) return Number(tunnel[1])
    if (/Proxy Authentication Required \(407\)/.test(link.message)) return 407
  }
  return undefined
}

function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = []
  let link: unknown = err
  while (link !== undefined && link !== null && chain.length < 8 && !chain.includes(link)) {
    chain.push(link)
    link = link instanceof Error ? link.cause : undefined
  }
  return chain
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}
