/**
 * The highlighting for a file, by its path: nginx configs, shell scripts, ini/properties/.env files
 * (CodeMirror's legacy modes), YAML and JSON (the Lezer grammars), diffs.
 */
import { json } from '@codemirror/lang-json'
import { yaml } from '@codemirror/lang-yaml'
import { StreamLanguage, type LanguageSupport, type StreamParser } from '@codemirror/language'
import { nginx } from '@codemirror/legacy-modes/mode/nginx'
import { properties } from '@codemirror/legacy-modes/mode/properties'
import { shell } from '@codemirror/legacy-modes/mode/shell'
import { toml } from '@codemirror/legacy-modes/mode/toml'
import { dockerFile } from '@codemirror/legacy-modes/mode/dockerfile'
import type { Extension } from '@codemirror/state'

const legacy = (parser: StreamParser<unknown>) => StreamLanguage.define(parser)

export function languageFor(path: string): { name: string; extension: Extension | LanguageSupport } | undefined {
  const name = path.split('/').pop() ?? path
  if (path.includes('/nginx/') || /\.nginx$|^nginx\.conf$/.test(name) || /sites-(available|enabled)\//.test(path)) return { name: 'nginx', extension: legacy(nginx as StreamParser<unknown>) }
  if (/\.ya?ml$/i.test(name)) return { name: 'YAML', extension: yaml() }
  if (/\.json$/i.test(name)) return { name: 'JSON', extension: json() }
  if (/\.(sh|bash|zsh)$/.test(name) || /^\.(bash|zsh)rc$|^\.profile$/.test(name)) return { name: 'shell', extension: legacy(shell as StreamParser<unknown>) }
  if (/^(Dockerfile|Containerfile)(\..*)?$/.test(name)) return { name: 'Dockerfile', extension: legacy(dockerFile as StreamParser<unknown>) }
  if (/\.toml$/.test(name)) return { name: 'TOML', extension: legacy(toml as StreamParser<unknown>) }
  if (/\.(ini|conf|cfg|properties|service|socket|timer|env)$|^\.env/.test(name) || name === 'sshd_config') return { name: 'ini', extension: legacy(properties as StreamParser<unknown>) }
  return undefined
}
