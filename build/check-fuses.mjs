/**
 * Reads the fuses of a packed app back and fails unless each is as build/fuses.ts sets it: the release
 * workflow runs it on every packed app, so a packaging change that skips the afterPack hook fails there.
 * Usage: node build/check-fuses.mjs <Dropdeck.app | Dropdeck.exe | linux executable>
 */
import { FuseState, getCurrentFuseWire } from '@electron/fuses'
import { dropdeckFuses } from './fuses.ts'

/** @param {unknown} state */
function describe(state) {
  if (state === FuseState.ENABLE) return 'on'
  if (state === FuseState.DISABLE) return 'off'
  if (state === FuseState.REMOVED) return 'removed'
  return `state ${String(state)}`
}

/**
 * The fuses whose state differs from build/fuses.ts's, as "fuse <index>: wanted on, found off".
 * @param {string} app
 */
export async function fuseMismatches(app) {
  const wire = await getCurrentFuseWire(app)
  const mismatches = []
  for (const [key, wanted] of Object.entries(dropdeckFuses)) {
    if (!/^\d+$/.test(key)) continue // version, strictlyRequireAllFuses
    const want = wanted ? FuseState.ENABLE : FuseState.DISABLE
    const found = wire[/** @type {keyof typeof wire} */ (Number(key))]
    if (found !== want) mismatches.push(`fuse ${key}: wanted ${describe(want)}, found ${describe(found)}`)
  }
  return mismatches
}

if (process.argv[1]?.endsWith('check-fuses.mjs')) {
  const app = process.argv[2]
  if (!app) {
    console.error('usage: node build/check-fuses.mjs <packed app or executable>')
    process.exit(2)
  }
  const mismatches = await fuseMismatches(app)
  if (mismatches.length) {
    console.error(`${app}: fuses not as build/fuses.ts sets them:\n  ${mismatches.join('\n  ')}`)
    process.exit(1)
  }
  console.log(`${app}: every fuse as build/fuses.ts sets it`)
}
