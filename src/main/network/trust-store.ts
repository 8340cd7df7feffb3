/**
 * The certificate authorities the headless host trusts: Node's bundled roots (with NODE_EXTRA_CA_CERTS),
 * the operating system's store (so a TLS-inspecting proxy's corporate CA, installed by IT, works with no
 * setting: Node 22's `tls.getCACertificates('system')`, the store `--use-system-ca` reads; on Linux,
 * OpenSSL's default file and directory, which SSL_CERT_FILE / SSL_CERT_DIR move), and DROPDECK_CA_FILE for
 * the rest. `DROPDECK_SYSTEM_CA=0` leaves the OS store out. Electron trusts the OS store through Chromium.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import tls from 'node:tls'
import { DropdeckError } from '../../shared/errors'

export type TrustStoreName = 'Node' | 'system' | 'DROPDECK_CA_FILE'

export interface TrustStore {
  /** PEM certificates, to hand to TLS as `ca`. */
  certificates: string[]
  /** Which stores went in, in the operator's words, for the connection test and logs. */
  stores: TrustStoreName[]
  /** Which store holds a CA with this subject (an issuer name as X509Certificate prints it), if any. */
  storeOf(issuer: string): TrustStoreName | undefined
}

type CaType = 'default' | 'system'
const withCaTypes = tls as typeof tls & { getCACertificates?: (type?: CaType) => string[] }

/** True when this Node can read the OS store (22.15 and later). */
export const systemStoreAvailable = (): boolean => typeof withCaTypes.getCACertificates === 'function'

export function createTrustStore(env: NodeJS.ProcessEnv, caFile: string | undefined): TrustStore {
  const bySource: Array<[TrustStoreName, string[]]> = [['Node', nodeRoots()]]
  if (env.DROPDECK_SYSTEM_CA?.trim() !== '0' && systemStoreAvailable()) {
    try {
      bySource.push(['system', withCaTypes.getCACertificates!('system')])
    } catch {
      // A store the OS will not hand over leaves Node's roots and the file: not a reason to refuse requests.
    }
  }
  if (caFile) bySource.push(['DROPDECK_CA_FILE', [readPem(caFile)]])
  const subjects = new Map<string, TrustStoreName>()
  const subjectsOf = (name: TrustStoreName, pems: string[]) => {
    for (const pem of pems.flatMap(splitPem)) {
      try {
        const subject = new X509Certificate(pem).subject
        // The most specific source wins for the connection test: the file, then the OS, then Node.
        subjects.set(subject, name)
      } catch {
        // Not a certificate Node can read: TLS will skip it too.
      }
    }
  }
  let indexed = false
  return {
    certificates: bySource.flatMap(([, pems]) => pems),
    stores: bySource.filter(([, pems]) => pems.length > 0).map(([name]) => name),
    storeOf(issuer) {
      if (!indexed) {
        for (const [name, pems] of bySource) subjectsOf(name, pems)
        indexed = true
      }
      return subjects.get(issuer)
    }
  }
}

function nodeRoots(): string[] {
  if (systemStoreAvailable()) return withCaTypes.getCACertificates!('default')
  const roots = [...tls.rootCertificates]
  const extra = process.env.NODE_EXTRA_CA_CERTS?.trim()
  if (extra) {
    try {
      roots.push(readFileSync(extra, 'utf8'))
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at startup.
    }
  }
  return roots
}

function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
}

function readPem(file: string): string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as { code?: string }).code ?? String(err)
    throw new DropdeckError('BAD_REQUEST', `The CA file ${file} (DROPDECK_CA_FILE) cannot be read (${code}): point it at a PEM bundle.`)
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new DropdeckError('BAD_REQUEST', `The CA file ${file} (DROPDECK_CA_FILE) holds no PEM certificate: export your organisation's CA as PEM ("-----BEGIN CERTIFICATE-----").`)
  }
  return text
}
