/**
 * TLS certificate checks: connect, read the leaf certificate, and judge it by what is left of its
 * lifetime rather than a fixed number of days (Certbot renews at a third left; Let's Encrypt is moving
 * to 45-day and 6-day certificates, which fixed "21/14/7 days" thresholds misjudge). Trusts the usual
 * roots plus DROPDECK_CA_FILE, like the provider client; goes through HTTPS_PROXY with CONNECT unless
 * NO_PROXY exempts the host.
 */
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import type { Duplex } from 'node:stream'
import tls, { type PeerCertificate } from 'node:tls'
import type { CheckSpec } from '../../../shared/contract/checks'
import { shouldBypassProxy } from '../../providers/http/no-proxy'
import { fail, ok, unknown, type ProbeResult } from '../probe-result'

type TlsCheck = Extract<CheckSpec, { kind: 'tls' }>

const DAY = 86_400_000

export interface CertFacts {
  validFrom: Date
  validTo: Date
  subject: string
  issuer: string
  /** null when the chain verifies against the trusted roots; else OpenSSL's reason. */
  chainError: string | null
  /** null when the certificate is valid for the name; else why not. */
  nameError: string | null
}

/** The verdict on a certificate at `now`; pure, so the rule is tested without a server. */
export function judgeCertificate(target: string, cert: CertFacts, now: Date, warnDays?: number): ProbeResult {
  const left = cert.validTo.getTime() - now.getTime()
  const lifetime = cert.validTo.getTime() - cert.validFrom.getTime()
  const days = left / DAY
  const detail = `subject ${cert.subject}; issuer ${cert.issuer}; valid ${cert.validFrom.toISOString()} to ${cert.validTo.toISOString()}`
  if (left <= 0) return fail(`The certificate of ${target} expired on ${cert.validTo.toISOString().slice(0, 10)}; renew it (certbot renew) and reload the web server.`, { detail })
  if (cert.chainError) return fail(`The certificate of ${target} does not verify (${cert.chainError}): install the full chain (fullchain.pem), not only the leaf.`, { detail })
  if (cert.nameError) return fail(`The certificate of ${target} is not valid for that name: ${cert.nameError}`, { detail })
  const leftText = days >= 2 ? `${Math.floor(days)} days` : `${Math.max(1, Math.round(left / 3_600_000))} hours`
  if (left < lifetime / 3) {
    return fail(`The certificate of ${target} expires in ${leftText}, less than a third of its ${Math.round(lifetime / DAY)}-day lifetime: renewal should have happened; check the renewal job.`, { severity: 'warning', detail })
  }
  if (warnDays !== undefined && days < warnDays) return fail(`The certificate of ${target} expires in ${leftText}, within the ${warnDays}-day warning.`, { severity: 'warning', detail })
  return ok(`The certificate of ${target} is valid for ${leftText} more.`, { detail })
}

export interface TlsOptions {
  env: NodeJS.ProcessEnv
  now?: () => Date
}

export async function probeTls(check: TlsCheck, options: TlsOptions): Promise<ProbeResult> {
  const target = `${check.host}:${check.port}`
  const started = performance.now()
  let cert: CertFacts
  try {
    cert = await readCertificate(check.host, check.port, check.timeoutSeconds * 1000, options.env)
  } catch (err) {
    const e = err as Error & { code?: string }
    if (e.message.startsWith('proxy')) return unknown(`${target} could not be checked: ${e.message}`)
    return fail(`${target} did not complete a TLS handshake${e.code ? ` (${e.code})` : ''}: ${e.message}`, { latencyMs: performance.now() - started })
  }
  return { ...judgeCertificate(target, cert, (options.now ?? (() => new Date()))(), check.warnDays), latencyMs: performance.now() - started }
}

let extraCa: { file: string; pem: string } | undefined
function trusted(env: NodeJS.ProcessEnv): string[] | undefined {
  const file = env.DROPDECK_CA_FILE?.trim()
  if (!file) return undefined
  if (extraCa?.file !== file) extraCa = { file, pem: readFileSync(file, 'utf8') }
  return [...tls.rootCertificates, extraCa.pem]
}

function readCertificate(host: string, port: number, timeoutMs: number, env: NodeJS.ProcessEnv): Promise<CertFacts> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })), timeoutMs)
    let socket: tls.TLSSocket | undefined
    let done = false
    const finish = (err: Error | null, facts?: CertFacts) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket?.destroy()
      if (err) reject(err)
      else resolve(facts as CertFacts)
    }
    const handshake = (through?: Duplex) => {
      const servername = /^[\d.]+$|:/.test(host) ? undefined : host
      socket = tls.connect({ host, port, servername, ca: trusted(env), rejectUnauthorized: false, ...(through ? { socket: through } : {}) })
      socket.once('secureConnect', () => {
        const s = socket as tls.TLSSocket
        const peer = s.getPeerCertificate() as PeerCertificate
        if (!peer || !peer.valid_to) return finish(new Error('the server sent no certificate'))
        const identity = tls.checkServerIdentity(host, peer)
        // Node reports a name mismatch as an authorization error too; the chain is judged apart from the name.
        const authError = s.authorized ? null : String(s.authorizationError ?? 'not trusted')
        finish(null, {
          validFrom: new Date(peer.valid_from),
          validTo: new Date(peer.valid_to),
          subject: String(peer.subject?.CN ?? JSON.stringify(peer.subject)),
          issuer: String(peer.issuer?.CN ?? JSON.stringify(peer.issuer)),
          chainError: authError && !authError.includes('ALTNAME') ? authError : null,
          nameError: identity ? identity.message : authError?.includes('ALTNAME') ? authError : null
        })
      })
      socket.once('error', (err) => finish(err))
    }
    const proxy = proxyFor(host, port, env)
    if (!proxy) return handshake()
    const req = request({ host: proxy.hostname, port: Number(proxy.port || 80), method: 'CONNECT', path: `${host}:${port}`, headers: proxy.auth ? { 'proxy-authorization': proxy.auth } : {} })
    req.once('connect', (res, tunnel) => {
      if (res.statusCode !== 200) {
        tunnel.destroy()
        return finish(new Error(`proxy ${proxy.hostname}:${proxy.port} refused CONNECT to ${host}:${port} (${res.statusCode}); check HTTPS_PROXY and its credentials`))
      }
      handshake(tunnel)
    })
    req.once('error', (err) => finish(new Error(`proxy ${proxy.hostname}:${proxy.port} (HTTPS_PROXY) could not be reached: ${err.message}`)))
    req.end()
  })
}

function proxyFor(host: string, port: number, env: NodeJS.ProcessEnv): { hostname: string; port: string; auth?: string } | undefined {
  const raw = (env.https_proxy ?? env.HTTPS_PROXY ?? '').trim()
  if (!raw) return undefined
  if (shouldBypassProxy(new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}`), (env.no_proxy ?? env.NO_PROXY ?? '').trim())) return undefined
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`)
  const auth = url.username || url.password ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : undefined
  return { hostname: url.hostname, port: url.port, ...(auth ? { auth } : {}) }
}
