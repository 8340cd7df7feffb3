/** Where Dropdeck keeps its state: DROPDECK_DATA_DIR when set, else the platform's app-data folder. */
import envPaths from 'env-paths'

export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.DROPDECK_DATA_DIR?.trim()
  if (explicit) return explicit
  return envPaths('Dropdeck', { suffix: '' }).data
}
