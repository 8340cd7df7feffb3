/** ssh2's protocol constants: only the client's default host-key algorithm order, which Dropdeck reorders. */
declare module 'ssh2/lib/protocol/constants.js' {
  const constants: { DEFAULT_SERVER_HOST_KEY: readonly string[] }
  export default constants
}
