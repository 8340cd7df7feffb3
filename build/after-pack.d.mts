/** Types of build/after-pack.mjs (plain JavaScript, since electron-builder loads it with Node). */
export interface AfterPackContext {
  appOutDir: string
  electronPlatformName: string
  /** electron-builder's Arch: ia32 0, x64 1, armv7l 2, arm64 3. */
  arch: number
  packager: { appInfo: { productFilename: string }; executableName?: string }
}
export function electronBinaryPath(context: Omit<AfterPackContext, 'arch'>): string
export function makeSpawnHelpersExecutable(unpacked: string): Promise<string[]>
export default function afterPack(context: AfterPackContext): Promise<void>
