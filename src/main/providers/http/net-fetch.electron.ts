/**
 * Provider HTTP inside Electron: Chromium's network stack, so the system proxy settings, PAC/WPAD and the OS
 * certificate store apply as they do in the operator's browser. The headless host uses node-fetch.ts instead.
 * The init goes through unchanged: provider calls ask for `redirect: 'error'` (provider-http.ts), health
 * checks for `redirect: 'follow'`, and net.fetch honours both as undici does.
 */
import { net } from 'electron'

/** `fetch`, through Chromium. net.fetch takes a string or Request, not a URL object. */
export const electronFetch: typeof fetch = (input, init) => net.fetch(input instanceof URL ? input.href : input, init)
