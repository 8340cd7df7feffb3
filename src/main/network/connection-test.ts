/**
 * The connection test behind Settings, Network: one connection to a provider API or an SSH host along the
 * route Dropdeck would take, reported hop by hop for the operator and their IT department. The route
 * (DROPDECK_SSH_PROXY or a host's own proxy, a PAC file, the system settings, HTTPS_PROXY, or none), the
 * proxy's answer to CONNECT (with the authentication schemes it offers on a 407), TLS (subject, issuer,
 * expiry, and which trust store vouches for it), and the far end's first answer. It sends no provider
 * token: it tests the way there, not the account.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'
import type { X509Certificate } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { NetworkHop, NetworkTestResult } from '../../shared/contract/network'
import { DropdeckError } from '../../shared/errors'
import { envProxyFor } from '../providers/http/node-fetch'
import { parseProxyUrl } from '../ssh/proxy-route'
import { formatHop, type ProxyHop } from './proxy-answer'
import { sshProbeUrl, type ProxyResolver } from './proxy-resolver'
import { createTrustStore, type TrustStore } from './trust-store'

export type NetworkTarget = 'digitalocean' | 'cloudflare' | { hostId: string }

export interface ConnectionTestDeps {
  env: NodeJS.ProcessEnv
  proxyResolver: ProxyResolver
  /** The SSH host's address and explicit proxy settings (ProxyJump, its own proxy). */
  resolveHost(hostId: string): Promise<{ id: string; hostname: string; port: number; proxy?: string; proxyJump?: string }>
  /** Electron: provider calls go through Chromium, which this test approximates with the same route. */
  providerStack?: string
  timeoutMs?: number
}

const API = {
  digitalocean: { name: 'DigitalOcean API', variable: 'DROPDECK_DO_API', fallback: 'https://api.digitalocean.com', probe: '/v2/account' },
  cloudflare: { name: 'Cloudflare API', variable: 'DROPDECK_CF_API', fallback: 'https://api.cloudflare.com/client/v4', probe: '/user/tokens/verify' }
} as const

interface RouteStep {
  hop: ProxyHop
  /** Where the route came from, in words. */
  from: string
  authorization?: string
  /** Where credentials are set, for a 407. */
  credentialsAt: string
}

export async function testConnection(deps: ConnectionTestDeps, target: NetworkTarget): Promise<NetworkTestResult> {
  const timeoutMs = deps.timeoutMs ?? 10_000
  const hops: NetworkHop[] = []
  const add = (kind: NetworkHop['kind'], status: NetworkHop['status'], summary: string, details: string[] = []) => hops.push({ kind, status, summary, details })
  let label: string
  try {
    if (typeof target === 'string') {
      const api = API[target]
      const base = new URL(deps.env[api.variable]?.trim() || api.fallback)
      label = `${api.name} at ${base.origin}`
      await testApi(deps, base, api.probe, add, timeoutMs)
    } else {
      const host = await deps.resolveHost(target.hostId)
      label = `SSH host ${host.id} at ${host.hostname}:${host.port}`
      await testSsh(deps, host, add, timeoutMs)
    }
  } catch (err) {
    if (!(err instanceof DropdeckError)) throw err
    label ??= typeof target === 'string' ? API[target].name : `SSH host ${target.hostId}`
    add('route', 'failed', err.message)
  }
  const ok = hops.length > 0 && hops.every((h) => h.status === 'ok')
  const testedAt = new Date().toISOString()
  const text = [
    `Dropdeck connection test: ${label} (${ok ? 'reachable' : 'NOT reachable'}), ${testedAt}`,
    ...(typeof target === 'string' && deps.providerStack ? [`Provider calls in this app: ${deps.providerStack}`] : []),
    ...hops.flatMap((h) => [`[${h.status}] ${h.kind}: ${h.summary}`, ...h.details.map((d) => `    ${d}`)])
  ].join('\n')
  return { target: label, ok, hops, text, testedAt }
}

type Add = (kind: NetworkHop['kind'], status: NetworkHop['status'], summary: string, details?: string[]) => void

