/** ssh2's crypto module: only the flag Dropdeck reads (is its optional native binding loaded?). */
declare module 'ssh2/lib/protocol/crypto.js' {
  const crypto: { bindingAvailable: boolean }
  export default crypto
}
