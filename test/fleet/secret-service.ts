/**
 * A real Secret Service for tests and the bench: a private D-Bus session bus with
 * gnome-keyring-daemon's secrets component, unlocked, under a throwaway HOME. Nothing touches the
 * machine's own keyring or session bus.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface SecretService {
  /** Set these in the environment of whatever should use this keyring. */
  readonly env: { DBUS_SESSION_BUS_ADDRESS: string }
  /** dbus-daemon's, then gnome-keyring-daemon's, for a `fleet:down` that finds the bench dead. */
  pids(): number[]
  stop(): Promise<void>
}

export const secretServiceAvailable = (): boolean => existsSync('/usr/bin/dbus-daemon') && existsSync('/usr/bin/gnome-keyring-daemon')

export async function startSecretService(options: { dir?: string } = {}): Promise<SecretService> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'dropdeck-keyring-')))
  const home = join(dir, 'home')
  const runtime = join(dir, 'run')
  await mkdir(home, { recursive: true })
  await mkdir(runtime, { recursive: true, mode: 0o700 })
  const busAddress = `unix:path=${join(dir, 'bus')}`

  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', `--address=${busAddress}`, '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] })
  await waitForOutput(bus, /unix:path=/, 'dbus-daemon')

  const env = { ...process.env, HOME: home, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: join(home, '.local/share'), DBUS_SESSION_BUS_ADDRESS: busAddress }
  // --unlock reads the login keyring's password from stdin and creates the keyring if needed.
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  keyring.stdin!.end('dropdeck-test-keyring')
  let keyringLog = ''
  keyring.stderr!.on('data', (chunk: Buffer) => (keyringLog += chunk.toString()))
  keyring.stdout!.resume()
  await waitForName(busAddress, 'org.freedesktop.secrets').catch((err: Error) => {
    throw new Error(`${err.message}; gnome-keyring-daemon said: ${keyringLog.trim() || '(nothing)'}`)
  })

  return {
    env: { DBUS_SESSION_BUS_ADDRESS: busAddress },
    pids: () => [bus.pid, keyring.pid].filter((pid): pid is number => pid !== undefined),
    async stop() {
      await Promise.all([stopProcess(keyring), stopProcess(bus)])
      if (!options.dir) await rm(dir, { recursive: true, force: true })
    }
  }
}

function waitForOutput(child: ChildProcess, pattern: RegExp, name: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms: ${seen}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      seen += chunk.toString()
      if (pattern.test(seen)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (seen += chunk.toString()))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code}: ${seen}`))
    })
  })
}

/** Poll the bus until the Secret Service name is owned: the daemon claims it after it forks its work. */
async function waitForName(busAddress: string, name: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const owned = await new Promise<boolean>((resolve) => {
      const probe = spawn('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`], {
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress },
        stdio: ['ignore', 'pipe', 'ignore']
      })
      let out = ''
      probe.stdout.on('data', (c: Buffer) => (out += c.toString()))
      probe.on('exit', () => resolve(/boolean true/.test(out)))
    })
    if (owned) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${name} did not appear on the session bus within ${timeoutMs} ms`)
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
  await exited
  clearTimeout(timer)
}