async function testApi(deps: ConnectionTestDeps, base: URL, probe: string, add: Add, timeoutMs: number): Promise<void> {
  const steps = await routeForUrl(deps, base)
  const socket = await throughRoute(steps, base.hostname, Number(base.port || (base.protocol === 'https:' ? 443 : 80)), add, timeoutMs)
  if (!socket) return
  let stream: Socket = socket
  if (base.protocol === 'https:') {
    const secured = await checkTls(socket, base.hostname, createTrustStore(deps.env, deps.env.DROPDECK_CA_FILE?.trim() || undefined), add, timeoutMs)
    if (!secured) return
    stream = secured
  }
  const path = base.pathname.replace(/\/+$/, '') + probe
  const head = await firstLine(stream, `GET ${path} HTTP/1.1\r\nHost: ${base.host}\r\nAccept: application/json\r\nConnection: close\r\n\r\n`, timeoutMs)
  stream.destroy()
  const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(head ?? '')?.[1])
  if (!status) {
    add('api', 'failed', head === undefined ? `No answer to GET ${path} within ${timeoutMs / 1000} s.` : `Not an HTTP answer to GET ${path}: "${head.slice(0, 80)}".`)
    return
  }
  const meaning = status === 401 ? ' (as expected: the test sends no token; the API is reachable)' : ''
  add('api', status < 500 ? 'ok' : 'failed', `GET ${path}: ${status} ${STATUS_CODES[status] ?? ''}`.trim() + meaning)
}

async function testSsh(deps: ConnectionTestDeps, host: { hostname: string; port: number; proxy?: string; proxyJump?: string }, add: Add, timeoutMs: number): Promise<void> {
  if (host.proxyJump) {
    add('route', 'skipped', `Through the jump host ${host.proxyJump} (ProxyJump): test that host, then connect to this one.`)
    return
  }
  let steps: RouteStep[]
  const explicit = host.proxy ?? deps.env.DROPDECK_SSH_PROXY?.trim()
  if (explicit) {
    const spec = parseProxyUrl(explicit)
    const from = host.proxy ? "the host's own proxy setting" : 'DROPDECK_SSH_PROXY'
    const hop: ProxyHop = { kind: spec.type, host: spec.host, port: spec.port }
    steps = [{ hop, from, credentialsAt: `the proxy URL in ${from}`, ...(spec.username !== undefined ? { authorization: basic(spec.username, spec.password ?? '') } : {}) }]
  } else {
    const resolved = await deps.proxyResolver.resolve(sshProbeUrl(host.hostname, host.port))
    steps = resolved ? await stepsFrom(deps, resolved.hops, resolved.from, resolved.answer) : [{ hop: { kind: 'direct' }, from: 'no proxy for SSH (no PAC file, no DROPDECK_SSH_PROXY)', credentialsAt: '' }]
  }
  const socket = await throughRoute(steps, host.hostname, host.port, add, timeoutMs)
  if (!socket) return
  const banner = await firstLine(socket, undefined, timeoutMs)
  socket.destroy()
  if (banner?.startsWith('SSH-')) add('ssh', 'ok', `The server answered ${banner.trim()}.`)
  else add('ssh', 'failed', banner === undefined ? `No SSH greeting within ${timeoutMs / 1000} s.` : `Not an SSH server: it said "${banner.slice(0, 80)}".`)
}

async function routeForUrl(deps: ConnectionTestDeps, url: URL): Promise<RouteStep[]> {
  const resolved = await deps.proxyResolver.resolve(url)
  if (resolved) return stepsFrom(deps, resolved.hops, resolved.from, resolved.answer)
  const proxy = envProxyFor(deps.env, url)
  if (!proxy) return [{ hop: { kind: 'direct' }, from: 'no proxy (no PAC file; HTTPS_PROXY unset or NO_PROXY names the host)', credentialsAt: '' }]
  return [{ hop: { kind: 'http', host: proxy.host, port: proxy.port }, from: `${proxy.variable}=${proxy.display}`, credentialsAt: proxy.variable, ...(proxy.authorization ? { authorization: proxy.authorization } : {}) }]
}

async function stepsFrom(deps: ConnectionTestDeps, hops: ProxyHop[], from: string, answer: string): Promise<RouteStep[]> {
  return Promise.all(
    hops.map(async (hop) => {
      const credentials = hop.kind === 'direct' ? undefined : await deps.proxyResolver.credentialsFor?.(hop)
      return { hop, from: `${from} ("${answer}")`, credentialsAt: 'the keychain (Settings, Network, proxy credentials)', ...(credentials ? { authorization: basic(credentials.username, credentials.password) } : {}) }
    })
  )
}

