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

  it('keeps *.electron modules out of plain modules, and lets edge files import each other', async () => {
    const importEdge = "import { createSenderCheck } from './security.electron'\nexport const c = createSenderCheck\n"
    const errors = async (filePath: string) => (await eslint.lintText(importEdge, { filePath }))[0].messages.filter((m) => m.ruleId === 'no-restricted-imports').length
    expect(await errors('src/main/ipc-helpers.ts')).toBe(1)
    expect(await errors('src/renderer/src/leak.ts')).toBe(1)
    expect(await errors('src/shared/leak.ts')).toBe(1)
    expect(await errors('src/main/ipc.electron.ts')).toBe(0)
  })

  it('keeps Node modules and the DOM out of src/shared, which main, the preload and the page all load', async () => {
    const [node] = await eslint.lintText("import { readFile } from 'node:fs/promises'\nexport const r = readFile\n", { filePath: 'src/shared/leak.ts' })
    expect(node.messages.map((m) => m.ruleId)).toContain('no-restricted-imports')
    const [dom] = await eslint.lintText('export const w = window.innerWidth + document.title.length\n', { filePath: 'src/shared/leak.ts' })
    expect(dom.messages.filter((m) => m.ruleId === 'no-restricted-globals')).toHaveLength(2)
    // The same text is fine where it belongs.
    const [page] = await eslint.lintText('export const w = window.innerWidth + document.title.length\n', { filePath: 'src/renderer/src/size.ts' })
    expect(page.messages).toEqual([])
  })
})
