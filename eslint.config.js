import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Electron stays at the edges: only files named *.electron.ts may import it (DESIGN.md). */
const noElectronOutsideEdges = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'electron', message: 'Only *.electron.ts files may import electron; put the logic in a plain Node module and call it from the edge.' }],
      patterns: [{ group: ['electron/*'], message: 'Only *.electron.ts files may import electron.' }]
    }
  ]
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.fleet/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      ...noElectronOutsideEdges,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['**/*.electron.ts'],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer reaches main only through the contract client, never Node.
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through the contract client.' }],
          patterns: [{ group: ['node:*', '../../main/*', '../../../main/*'], message: 'The renderer is sandboxed: no Node modules, no main-process code.' }]
        }
      ]
    }
  }
)
