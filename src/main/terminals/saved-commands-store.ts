/**
 * Saved commands per host: the built-in runbook commands from the operators' notes (every SSH host),
 * plus the operator's own for one host, for every SSH host (`*`), or for local shells (`local/`).
 * Kept in dataDir/terminal-commands.json through JsonFile (checked on read, written atomically one
 * change at a time). Hiding a built-in is remembered by its id, so a later Dropdeck can still add new ones.
 */
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'
import { LOCAL_COMMANDS_HOST, type SavedCommand } from '../../shared/contract/terminals'
import { DropdeckError } from '../../shared/errors'
import { JsonFile } from '../storage/json-file'

/** The runbooks in seed 000: what operators type on every droplet today. */
export const BUILT_IN_COMMANDS: ReadonlyArray<Omit<SavedCommand, 'hostId' | 'builtIn'>> = [
  { id: 'builtin:e2i-api-status', label: 'e2i-api status', command: 'sudo systemctl status e2i-api --no-pager' },
  { id: 'builtin:e2i-api-logs', label: 'e2i-api last 100 log lines', command: 'sudo journalctl -u e2i-api -n 100 --no-pager' },
  { id: 'builtin:e2i-bentoml-status', label: 'e2i-bentoml status', command: 'sudo systemctl status e2i-bentoml --no-pager' },
  { id: 'builtin:nginx-status', label: 'nginx status', command: 'sudo systemctl status nginx --no-pager' },
  { id: 'builtin:nginx-test', label: 'nginx config test', command: 'sudo nginx -t' },
  { id: 'builtin:docker-ps', label: 'Containers', command: "docker ps --format 'table {{.Names}}\\t{{.Status}}\\t{{.Ports}}'" },
  { id: 'builtin:df', label: 'Disk space', command: 'df -h' },
  { id: 'builtin:free', label: 'Memory', command: 'free -h' },
  { id: 'builtin:ports', label: 'Listening ports', command: 'sudo ss -tlnp' }
]

const OwnCommandSchema = z.object({ id: z.string(), hostId: z.string(), label: z.string(), command: z.string() })
const FileSchema = z.object({
  version: z.literal(1),
  commands: z.array(OwnCommandSchema),
  hiddenBuiltIns: z.array(z.string())
})
type CommandsFile = z.infer<typeof FileSchema>

export const MAX_SAVED_COMMANDS = 500

export class SavedCommandsStore {
  private readonly store: JsonFile<CommandsFile> | undefined
  /** The commands of a store without a file. */
  private memory: CommandsFile = emptyFile()

  /** Without a dataDir the commands last as long as the process (a wiring that did not pass one). */
  constructor(dataDir: string | undefined, log: (line: string) => void) {
    this.store = dataDir
      ? new JsonFile({
          file: path.join(dataDir, 'terminal-commands.json'),
          schema: FileSchema,
          empty: emptyFile,
          kind: 'saved-commands',
          startsFrom: 'the built-in commands',
          log,
          logPrefix: 'terminals'
        })
      : undefined
  }

  async list(hostId: string): Promise<SavedCommand[]> {
    const data = await this.load()
    const local = hostId === LOCAL_COMMANDS_HOST
    const own = data.commands.filter((c) => c.hostId === hostId || (!local && c.hostId === '*'))
    const builtIns = local ? [] : BUILT_IN_COMMANDS.filter((c) => !data.hiddenBuiltIns.includes(c.id))
    return [
      ...own.map((c) => ({ ...c, builtIn: false })),
      ...builtIns.map((c) => ({ ...c, hostId: '*', builtIn: true }))
    ]
  }

  add(input: { hostId: string; label?: string; command: string }): Promise<SavedCommand> {
    return this.mutate((data) => {
      if (data.commands.length >= MAX_SAVED_COMMANDS) {
        throw new DropdeckError('BAD_REQUEST', `There are already ${MAX_SAVED_COMMANDS} saved commands; remove some first.`)
      }
      const command = input.command.trim()
      const label = input.label?.trim() || firstLine(command)
      const saved = { id: randomUUID(), hostId: input.hostId, label, command }
      data.commands.push(saved)
      return { ...saved, builtIn: false }
    })
  }

  remove(id: string): Promise<{ hostId: string }> {
    return this.mutate((data) => {
      if (BUILT_IN_COMMANDS.some((c) => c.id === id)) {
        if (!data.hiddenBuiltIns.includes(id)) data.hiddenBuiltIns.push(id)
        return { hostId: '*' }
      }
      const index = data.commands.findIndex((c) => c.id === id)
      if (index < 0) throw new DropdeckError('NOT_FOUND', `No saved command ${id}: it was already removed. Reload the list.`)
      const [removed] = data.commands.splice(index, 1)
      return { hostId: removed.hostId }
    })
  }

  private async mutate<T>(change: (data: CommandsFile) => T): Promise<T> {
    if (this.store) return this.store.update(change)
    const data = structuredClone(this.memory)
    const result = change(data)
    this.memory = data
    return result
  }

  private load(): Promise<CommandsFile> {
    return this.store ? this.store.read() : Promise.resolve(this.memory)
  }
}

function firstLine(command: string): string {
  const line = command.split('\n')[0]
  return line.length > 60 ? `${line.slice(0, 59)}…` : line
}

function emptyFile(): CommandsFile {
  return { version: 1, commands: [], hiddenBuiltIns: [] }
}
