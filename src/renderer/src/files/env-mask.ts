/** `.env` files show their keys but not their values until the operator asks to see them. */
export function isEnvFile(path: string): boolean {
  return /(^|\/)\.env(\.[\w.-]+)?$|\.env$/.test(path)
}

/** Every `KEY=value` line with the value replaced by dots of a fixed length (the length is a secret too). */
export function maskEnv(text: string): string {
  return text.replace(/^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*)(.+)$/gm, (_m, key: string) => `${key}••••••••`)
}
