/**
 * Registry logins for a pull, built in memory and sent as the Engine API's `X-Registry-Auth` header:
 * nothing is written on the operator's disk or the host's (no `docker login`, no ~/.docker/config.json).
 */

export interface RegistryCredentials {
  username: string
  password: string
  /** The registry's host[:port], e.g. `registry.digitalocean.com` or `127.0.0.1:5000`. */
  serveraddress: string
}

/**
 * The header's value: the JSON in URL-safe base64 with its padding, which is what docker decodes
 * (`base64.URLEncoding`) for every Engine API version.
 */
export function registryAuthHeader(credentials: RegistryCredentials): string {
  const { username, password, serveraddress } = credentials
  return Buffer.from(JSON.stringify({ username, password, serveraddress }), 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

/**
 * The registry an image repository lives in, as docker reads a reference: the first path component when
 * it has a "." or ":" or is "localhost", else Docker Hub.
 */
export function registryOf(repo: string): string {
  const first = repo.split('/')[0]
  return repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io'
}

/** Docker's words when the registry refused the login (they vary by registry and docker version). */
export function isLoginRefused(message: string): boolean {
  return /unauthorized|authentication required|incorrect username or password|denied: requested access|401 Unauthorized/i.test(message)
}
