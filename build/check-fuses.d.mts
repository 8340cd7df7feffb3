/** Types of build/check-fuses.mjs. */
export function fuseMismatches(app: string): Promise<string[]>
