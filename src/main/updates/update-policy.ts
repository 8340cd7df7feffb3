/**
 * Whether this launch checks for updates: only an installed (packaged) build does. A development
 * run (`npm run dev`, `electron-vite preview`) never asks the feed, and an operator can turn checks
 * off with DROPDECK_UPDATES=off (a machine that must not change under a running deploy, an air gap).
 */
export interface UpdatePolicyInput {
  isPackaged: boolean
  env: NodeJS.ProcessEnv
}

export type UpdateDecision = { check: true } | { check: false; reason: string }

export function updateDecision({ isPackaged, env }: UpdatePolicyInput): UpdateDecision {
  if (!isPackaged) return { check: false, reason: 'a development build never checks for updates' }
  if (env.DROPDECK_UPDATES?.trim().toLowerCase() === 'off') return { check: false, reason: 'DROPDECK_UPDATES=off' }
  return { check: true }
}
