/**
 * Provider HTTP inside Electron: Chromium's network stack, so the system proxy settings, PAC/WPAD and the OS
 * certificate store apply as they do in the operator's browser. The headless host uses node-fetch.ts instead.
 */
import { net } from 'electron'
import { refuseRedirects } from './refuse-redirects'

/** `fetch`, through Chromium, never following a redirect. net.fetch takes a string or Request, not a URL object. */
export const electronFetch: typeof fetch = refuseRedirects((input, init) => net.fetch(input instanceof URL ? input.href : input, init))