/** Each hop in order until one carries the connection; later ones only when a proxy cannot be reached. */
async function throughRoute(steps: RouteStep[], host: string, port: number, add: Add, timeoutMs: number): Promise<Socket | undefined> {
  for (const [i, step] of steps.entries()) {
    const { hop } = step
    const last = i === steps.length - 1
    add('route', 'ok', `${formatHop(hop)}, from ${step.from}`, hop.kind === 'direct' ? [] : [step.authorization ? `Credentials: Basic, from ${step.credentialsAt}` : 'Credentials: none'])
    if (hop.kind === 'direct') {
      const socket = await dial(host, port, timeoutMs).catch((err: Error) => err)
      if (socket instanceof Error) {
        add('api', 'failed', `${host}:${port} cannot be reached directly: ${socket.message}.`)
        return undefined
      }
      return socket
    }
    if (hop.kind !== 'http') {
      add('proxy', 'skipped', `The connection test speaks HTTP CONNECT only; ${formatHop(hop)} is not tested here.`)
      if (last) return undefined
      continue
    }
    const proxySocket = await dial(hop.host, hop.port, timeoutMs).catch((err: Error) => err)
    if (proxySocket instanceof Error) {
      add('proxy', 'failed', `The proxy ${hop.host}:${hop.port} cannot be reached: ${proxySocket.message}.`, last ? [] : ['Trying the next entry, as browsers do.'])
      if (last) return undefined
      continue
    }
    const target = `${host.includes(':') ? `[${host}]` : host}:${port}`
    const head = await readHead(proxySocket, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${step.authorization ? `Proxy-Authorization: ${step.authorization}\r\n` : ''}\r\n`, timeoutMs)
    const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(head?.text ?? '')?.[1])
    if (status === 200) {
      add('proxy', 'ok', `CONNECT ${target}: 200 (tunnel open)`, [`Proxy: ${hop.host}:${hop.port}`])
      if (head?.rest.length) proxySocket.unshift(head.rest)
      return proxySocket
    }
    proxySocket.destroy()
    if (!status) {
      add('proxy', 'failed', `The proxy ${hop.host}:${hop.port} gave no HTTP answer to CONNECT ${target}.`)
      return undefined
    }
    const schemes = [...(head?.text ?? '').matchAll(/^proxy-authenticate:\s*([A-Za-z0-9-]+)/gim)].map((m) => m[1])
    const details = [`Proxy: ${hop.host}:${hop.port}`]
    if (status === 407) {
      details.push(`It offers: ${schemes.length ? [...new Set(schemes)].join(', ') : 'no scheme named'}.`)
      if (schemes.length && !schemes.some((s) => /^basic$/i.test(s))) {
        details.push('Dropdeck answers Basic only: run a local proxy that signs in for you (such as cntlm or px), or ask for Basic authentication.')
      } else {
        details.push(step.authorization ? `The credentials were refused: check ${step.credentialsAt}.` : `It wants credentials: set them in ${step.credentialsAt}.`)
      }
    } else {
      details.push(`The proxy does not allow ${target}: ask your network team.`)
    }
    add('proxy', 'failed', `CONNECT ${target}: ${status} ${STATUS_CODES[status] ?? ''}`.trim(), details)
    return undefined
  }
  return undefined
}

async function checkTls(socket: Socket, servername: string, trust: TrustStore, add: Add, timeoutMs: number): Promise<TLSSocket | undefined> {
  const secured = await new Promise<TLSSocket | Error>((resolve) => {
    // The chain is judged by TLS, the name by checkName below, so that each gets its own line.
    const s = tlsConnect({ socket, ...(isIP(servername) ? {} : { servername }), ca: trust.certificates, rejectUnauthorized: false, checkServerIdentity: () => undefined, ALPNProtocols: ['http/1.1'] })
    const timer = setTimeout(() => {
      s.destroy()
      resolve(new Error(`no TLS handshake within ${timeoutMs / 1000} s`))
    }, timeoutMs)
    s.once('secureConnect', () => {
      clearTimeout(timer)
      resolve(s)
    })
    s.once('error', (err) => {
      clearTimeout(timer)
      resolve(err)
    })
  })
  if (secured instanceof Error) {
    add('tls', 'failed', `TLS handshake failed: ${secured.message}.`)
    return undefined
  }
  const cert = secured.getPeerX509Certificate()
  const subject = cert?.subject.replace(/\n/g, ', ') ?? '(none)'
  const issuer = cert?.issuer.replace(/\n/g, ', ') ?? '(none)'
  const details = [`Subject: ${subject}`, `Issuer: ${issuer}`, `Valid until: ${cert?.validTo ?? '?'}`, ...(cert?.subjectAltName ? [`Names: ${cert.subjectAltName}`] : [])]
  if (!secured.authorized) {
    const code = String(secured.authorizationError ?? 'not trusted')
    details.push(`Trusted: no (${code}). Stores consulted: ${trust.stores.join(', ')}.`)
    details.push(/EXPIRED|NOT_YET_VALID/.test(code) ? "If this computer's date is right, the certificate must be renewed." : "If your network inspects TLS, install your organisation's CA in this computer's certificate store, or set DROPDECK_CA_FILE to it.")
    add('tls', 'failed', `TLS ${secured.getProtocol() ?? ''}: certificate not trusted (${code})`, details)
    secured.destroy()
    return undefined
  }
  const nameError = checkName(cert, servername)
  if (nameError) {
    details.push(`Trusted issuer, but ${nameError}`)
    add('tls', 'failed', `TLS ${secured.getProtocol() ?? ''}: certificate for another name`, details)
    secured.destroy()
    return undefined
  }
  const store = cert ? (trust.storeOf(cert.issuer) ?? chainStore(trust, secured)) : undefined
  details.push(`Trusted: yes${store ? `, by the ${store === 'Node' ? "Node's bundled" : store === 'system' ? "operating system's" : 'DROPDECK_CA_FILE'} store` : ''}.`)
  add('tls', 'ok', `TLS ${secured.getProtocol() ?? ''}: certificate trusted`, details)
  return secured
}

function chainStore(trust: TrustStore, socket: TLSSocket): ReturnType<TrustStore['storeOf']> {
  let c = socket.getPeerCertificate(true)
  for (let n = 0; c?.issuerCertificate && c.issuerCertificate !== c && n < 8; n++) c = c.issuerCertificate
  const issuer = c?.issuer ? Object.entries(c.issuer).map(([k, v]) => `${k}=${v}`).join('\n') : ''
  return trust.storeOf(issuer)
}

function checkName(cert: X509Certificate | undefined, servername: string): string | undefined {
  if (!cert) return 'no certificate was sent.'
  const matches = isIP(servername) ? cert.checkIP(servername) : cert.checkHost(servername)
  return matches ? undefined : `it is not for ${servername} (${cert.subjectAltName ?? cert.subject}).`
}

function dial(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port })
    socket.setTimeout(timeoutMs, () => {
      socket.destroy()
      reject(new Error(`no answer within ${timeoutMs / 1000} s`))
    })
    socket.once('error', (err: Error & { code?: string }) => reject(new Error(err.code ?? err.message)))
    socket.once('connect', () => {
      socket.setTimeout(0)
      socket.removeAllListeners('error')
      socket.on('error', () => socket.destroy())
      resolve(socket)
    })
  })
}

/** Sends `request` (if any) and reads up to the end of the answer's head. */
function readHead(socket: Socket, request: string, timeoutMs: number): Promise<{ text: string; rest: Buffer } | undefined> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0)
    const done = (value: { text: string; rest: Buffer } | undefined) => {
      clearTimeout(timer)
      socket.off('data', onData)
      socket.off('close', onClose)
      resolve(value)
    }
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      const end = buffer.indexOf('\r\n\r\n')
      if (end >= 0) done({ text: buffer.subarray(0, end).toString('latin1'), rest: buffer.subarray(end + 4) })
      else if (buffer.length > 16384) done({ text: buffer.toString('latin1'), rest: Buffer.alloc(0) })
    }
    const onClose = () => done(buffer.length ? { text: buffer.toString('latin1'), rest: Buffer.alloc(0) } : undefined)
    const timer = setTimeout(() => done(undefined), timeoutMs)
    socket.on('data', onData)
    socket.once('close', onClose)
    socket.write(request)
  })
}

/** The first line the far end sends (after `request`, if any). */
function firstLine(socket: Socket, request: string | undefined, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = ''
    const done = (value: string | undefined) => {
      clearTimeout(timer)
      socket.off('data', onData)
      resolve(value)
    }
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1')
      const end = text.indexOf('\n')
      if (end >= 0) done(text.slice(0, end).replace(/\r$/, ''))
    }
    const timer = setTimeout(() => done(undefined), timeoutMs)
    socket.on('data', onData)
    socket.once('close', () => done(text || undefined))
    socket.resume()
    if (request) socket.write(request)
  })
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
}
