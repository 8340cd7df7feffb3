/**
 * Which proxies serve a URL, when that is not a fixed variable: a PAC file in the headless host (the
 * setting, else DROPDECK_PAC_URL), Chromium's answer in Electron (proxy-resolver.electron.ts). Provider HTTP
 * (node-fetch.ts) and SSH routes (ssh/proxy-route.ts) both ask here, so one PAC file routes both alike.
 * No answer (undefined) means no PAC is configured: HTTPS_PROXY / NO_PROXY and DROPDECK_SSH_PROXY apply.
 */
import { DropdeckError } from '../../shared/errors'
import { parseProxyAnswer, type ProxyHop } from './proxy-answer'
import { loadPacScript, type PacLimits, type PacScript } from './pac-script'
import { createTrustStore } from './trust-store'

export type ProxySource = 'env' | 'pac' | 'system'

export interface ProxyCredentials {
  username: string
  password: string
}

export interface ResolvedProxies {
  source: ProxySource
  /** Where the answer came from, in the operator's words: "the PAC file https://wpad.corp/proxy.pac". */
  from: string
  /** The answer as given (PAC syntax), for the connection test. */
  answer: string
  hops: ProxyHop[]
}

export interface ProxyResolver {
  resolve(url: URL): Promise<ResolvedProxies | undefined>
  /** Credentials to send to a proxy the resolver chose (env proxies carry their own). */
  credentialsFor?(hop: { host: string; port: number }): Promise<ProxyCredentials | undefined>
  dispose(): void
}

/**
 * SSH has no URL: PAC files are written for browsers, and an SSH connection goes through a proxy exactly
 * as HTTPS does (a CONNECT tunnel), so it is asked about as https://host:port/.
 */
export function sshProbeUrl(host: string, port: number): URL {
  try {
    return new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}/`)
  } catch {
    // A host name no URL can hold (e.g. `1.2.3.4.5`, from an ssh config): the operator's to fix, not a retry.
    throw new DropdeckError('BAD_REQUEST', `${JSON.stringify(host.slice(0, 120))} is not a valid host address; correct the host's HostName to an IP address or a host name.`)
  }
}

export interface PacResolverOptions {
  /** The PAC address from settings ('' or undefined when unset); read at every resolve, so a change applies at once. */
  pacSetting: () => Promise<string | undefined>
  env: NodeJS.ProcessEnv
  credentialsFor?: ProxyResolver['credentialsFor']
  limits?: PacLimits
}

const ANSWER_TTL_MS = 30_000
const MAX_ANSWERS = 512

/** The headless host's resolver: the PAC file from the setting, else DROPDECK_PAC_URL; none, no answer. */
export function createPacProxyResolver(options: PacResolverOptions): ProxyResolver {
  let loaded: { location: string; script: Promise<PacScript> } | undefined
  const scriptFor = (location: string): Promise<PacScript> => {
    if (loaded?.location !== location) {
      void loaded?.script.then((s) => s.dispose(), () => undefined)
      const script = loadPacScript(location, { ca: () => createTrustStore(options.env, options.env.DROPDECK_CA_FILE?.trim() || undefined).certificates, ...options.limits })
      loaded = { location, script }
      // A PAC file that could not be read is tried again at the next request, not remembered as broken.
      script.catch(() => {
        if (loaded?.script === script) loaded = undefined
      })
    }
    return loaded.script
  }
  // PAC files ask DNS (isInNet, dnsResolve) for names: an answer is kept per origin for a while, as Chromium
  // keeps the DNS answers behind it, so a page of provider calls does not resolve the same name each time.
  const answers = new Map<string, { at: number; location: string; answer: string }>()
  return {
    async resolve(url) {
      const location = (await options.pacSetting())?.trim() || options.env.DROPDECK_PAC_URL?.trim() || undefined
      if (!location) return undefined
      const from = `the PAC file ${location}`
      const key = `${url.protocol}//${url.host}`
      const now = Date.now()
      let cached = answers.get(key)
      if (!cached || cached.location !== location || now - cached.at > ANSWER_TTL_MS) {
        const script = await scriptFor(location)
        cached = { at: now, location, answer: await script.find(url) }
        if (answers.size >= MAX_ANSWERS) answers.clear()
        answers.set(key, cached)
      }
      return { source: 'pac', from, answer: cached.answer, hops: parseProxyAnswer(cached.answer, from) }
    },
    ...(options.credentialsFor ? { credentialsFor: options.credentialsFor } : {}),
    dispose() {
      void loaded?.script.then((s) => s.dispose(), () => undefined)
      loaded = undefined
      answers.clear()
    }
  }
}
