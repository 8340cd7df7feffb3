/**
 * bench:files: upload and download throughput of Dropdeck's transfers (files.transfers over the pooled
 * connection's SFTP session) against OpenSSH's `scp` and `sftp` to the same bench sshd, in the same run,
 * rotating which goes first; medians and the ratios. Dropdeck's figure is the copy (running to verifying);
 * its end-to-end time with the sha256 check on both sides is printed too. Prints figures; asserts nothing.
 *
 *   npm run bench:files                  # 3 rounds of 200 MB each way
 *   BENCH_MB=100 BENCH_ROUNDS=5 npm run bench:files
 *   BENCH_OPENSSH_CIPHER=aes128-gcm@openssh.com   # OpenSSH on the cipher Dropdeck negotiates (its default is chacha20)
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createServices } from '../../src/main/app/services'
import { createCallContext } from '../../src/main/rpc/context'
import { startDroplets } from '../fleet/sshd'
import { writeSshClientFiles } from '../fleet/ssh-client-files'
import { memoryKeychain } from '../ssh/support/ssh-env'

const MB = Number(process.env.BENCH_MB ?? 200)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const HOST = 'files-bench'
const CIPHER = process.env.BENCH_OPENSSH_CIPHER ? ['-c', process.env.BENCH_OPENSSH_CIPHER] : []

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const mbps = (seconds: number) => MB / seconds

async function main(): Promise<void> {
  const dir = mkdtempSync('/tmp/ddfbench-')
  const droplets = await startDroplets({ count: 1, dir: path.join(dir, 'ssh'), names: [HOST], port: 'auto', baseAddress: '127.0.172.10' })
  const { sshConfigPath } = writeSshClientFiles(dir, droplets.droplets)
  const services = createServices({ dataDir: path.join(dir, 'data'), version: 'bench', keychain: memoryKeychain(), env: { DROPDECK_SSH_CONFIG: sshConfigPath }, log: () => undefined })
  const ctx = createCallContext('bench:files', () => services.bus)
  try {
    const local = path.join(dir, 'payload.bin')
    const fh = await open(local, 'w')
    for (let i = 0; i < MB; i++) await fh.write(randomBytes(1024 * 1024))
    await fh.close()
    const remoteDir = path.join(dir, 'remote')
    execFileSync('mkdir', ['-p', remoteDir])
    const batch = path.join(dir, 'sftp-batch')
    await services.ssh.pool.connect(HOST)

    async function dropdeck(direction: 'upload' | 'download', round: number): Promise<{ copy: number; total: number }> {
      const remote = path.join(remoteDir, `dd-${direction}-${round}.bin`)
      if (direction === 'download') execFileSync('cp', [local, remote])
      const target = direction === 'upload' ? remote : path.join(dir, `dd-down-${round}.bin`)
      const started = performance.now()
      let verifying = 0
      const done = new Promise<void>((resolve, reject) => {
        const off = services.bus.subscribeClient(ctx.clientId, (event, payload) => {
          if (event !== 'files.transfers.state') return
          const p = payload as { state: string; message?: string }
          if (p.state === 'verifying') verifying = performance.now()
          if (p.state === 'done') {
            off()
            resolve()
          } else if (p.state === 'error' || p.state === 'cancelled') {
            off()
            reject(new Error(p.message ?? p.state))
          }
        })
      })
      const res = await services.router.call('files.transfers.open', { hostId: HOST, direction, localPath: direction === 'upload' ? local : target, remotePath: direction === 'upload' ? remote : remote }, ctx)
      if (!res.ok) throw new Error(res.error.message)
      await done
      const end = performance.now()
      rmSync(direction === 'upload' ? remote : target, { force: true })
      if (direction === 'download') rmSync(remote, { force: true })
      return { copy: (verifying - started) / 1000, total: (end - started) / 1000 }
    }

    function openssh(tool: 'scp' | 'sftp', direction: 'upload' | 'download', round: number): number {
      const remote = path.join(remoteDir, `${tool}-${direction}-${round}.bin`)
      const here = path.join(dir, `${tool}-down-${round}.bin`)
      if (direction === 'download') execFileSync('cp', [local, remote])
      const started = performance.now()
      if (tool === 'scp') {
        const args = direction === 'upload' ? [local, `${HOST}:${remote}`] : [`${HOST}:${remote}`, here]
        execFileSync('scp', ['-F', sshConfigPath, '-q', ...CIPHER, ...args])
      } else {
        writeFileSync(batch, direction === 'upload' ? `put ${local} ${remote}\n` : `get ${remote} ${here}\n`)
        execFileSync('sftp', ['-F', sshConfigPath, '-q', ...CIPHER, '-b', batch, HOST], { stdio: 'ignore' })
      }
      const seconds = (performance.now() - started) / 1000
      rmSync(remote, { force: true })
      rmSync(here, { force: true })
      return seconds
    }

    const figures: Record<string, number[]> = {}
    const add = (k: string, v: number) => (figures[k] ??= []).push(v)
    for (let round = 0; round < ROUNDS; round++) {
      for (const direction of ['upload', 'download'] as const) {
        // rotate who goes first, so page cache and CPU contention do not favour one
        const order = ['dropdeck', 'scp', 'sftp'].map((_, i, a) => a[(i + round) % a.length])
        for (const who of order) {
          if (who === 'dropdeck') {
            const t = await dropdeck(direction, round)
            add(`dropdeck ${direction}`, t.copy)
            add(`dropdeck ${direction} +sha256`, t.total)
          } else add(`${who} ${direction}`, openssh(who as 'scp' | 'sftp', direction, round))
        }
      }
      console.log(`round ${round + 1}/${ROUNDS} done`)
    }

    console.log(`\nbench:files: ${MB} MB, ${ROUNDS} rounds, one bench sshd on loopback, OpenSSH cipher ${CIPHER[1] ?? 'default'}; MB/s (median)`)
    for (const direction of ['upload', 'download'] as const) {
      const dd = mbps(median(figures[`dropdeck ${direction}`]))
      const ddTotal = mbps(median(figures[`dropdeck ${direction} +sha256`]))
      const scp = mbps(median(figures[`scp ${direction}`]))
      const sftp = mbps(median(figures[`sftp ${direction}`]))
      console.log(`${direction.padEnd(8)}  dropdeck ${dd.toFixed(1)}  (with sha256 both ends ${ddTotal.toFixed(1)})  scp ${scp.toFixed(1)}  sftp ${sftp.toFixed(1)}  ratio vs scp ${(dd / scp).toFixed(2)}x, vs sftp ${(dd / sftp).toFixed(2)}x`)
    }
  } finally {
    await ctx.dispose()
    await services.dispose()
    await droplets.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
