/**
 * The Electron window's Content-Security-Policy, sent as a header with every app:// response
 * (src/main/security/app-protocol.ts). The window reaches main only through the preload's IPC bridge, so
 * it may connect nowhere: no WebSocket, no fetch, not even to its own origin. The renderer's meta tag
 * (src/renderer/index.html) stays as the shared baseline; Chromium enforces both, so the narrower wins.
 * The headless host sends its own header instead (src/main/host/static-files.ts): the same, plus its
 * one WebSocket port.
 */
export const electronContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  // React and Radix set style attributes (positions of popovers, virtualized rows).
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')
