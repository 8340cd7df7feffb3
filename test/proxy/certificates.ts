/**
 * More server certificates from a test CA (test/support/test-ca.ts), made with the real `openssl ca`
 * so that validity dates can lie in the past: an expired certificate, and one for another host name.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { TestCa } from '../support/test-ca'

const run = promisify(execFile)

export interface IssuedCertificate {
  key: string
  cert: string
}

export interface IssueOptions {
  /** subjectAltName entries, e.g. ['DNS:localhost', 'IP:127.0.0.1']. */
  altNames: string[]
  commonName?: string
  /** openssl's YYYYMMDDHHMMSSZ; default: now-ish (the CA's own rules). */
  notBefore?: Date
  notAfter?: Date
}

const asn1Time = (d: Date) => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z').slice(2)

export async function issueCertificate(ca: TestCa, options: IssueOptions): Promise<IssuedCertificate> {
  const dir = await mkdtemp(join(ca.dir, 'issue-'))
  const file = (f: string) => join(dir, f)
  await writeFile(file('index.txt'), '')
  await writeFile(file('serial'), `${Date.now().toString(16).padStart(16, '0')}\n`)
  await writeFile(
    file('ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `dir = ${dir}`,
      `database = ${file('index.txt')}`,
      `serial = ${file('serial')}`,
      `new_certs_dir = ${dir}`,
      `certificate = ${ca.caCertFile}`,
      `private_key = ${join(ca.dir, 'ca.key')}`,
      'default_md = sha256',
      'default_days = 2',
      'policy = any',
      'unique_subject = no',
      'copy_extensions = none',
      'x509_extensions = server',
      '[any]',
      'commonName = supplied',
      '[server]',
      `subjectAltName = ${options.altNames.join(',')}`,
      'basicConstraints = CA:FALSE',
      'keyUsage = critical,digitalSignature',
      'extendedKeyUsage = serverAuth',
      ''
    ].join('\n')
  )
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir })
  await openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'),
    '-subj', `/CN=${options.commonName ?? 'dropdeck-test'}`)
  await openssl('ca', '-batch', '-config', file('ca.cnf'), '-in', file('server.csr'), '-out', file('server.crt'), '-notext',
    ...(options.notBefore ? ['-startdate', asn1Time(options.notBefore)] : []),
    ...(options.notAfter ? ['-enddate', asn1Time(options.notAfter)] : []))
  return { key: await readFile(file('server.key'), 'utf8'), cert: await readFile(file('server.crt'), 'utf8') }
}
