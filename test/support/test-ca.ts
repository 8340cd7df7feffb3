/**
 * A throwaway certificate authority for TLS tests, made with the real `openssl` CLI in a temp dir:
 * a CA, and a server certificate it issued for `localhost`, 127.0.0.1 and ::1.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TestCa {
  dir: string
  /** PEM file of the CA certificate, to trust (e.g. as DROPDECK_CA_FILE). */
  caCertFile: string
  caCert: string
  /** Key and certificate (PEM) for a server at localhost / 127.0.0.1 / ::1, issued by the CA. */
  serverKey: string
  serverCert: string
  cleanup(): Promise<void>
}

export async function createTestCa(name = 'Dropdeck Test CA'): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), 'dropdeck-ca-'))
  const file = (f: string) => join(dir, f)
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir })
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

  await openssl('req', '-x509', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
  await openssl('req', '-new', ...ecKey, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost')
  await writeFile(
    file('server.ext'),
    ['subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1', 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', ''].join('\n')
  )
  await openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-set_serial', '2',
    '-days', '2', '-extfile', file('server.ext'), '-out', file('server.crt'))

  return {
    dir,
    caCertFile: file('ca.crt'),
    caCert: await readFile(file('ca.crt'), 'utf8'),
    serverKey: await readFile(file('server.key'), 'utf8'),
    serverCert: await readFile(file('server.crt'), 'utf8'),
    cleanup: () => rm(dir, { recursive: true, force: true })
  }
}
