/**
 * Which links printed in a terminal may leave the app: http and https only, and never with a user or
 * password in them (a phishing shape, and a secret that would end up in the browser's history).
 * They then go through the app's external-open path (window.open, which main hands to the system
 * browser after its own check).
 */
export function isOpenableLink(uri: string): boolean {
  try {
    const url = new URL(uri)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
  } catch {
    return false
  }
}
