/**
 * Server certificates with chosen validity dates, issued by a test CA (../support/test-ca.ts) with
 * `openssl ca`, whose -startdate/-enddate OpenSSL 3.0's `x509 -req` lacks: a certificate already most
 * of the way through its life, one that has expired, one for another name.
 */
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { TestCa } from '../support/test-ca'

const run = promisify(execFile)

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'

export async function issueCert(ca: TestCa, name: string, opts: { from: Date; to: Date; dnsNames?: string[]; ips?: string[] }): Promise<{ key: string; cert: string }> {
  const dir = join(ca.dir, `issue-${name}`)
  await mkdir(join(dir, 'new'), { recursive: true })
  await writeFile(join(dir, 'index.txt'), '')
  await writeFile(join(dir, 'serial'), `${(Date.now() % 1e12).toString(16).padStart(4, '0')}\n`)
  await writeFile(
    join(dir, 'ca.cnf'),
    ['[ca]', 'default_ca = d', '[d]', `database = ${dir}/index.txt`, `new_certs_dir = ${dir}/new`, `serial = ${dir}/serial`, 'default_md = sha256', 'policy = p', 'unique_subject = no', '[p]', 'commonName = supplied', ''].join('\n')
  )
  const san = [...(opts.dnsNames ?? []).map((d) => `DNS:${d}`), ...(opts.ips ?? []).map((i) => `IP:${i}`)].join(',')
  await writeFile(join(dir, 'ext.cnf'), [`subjectAltName=${san}`, 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', ''].join('\n'))
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir })
  await openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${name}`)
  await openssl('ca', '-batch', '-config', 'ca.cnf', '-cert', ca.caCertFile, '-keyfile', join(ca.dir, 'ca.key'), '-in', 'server.csr', '-out', 'server.crt', '-startdate', stamp(opts.from), '-enddate', stamp(opts.to), '-extfile', 'ext.cnf', '-notext')
  return { key: await readFile(join(dir, 'server.key'), 'utf8'), cert: await readFile(join(dir, 'server.crt'), 'utf8') }
}
