/**
 * Turns the raw bytes of one log line into text an operator can read and a renderer can hold: invalid
 * UTF-8 becomes U+FFFD, control bytes (binary garbage, terminal escapes) are shown escaped as \xNN,
 * and a line longer than the limit is cut with a marker that says how long it was.
 */
const decoder = new TextDecoder('utf-8', { fatal: false })

/** The longest line kept, in bytes; the rest of a longer line is dropped and counted. */
export const MAX_LINE_BYTES = 16 * 1024

// C0 controls except tab, plus DEL and the C1 controls (which decode from valid UTF-8 too).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g

function escapeControl(ch: string): string {
  return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`
}

/** Text of one line (without its newline); `totalBytes` > bytes.length means the line was cut. */
export function lineText(bytes: Uint8Array, totalBytes = bytes.length): string {
  let end = bytes.length
  if (end > 0 && bytes[end - 1] === 0x0d) end-- // CRLF line endings
  const text = decoder.decode(end === bytes.length ? bytes : bytes.subarray(0, end)).replace(CONTROL, escapeControl)
  if (totalBytes <= bytes.length) return text
  return `${text} … [line cut: ${totalBytes.toLocaleString('en-US')} bytes, first ${bytes.length.toLocaleString('en-US')} shown]`
}

/** Where to cut `bytes` at most `max` long without splitting a UTF-8 character. */
export function utf8Boundary(bytes: Uint8Array, max: number): number {
  if (bytes.length <= max) return bytes.length
  let cut = max
  // step back over continuation bytes (10xxxxxx), at most 3
  for (let i = 0; i < 3 && cut > 0 && (bytes[cut] & 0xc0) === 0x80; i++) cut--
  return cut
}
