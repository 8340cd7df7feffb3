/** The lint rule that keeps Electron at the edges: proven on real source text through ESLint itself. */
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })
const source = "import { app } from 'electron'\nexport const name = app.getName()\n"

async function electronErrors(filePath: string): Promise<number> {
  const [result] = await eslint.lintText(source, { filePath })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').length
}

describe('process boundaries', () => {
  it('refuses electron in plain main-process modules and in the renderer', async () => {
    expect(await electronErrors('src/main/tunnels/tunnel-service.ts')).toBe(1)
    expect(await electronErrors('src/shared/contract-extra.ts')).toBe(1)
    expect(await electronErrors('src/renderer/src/App2.tsx')).toBe(1)
  })

  it('allows it in *.electron.ts edge files', async () => {
    expect(await electronErrors('src/main/window.electron.ts')).toBe(0)
    expect(await electronErrors('src/preload/index.electron.ts')).toBe(0)
  })

  it('keeps Node modules out of the renderer', async () => {
    const [result] = await eslint.lintText("import { readFile } from 'node:fs/promises'\nexport const r = readFile\n", { filePath: 'src/renderer/src/leak.ts' })
    expect(result.messages.some((m) => m.ruleId === 'no-restricted-imports')).toBe(true)
  })
})
