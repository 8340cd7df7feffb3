/**
 * `npm run host [-- --port N]`: start the headless host and print exactly one line,
 * `DROPDECK_URL=http://127.0.0.1:PORT/?token=TOKEN`, on stdout when ready. Logs go to stderr.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { resolveDataDir } from '../app/data-dir'
import { createServices } from '../app/services'
import { createShutdown } from '../app/shutdown'
import { startHost } from './server'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
/** Each shutdown step's limit, as in the Electron app: a stuck SSH close must not keep the host running. */
const SHUTDOWN_STEP_TIMEOUT_MS = 5000

function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, help: { type: 'boolean' } } })
  if (values.help) {
    process.stderr.write('usage: npm run host [-- --port N]\n  env: DROPDECK_DATA_DIR (state folder)\n')
    return Promise.resolve()
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`dropdeck host: --port must be a number from 0 to 65535, not ${JSON.stringify(values.port)}\n`)
    process.exitCode = 2
    return Promise.resolve()
  }
  return run(port)
}

async function run(port: number): Promise<void> {
  const rendererDir = resolve(root, 'out/renderer')
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    process.stderr.write('dropdeck host: the renderer is not built. Run `npm run build` first.\n')
    process.exitCode = 1
    return
  }
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }
  const dataDir = resolveDataDir()
  const services = createServices({ dataDir, version, log })
  let host
  try {
    host = await startHost({ services, rendererDir, port, log })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    process.stderr.write(code === 'EADDRINUSE' ? `dropdeck host: port ${port} is in use; pick another with --port, or 0 for any free port.\n` : `dropdeck host: ${String(err)}\n`)
    process.exitCode = 1
    return
  }
  log(`dropdeck host: serving ${rendererDir}; state in ${dataDir}`)
  process.stdout.write(`DROPDECK_URL=${host.url}\n`)

  const started = host
  const shutdown = createShutdown([{ name: 'host', run: () => started.close() }, { name: 'services', run: () => services.dispose() }], { stepTimeoutMs: SHUTDOWN_STEP_TIMEOUT_MS, log })
  const stop = () => {
    void shutdown.run().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

void main()
