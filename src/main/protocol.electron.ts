/**
 * The app:// protocol: the Electron window loads the built renderer from app://dropdeck/ with the
 * Electron CSP. What a request maps to lives in src/main/security/app-protocol.ts (plain Node, tested).
 */
import { protocol } from 'electron'
import { APP_SCHEME, appResponse } from './security/app-protocol'

/** Must run before the app is ready. `standard` gives the scheme a real origin, `secure` makes it a secure context. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }])
}

/** Serves `rendererDir` (out/renderer) on app://dropdeck/ for the default session. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request))
}
