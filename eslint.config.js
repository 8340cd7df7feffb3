import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Electron stays at the edges: only files named *.electron.ts may import it (DESIGN.md). */
const electronPath = { name: 'electron', message: 'Only *.electron.ts files may import electron; put the logic in a plain Node module and call it from the edge.' }
const electronPatterns = [
  { group: ['electron/*'], message: 'Only *.electron.ts files may import electron.' },
  // An edge file imported by a plain one would bring Electron into the headless host and the tests.
  { group: ['*.electron', '*.electron.ts', '*.electron.js'], message: 'Only *.electron.ts files may import another *.electron module; pass what the plain module needs in from the edge.' }
]
const noElectronOutsideEdges = {
  'no-restricted-imports': ['error', { paths: [electronPath], patterns: electronPatterns }]
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
    // The contract and errors load in main, the preload and the sandboxed page alike: neither Node nor the DOM.
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronPath], patterns: [...electronPatterns, { group: ['node:*'], message: 'src/shared runs in the renderer too: no Node modules.' }] }
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'src/shared runs in main too: no DOM.' },
        { name: 'document', message: 'src/shared runs in main too: no DOM.' }
      ]
    }
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
          patterns: [{ group: ['node:*', '../../main/*', '../../../main/*'], message: 'The renderer is sandboxed: no Node modules, no main-process code.' }, electronPatterns[1]]
        }
      ]
    }
  }
)
