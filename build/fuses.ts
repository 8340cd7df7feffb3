/**
 * Electron fuses for the packaged app (DESIGN.md's checklist): no running as plain Node, no
 * NODE_OPTIONS or --inspect, the app loaded only from its asar with integrity checked, no extra
 * file:// privileges. Flipped on the packaged binary after packing:
 *   npx tsx build/fuses.ts <path to the packaged Electron binary or .app>
 */
import { flipFuses, FuseV1Options, FuseVersion, type FuseConfig } from '@electron/fuses'

export const dropdeckFuses: FuseConfig = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true
}

export function flipDropdeckFuses(electronBinary: string): Promise<number> {
  return flipFuses(electronBinary, dropdeckFuses)
}

if (process.argv[1]?.endsWith('fuses.ts') && process.argv[2]) {
  flipDropdeckFuses(process.argv[2]).then(
    (n) => console.log(`flipped ${n} fuse wire(s) in ${process.argv[2]}`),
    (err: unknown) => {
      console.error(String(err))
      process.exitCode = 1
    }
  )
}
